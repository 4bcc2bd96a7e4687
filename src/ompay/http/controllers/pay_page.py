"""The hosted payment page `/pay/{id}`: trade name, amount, QR, till code, countdown, live status.

Server-rendered, no build step, French, made for a phone screen. The page polls its own
status route; anyone with the link sees what the link names (never the customer's phone).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from uuid import UUID

import msgspec
import segno
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from ompay.domain.errors import NotFound
from ompay.domain.sms_texts import francs
from ompay.models import PaymentRequestStatus
from ompay.services.merchants.payments.customer import CustomerPaymentService
from ompay.services.merchants.payments.snapshot import PaymentRequestSnapshot

STATUS_TEXT = {
    PaymentRequestStatus.PENDING: "En attente de paiement…",
    PaymentRequestStatus.SUCCEEDED: "Paiement réussi ✓",
    PaymentRequestStatus.FAILED: "Paiement refusé",
    PaymentRequestStatus.EXPIRED: "Demande expirée",
    PaymentRequestStatus.CANCELLED: "Demande annulée",
}


class PaymentPageView(msgspec.Struct, frozen=True):
    """What the page and its poll may show: nothing about the customer."""

    id: UUID
    trade_name: str
    amount: int
    amount_text: str
    description: str | None
    status: PaymentRequestStatus
    status_text: str
    payment_code: str | None
    expires_at: datetime

    @classmethod
    def of(cls, snapshot: PaymentRequestSnapshot) -> PaymentPageView:
        return cls(
            id=snapshot.id,
            trade_name=snapshot.trade_name,
            amount=snapshot.amount,
            amount_text=francs(snapshot.amount) + " CFA",
            description=snapshot.description,
            status=snapshot.status,
            status_text=STATUS_TEXT[snapshot.status],
            payment_code=snapshot.payment_code,
            expires_at=snapshot.expires_at,
        )


def _security_headers(nonce: str) -> dict[str, str]:
    policy = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )
    return {"Content-Security-Policy": policy, "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _request_id(raw: str) -> UUID:
    """A link someone mistyped or cut short is a request that does not exist, not a routing error."""
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound() from None


class PaymentPageController(Controller):
    path = "/pay"
    include_in_schema = False
    opt = {"exclude_from_auth": True}

    @get("/{request_id:str}")
    async def page(
        self, request_id: FromPath[str], customer_payment_service: NamedDependency[CustomerPaymentService]
    ) -> Template:
        nonce = secrets.token_urlsafe(16)
        try:
            snapshot = await customer_payment_service.public(_request_id(request_id))
        except NotFound:
            return Template(
                "pay_missing.html",
                status_code=404,
                headers=_security_headers(nonce),
                context={"nonce": nonce},
            )
        qr_svg = segno.make(snapshot.qr_payload, error="m").svg_inline(border=2, omitsize=True)
        context = {
            "page": PaymentPageView.of(snapshot),
            "qr_svg": qr_svg,
            "nonce": nonce,
            "status_url": f"/pay/{snapshot.id}/status",
        }
        return Template("pay.html", context=context, headers=_security_headers(nonce))

    @get("/{request_id:str}/status")
    async def status(
        self, request_id: FromPath[str], customer_payment_service: NamedDependency[CustomerPaymentService]
    ) -> Response[PaymentPageView]:
        view = PaymentPageView.of(await customer_payment_service.public(_request_id(request_id)))
        return Response(view, headers={"Cache-Control": "no-store"})
