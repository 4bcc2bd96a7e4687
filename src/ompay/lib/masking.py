"""Masking of secrets and personal data before anything is logged or audited.

Two nets: values under a sensitive key are masked whatever they look like, and free text
is scanned for phone numbers, bearer tokens, API keys and the row values Postgres puts in an
error's DETAIL line (SQL parameters themselves are hidden by the engine, config.database).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[REDACTED]"

_SECRET_KEYS = frozenset(
    {
        "password",
        "password_confirmation",
        "new_password",
        "current_password",
        "pin",
        "new_pin",
        "current_pin",
        "otp",
        "otp_code",
        "token",
        "access_token",
        "refresh_token",
        "secret",
        "api_key",
        "authorization",
        "cookie",
        "set-cookie",
        "signing_secret",
    }
)
_PARTIAL_KEYS = frozenset(
    {"phone", "telephone", "msisdn", "recipient_telephone", "nin", "cni", "national_id", "email"}
)

_PATTERNS = (
    re.compile(r"\beyJ[\w-]+\.[\w-]+\.[\w-]+"),  # JWT
    re.compile(r"\bompay_(?:sk|whsec)_\w+"),  # API key / webhook secret
    re.compile(r"(?i)\bbearer\s+\S+"),
    # A Postgres error's detail: "Key (reference)=(OMP-...)", "Failing row contains (...)"
    re.compile(r"(?m)(?<=^DETAIL:  ).+"),
)
_PHONE = re.compile(r"(?<!\d)(?:\+|00)?(?:221)?7[05678]\d{7}(?!\d)")


def mask_tail(value: str, keep: int = 2) -> str:
    """`+221771234567` -> `***********67`: enough to tell records apart, not to reuse."""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]


def mask_text(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return _PHONE.sub(lambda match: mask_tail(match.group(0)), text)


def mask_value(key: str, value: Any) -> Any:
    lowered = key.lower()
    if lowered in _SECRET_KEYS:
        return REDACTED
    if lowered in _PARTIAL_KEYS and isinstance(value, str):
        return mask_tail(value)
    return mask_data(value)


def mask_data(value: Any) -> Any:
    """Mask a value of any shape: mappings by key, sequences item by item, strings by pattern."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {k: mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_data(item) for item in value]
    return value
