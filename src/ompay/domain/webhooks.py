"""Webhook rules: the signature scheme (PRODUCT.md), retry schedule, and which targets are allowed."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from hashlib import sha256
from urllib.parse import urlsplit

from ompay.domain.errors import invalid_field

SIGNATURE_HEADER = "OMPAY-Signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix of generated secrets, not a secret
EVENT_TYPES = (
    "payment_request.succeeded",
    "payment_request.failed",
    "payment_request.expired",
    "payment_request.cancelled",
    "payment_request.refunded",
    "refund.succeeded",
)


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """hex HMAC-SHA256 of `<t>.<raw body>` under the endpoint secret."""
    return hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, sha256).hexdigest()


def signature_header(secrets_in_use: list[str], timestamp: int, body: bytes) -> str:
    """`t=<unix>,v1=<hex>[,v1=<hex>]`: one v1 per live secret, so a rotation never breaks receivers."""
    return ",".join([f"t={timestamp}", *(f"v1={signature(s, timestamp, body)}" for s in secrets_in_use)])


def retry_delay(attempt: int, base: int, cap: int) -> int:
    """Seconds before attempt `attempt + 1`: base, twice that, four times, and so on up to the cap."""
    return int(min(base * 2 ** (attempt - 1), cap))


def checked_url(url: str, *, production: bool) -> str:
    """An endpoint URL: https in production (http allowed elsewhere), with a host, no credentials."""
    parts = urlsplit(url.strip())
    allowed = ("https",) if production else ("https", "http")
    if parts.scheme not in allowed or not parts.hostname or parts.username or parts.password:
        raise invalid_field(
            "url",
            "URL invalide : https://… attendu"
            + ("" if production else " (http:// accepté hors production)")
            + ".",
            "Invalid URL: https://… expected"
            + ("" if production else " (http:// allowed outside production)")
            + ".",
        )
    return parts.geturl()


def is_forbidden_address(address: str) -> bool:
    """Addresses an outgoing call must never reach in production (SSRF): private, loopback, link-local…"""
    ip = ipaddress.ip_address(address)
    return not ip.is_global or ip.is_multicast
