"""Merchant identifiers and API-key rules."""

from __future__ import annotations

import ipaddress
import secrets
import string
from enum import StrEnum

from ompay.domain.errors import AuthenticationRequired, DomainError, invalid_field

_CODE_ALPHABET = string.ascii_uppercase + string.digits
API_KEY_PREFIX = "ompay_sk_"


class Scope(StrEnum):
    PAYMENTS_WRITE = "payments:write"
    PAYMENTS_READ = "payments:read"
    REFUNDS_WRITE = "refunds:write"
    WEBHOOKS_MANAGE = "webhooks:manage"
    BALANCE_READ = "balance:read"
    REPORTS_READ = "reports:read"


def merchant_code() -> str:
    """`MCH` + 8 uppercase alphanumerics (PRODUCT.md ids)."""
    return "MCH" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def key_hint(key: str) -> str:
    """What a dashboard may show of a key: its prefix and four characters."""
    return key[: len(API_KEY_PREFIX) + 4] + "…"


def parse_networks(raw: list[str] | None, field: str = "allowed_ips") -> list[str] | None:
    """Canonical networks (`203.0.113.7/32`), or a 422 naming the field."""
    if not raw:
        return None
    try:
        return [str(ipaddress.ip_network(network.strip(), strict=False)) for network in raw]
    except ValueError:
        raise invalid_field(
            field,
            "Adresse IP ou réseau invalide (ex. 203.0.113.7 ou 198.51.100.0/24).",
            "Invalid IP or network.",
        ) from None


def ip_allowed(client_ip: str | None, allowed: list[str] | None) -> bool:
    """No allowlist allows everyone; otherwise the client must fall in one of the networks."""
    if not allowed:
        return True
    if client_ip is None:
        return False
    address = ipaddress.ip_address(client_ip)
    return any(address in ipaddress.ip_network(network, strict=False) for network in allowed)


class MerchantNotActive(DomainError):
    code = "MERCHANT_NOT_ACTIVE"
    status = 400
    message_fr = "Le compte marchand n'est pas actif"
    message_en = "The merchant account is not active"


class OwnMerchant(DomainError):
    code = "OWN_MERCHANT"
    status = 400
    message_fr = "Impossible de payer son propre compte marchand"
    message_en = "You cannot pay your own merchant account"


class MerchantStateConflict(DomainError):
    code = "MERCHANT_STATE_CONFLICT"
    status = 409
    message_fr = "Le marchand n'est pas dans un état qui permet cette action"
    message_en = "The merchant is not in a state that allows this action"


class InsufficientScope(DomainError):
    code = "INSUFFICIENT_SCOPE"
    status = 403
    message_fr = "Cette clé d'API n'a pas la permission requise"
    message_en = "This API key lacks the required scope"


class ApiKeyRequired(AuthenticationRequired):
    """A merchant route called without an API key (often with a customer's access token)."""

    code = "API_KEY_REQUIRED"
    message_fr = (
        "Cette route est réservée aux serveurs marchands : envoyez une clé d'API "
        "(Authorization: Bearer ompay_sk_...), pas un jeton de connexion."
    )
    message_en = (
        "This route is for merchant servers: send an API key "
        "(Authorization: Bearer ompay_sk_...), not a sign-in token."
    )


class ApiKeyInvalid(AuthenticationRequired):
    code = "API_KEY_INVALID"
    message_fr = "Clé d'API invalide, expirée ou révoquée"
    message_en = "Invalid, expired or revoked API key"
