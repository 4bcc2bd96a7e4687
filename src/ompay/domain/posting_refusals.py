"""What the posting function's refusals mean: each code `ledger_post_entry` returns is one error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ompay.domain.errors import DomainError
from ompay.domain.ledger import AccountNotActive, InsufficientFunds, RecipientInactive
from ompay.domain.limits import LimitExceeded
from ompay.domain.tier_limits import CounterpartyLimitExceeded, NoLimitsInForce

_PLAIN: dict[str, type[DomainError]] = {
    "account_inactive": AccountNotActive,
    "recipient_inactive": RecipientInactive,
    "insufficient_funds": InsufficientFunds,
    "counterparty_limit_exceeded": CounterpartyLimitExceeded,
}


def posting_refusal(detail: Mapping[str, Any]) -> Exception:
    """The error for a refusal; the caller's own limit carries its name, bound and headroom."""
    code = detail["code"]
    if code == "limit_exceeded":
        return LimitExceeded(detail["limit"], detail["bound"], detail["headroom"])
    if code == "no_limits_in_force":
        return NoLimitsInForce(detail["persons"])
    return _PLAIN[code]()
