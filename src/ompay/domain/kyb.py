"""KYB rules without I/O: a merchant's registration numbers and beneficial owners, checked like KYC."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ompay.domain.identity import InvalidNationalId, national_id_kind
from ompay.domain.kyc import CheckResult
from ompay.models.enums import KycCheckOutcome

_NINEA = re.compile(r"^\d{7,10}[0-9A-Z]{0,3}$")
_RCCM = re.compile(r"^SN[-. ]?[A-Z]{3}[-. ]?\d{4}[-. ]?[A-Z][-. ]?\d{1,6}$")


@dataclass(frozen=True, slots=True)
class Owner:
    """A beneficial owner: who ultimately owns or controls the business, and how much of it."""

    full_name: str
    national_id: str
    share_percent: int


def sole_proprietor(owners: Sequence[Owner]) -> bool:
    return len(owners) == 1 and owners[0].share_percent == 100


def check_registration_number(check: str, value: str | None, owners: Sequence[Owner]) -> CheckResult:
    """NINEA (tax id) or RCCM (trade register): its format when given; a company without one goes
    to review, a sole proprietor (one owner holding everything) may trade without."""
    pattern = _NINEA if check == "ninea" else _RCCM
    if value is None:
        outcome = KycCheckOutcome.PASSED if sole_proprietor(owners) else KycCheckOutcome.REVIEW
        return CheckResult(check, outcome, {"provided": False})
    outcome = KycCheckOutcome.PASSED if pattern.match(value.upper()) else KycCheckOutcome.FAILED
    return CheckResult(check, outcome, {"provided": True})


def check_owners(owners: Sequence[Owner]) -> CheckResult:
    """At least one owner, shares adding up to at most 100 %, each with a valid ID number."""
    total = sum(owner.share_percent for owner in owners)
    invalid_ids = sum(not _valid_id(owner.national_id) for owner in owners)
    valid = bool(owners) and total <= 100 and not invalid_ids
    outcome = KycCheckOutcome.PASSED if valid else KycCheckOutcome.FAILED
    return CheckResult(
        "beneficial_owners",
        outcome,
        {"owners": len(owners), "total_share": total, "invalid_ids": invalid_ids},
    )


def _valid_id(national_id: str) -> bool:
    try:
        national_id_kind(national_id, allow_legacy=True)
    except InvalidNationalId:
        return False
    return True
