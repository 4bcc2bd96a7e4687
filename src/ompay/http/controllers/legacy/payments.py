"""Legacy POST /api/paiement/marchand: pay a merchant by its code (bearer token, no PIN, as before)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from ompay.http.middleware.kyc_gate import KYC_GATE
from ompay.schemas.legacy import envelope
from ompay.schemas.legacy_ledger import PAYMENT_FIELDS, LegacyMerchantPaymentRequest, posted_rows
from ompay.services.identity.sessions import CurrentUser
from ompay.services.ledger.wallet import WalletService
from ompay.services.merchants.payments.customer import CustomerPaymentService


class LegacyPaymentController(Controller):
    path = "/paiement"
    opt = {"legacy_fields": PAYMENT_FIELDS}

    @post("/marchand", status_code=200, middleware=[KYC_GATE])
    async def pay_merchant(
        self,
        data: JSONBody[LegacyMerchantPaymentRequest],
        current_user: NamedDependency[CurrentUser],
        customer_payment_service: NamedDependency[CustomerPaymentService],
        wallet_service: NamedDependency[WalletService],
    ) -> dict[str, Any]:
        # The legacy contract authorises a payment by the bearer token alone (no PIN field).
        payment, posted = await customer_payment_service.pay_merchant(
            current_user.id, data.code_marchand, int(data.montant), None, None
        )
        debit, credit = posted_rows(posted)
        wallet = await wallet_service.balance(current_user.id)
        body = {
            "montant": payment.amount,
            "code_marchand": posted.entry.details["merchant_code"],
            "solde_client": wallet.balance,
            "reference": posted.entry.reference,
            "debit_transaction": debit,
            "credit_transaction": credit,
        }
        return envelope("Paiement effectué avec succès", body)
