"""Payment-request rules: till codes, signed QR payloads, refusals."""

from __future__ import annotations

import hmac
import secrets
from hashlib import sha256
from uuid import UUID

from ompay.domain.errors import DomainError, FieldError, invalid_field

QR_PREFIX = "OMPAY1"
DEFAULT_EXPIRY = 15 * 60
MAX_EXPIRY = 24 * 3600
MIN_EXPIRY = 60


def payment_code() -> str:
    """Six digits a customer types at a till or on USSD; unique among pending requests."""
    return f"{secrets.randbelow(10**6):06d}"


def qr_payload(key: bytes, request_id: UUID) -> str:
    """`OMPAY1.<id hex>.<signature>`: compact enough for a small QR, useless if altered."""
    return f"{QR_PREFIX}.{request_id.hex}.{_signature(key, request_id)}"


def request_of_qr(key: bytes, payload: str) -> UUID:
    """The request a QR payload names, or a 422 on `qr_payload` when it was not signed by us."""
    prefix, _, rest = payload.strip().partition(".")
    raw_id, _, signature = rest.partition(".")
    try:
        request_id = UUID(hex=raw_id)
    except ValueError:
        request_id = None
    if (
        prefix != QR_PREFIX
        or request_id is None
        or not hmac.compare_digest(signature, _signature(key, request_id))
    ):
        raise invalid_field("qr_payload", "QR code invalide.", "Invalid QR code.")
    return request_id


def _signature(key: bytes, request_id: UUID) -> str:
    return hmac.new(key, b"payment-request:" + request_id.bytes, sha256).hexdigest()[:20]


class PaymentRequestNotPending(DomainError):
    code = "PAYMENT_REQUEST_NOT_PENDING"
    status = 409
    message_fr = "Cette demande de paiement n'est plus en attente"
    message_en = "This payment request is no longer pending"


class PaymentRequestExpired(DomainError):
    code = "PAYMENT_REQUEST_EXPIRED"
    status = 409
    message_fr = "Cette demande de paiement a expiré"
    message_en = "This payment request has expired"


class NoCustomerPhone(DomainError):
    code = "CUSTOMER_PHONE_REQUIRED"
    status = 400
    message_fr = "Cette demande de paiement n'indique pas le téléphone du client"
    message_en = "This payment request has no customer phone"


class RefundExceedsRemaining(DomainError):
    code = "REFUND_EXCEEDS_REMAINING"
    status = 422
    message_fr = "Le montant dépasse ce qui reste remboursable sur ce paiement"
    message_en = "The amount exceeds what remains refundable on this payment"


def refund_exceeds_remaining(remaining: int) -> RefundExceedsRemaining:
    return RefundExceedsRemaining(
        errors=(
            FieldError(
                "amount",
                f"Au plus {remaining} F restent remboursables.",
                f"At most {remaining} F can be refunded.",
            ),
        )
    )


class PaymentNotRefundable(DomainError):
    code = "PAYMENT_NOT_REFUNDABLE"
    status = 409
    message_fr = "Seul un paiement réussi peut être remboursé"
    message_en = "Only a succeeded payment can be refunded"
