"""The customer's side of merchant payments: requests addressed to me, and paying by code or QR."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from ompay.http.auth import BEARER_SECURITY, requires_role
from ompay.http.middleware.velocity import MONEY_GATES
from ompay.models import PaymentRequest, UserRole
from ompay.schemas.payments import (
    ApproveRequest,
    CustomerPaymentRequest,
    CustomerPaymentRequestList,
    PaymentCreate,
)
from ompay.schemas.problem import problem_responses
from ompay.services.identity.sessions import CurrentUser
from ompay.services.ledger.posting import Idempotency
from ompay.services.merchants.payments.customer import CustomerPaymentService

MONEY_ERRORS = problem_responses(400, 401, 403, 404, 409, 429)


class CustomerPaymentRequestController(Controller):
    path = "/payment-requests"
    tags = ["Payments"]
    security = BEARER_SECURITY
    guards = [requires_role(UserRole.CUSTOMER)]

    @get("/", summary="Payment requests addressed to my phone", responses=problem_responses(401))
    async def index(
        self,
        current_user: NamedDependency[CurrentUser],
        customer_payment_service: NamedDependency[CustomerPaymentService],
        status: Annotated[Literal["pending"], QueryParameter()] = "pending",
    ) -> CustomerPaymentRequestList:
        pending = await customer_payment_service.snapshots(
            await customer_payment_service.pending_for(current_user.phone)
        )
        return CustomerPaymentRequestList([CustomerPaymentRequest.of(snapshot) for snapshot in pending])

    @get(
        "/{request_id:uuid}", summary="One payment request addressed to me", responses=problem_responses(404)
    )
    async def show(
        self,
        request_id: FromPath[UUID],
        current_user: NamedDependency[CurrentUser],
        customer_payment_service: NamedDependency[CustomerPaymentService],
    ) -> CustomerPaymentRequest:
        found = await customer_payment_service.addressed_to(current_user.phone, request_id)
        return await _customer_view(customer_payment_service, found)

    @post(
        "/{request_id:uuid}/approve",
        status_code=200,
        summary="Pay it, with my PIN",
        responses=MONEY_ERRORS,
        middleware=MONEY_GATES,
    )
    async def approve(
        self,
        request_id: FromPath[UUID],
        data: JSONBody[ApproveRequest],
        current_user: NamedDependency[CurrentUser],
        customer_payment_service: NamedDependency[CustomerPaymentService],
        idempotency: NamedDependency[Idempotency | None],
    ) -> CustomerPaymentRequest:
        user = current_user
        paid = await customer_payment_service.approve(user.id, user.phone, request_id, data.pin, idempotency)
        return await _customer_view(customer_payment_service, paid)

    @post("/{request_id:uuid}/decline", status_code=200, summary="Refuse it", responses=MONEY_ERRORS)
    async def decline(
        self,
        request_id: FromPath[UUID],
        current_user: NamedDependency[CurrentUser],
        customer_payment_service: NamedDependency[CustomerPaymentService],
    ) -> CustomerPaymentRequest:
        declined = await customer_payment_service.decline(current_user.phone, request_id)
        return await _customer_view(customer_payment_service, declined)


class PaymentController(Controller):
    path = "/payments"
    tags = ["Payments"]
    security = BEARER_SECURITY
    guards = [requires_role(UserRole.CUSTOMER)]

    @post(
        "/",
        summary="Pay by till code, QR, or merchant code and amount",
        responses=MONEY_ERRORS,
        middleware=MONEY_GATES,
    )
    async def create(
        self,
        data: JSONBody[PaymentCreate],
        current_user: NamedDependency[CurrentUser],
        customer_payment_service: NamedDependency[CustomerPaymentService],
        idempotency: NamedDependency[Idempotency | None],
    ) -> CustomerPaymentRequest:
        user_id = current_user.id
        way = data.way()
        if way == "merchant_code":
            paid, _ = await customer_payment_service.pay_merchant(
                user_id, data.merchant_code or "", data.amount or 0, data.pin, idempotency, data.description
            )
        else:
            paid = await customer_payment_service.pay_by_code(
                user_id, data.pin, idempotency, code=data.payment_code, qr=data.qr_payload
            )
        return await _customer_view(customer_payment_service, paid)


async def _customer_view(
    customer_payment_service: CustomerPaymentService, request: PaymentRequest
) -> CustomerPaymentRequest:
    return CustomerPaymentRequest.of(await customer_payment_service.snapshot_of(request))
