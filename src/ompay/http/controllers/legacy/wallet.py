"""Legacy /api/ompay/* wallet routes and /api/dashboard, over the same services as /api/v1."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from config.settings import Settings
from ompay.domain.errors import NotFound
from ompay.http.middleware.velocity import MONEY_GATES
from ompay.models import EntryKind
from ompay.schemas.fields import parse_phone
from ompay.schemas.legacy import envelope
from ompay.schemas.legacy_errors import ACCOUNT_ERRORS, TRANSFER_ERRORS
from ompay.schemas.legacy_ledger import (
    KINDS_BY_LEGACY_TYPE,
    LEDGER_FIELDS,
    LegacyDepositRequest,
    LegacyTransferRequest,
    LegacyWithdrawRequest,
    balance_data,
    cash_data,
    dashboard_data,
    line_row,
    posted_rows,
)
from ompay.services.identity.sessions import CurrentUser
from ompay.services.identity.users import UserService
from ompay.services.ledger.money import MoneyService
from ompay.services.ledger.wallet import WalletService

Envelope = dict[str, Any]
LegacyType = Literal["depot", "retrait", "transfert", "paiement"]
DASHBOARD_LINES = 10
LAST_PAGE = 1_000_000  # far past any history, and (page - 1) * per_page stays a bigint offset


class LegacyWalletController(Controller):
    path = "/ompay"
    opt = {"legacy_fields": LEDGER_FIELDS}

    @get("/balance")
    async def balance(
        self, current_user: NamedDependency[CurrentUser], wallet_service: NamedDependency[WalletService]
    ) -> Envelope:
        return envelope(
            "Solde récupéré avec succès", balance_data(await wallet_service.balance(current_user.id))
        )

    @post("/transfer", status_code=200, opt={"legacy_errors": TRANSFER_ERRORS}, middleware=MONEY_GATES)
    async def transfer(
        self,
        data: JSONBody[LegacyTransferRequest],
        current_user: NamedDependency[CurrentUser],
        money_service: NamedDependency[MoneyService],
        settings: NamedDependency[Settings],
    ) -> Envelope:
        recipient = parse_phone(data.recipient_telephone, settings.auth.prefixes, field="recipient_telephone")
        # The legacy contract authorises a transfer by the bearer token alone (no PIN field).
        posted = await money_service.transfer(
            current_user.id, recipient, int(data.amount), None, None, data.description
        )
        debit, credit = posted_rows(posted)
        return envelope(
            "Transfert effectué avec succès",
            {"debit_transaction": debit, "credit_transaction": credit, "reference": posted.entry.reference},
        )

    @get("/history")
    async def history(
        self,
        current_user: NamedDependency[CurrentUser],
        wallet_service: NamedDependency[WalletService],
        page: Annotated[int, QueryParameter(ge=1, le=LAST_PAGE)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        type: Annotated[LegacyType | None, QueryParameter()] = None,
    ) -> Envelope:
        wallet = await wallet_service.wallet_of(current_user.id)
        kinds = [KINDS_BY_LEGACY_TYPE[type]] if type else []
        lines, total = await wallet_service.offset_page(wallet.id, kinds, page, per_page)
        pagination = {
            "current_page": page,
            "per_page": per_page,
            "total": total,
            "last_page": max(1, -(-total // per_page)),
        }
        data = {"transactions": [line_row(line) for line in lines], "pagination": pagination}
        return envelope("Historique récupéré avec succès", data)

    @get("/transactions/{compte_id:uuid}", opt={"legacy_errors": ACCOUNT_ERRORS})
    async def account_transactions(
        self,
        compte_id: FromPath[UUID],
        current_user: NamedDependency[CurrentUser],
        wallet_service: NamedDependency[WalletService],
    ) -> Envelope:
        account = await wallet_service.owned_account(current_user.id, compte_id)
        lines, _ = await wallet_service.offset_page(account.id, [], 1, 100)
        return envelope("Historique récupéré avec succès", [line_row(line) for line in lines])


class LegacySelfServiceCashController(Controller):
    """A customer crediting or debiting their own wallet from nowhere: mounted only in a sandbox."""

    path = "/ompay"
    opt = {"legacy_fields": LEDGER_FIELDS}

    @post("/deposit", status_code=200, middleware=MONEY_GATES)
    async def deposit(
        self,
        data: JSONBody[LegacyDepositRequest],
        current_user: NamedDependency[CurrentUser],
        money_service: NamedDependency[MoneyService],
    ) -> Envelope:
        posted = await money_service.self_service_cash(
            current_user.id, int(data.amount), EntryKind.CASH_IN, data.description
        )
        _, wallet_row = posted_rows(posted)
        return envelope("Dépôt effectué avec succès", cash_data(posted, wallet_row))

    @post("/withdraw", status_code=200, middleware=MONEY_GATES)
    async def withdraw(
        self,
        data: JSONBody[LegacyWithdrawRequest],
        current_user: NamedDependency[CurrentUser],
        money_service: NamedDependency[MoneyService],
    ) -> Envelope:
        posted = await money_service.self_service_cash(
            current_user.id, int(data.amount), EntryKind.CASH_OUT, data.description
        )
        wallet_row, _ = posted_rows(posted)
        return envelope("Retrait effectué avec succès", cash_data(posted, wallet_row))


class LegacyDashboardController(Controller):
    path = "/dashboard"

    @get("/")
    async def dashboard(
        self,
        current_user: NamedDependency[CurrentUser],
        user_service: NamedDependency[UserService],
        wallet_service: NamedDependency[WalletService],
    ) -> Envelope:
        profile = await user_service.profile(current_user.id)
        if profile.wallet is None:
            raise NotFound()
        lines, _ = await wallet_service.offset_page(profile.wallet.id, [], 1, DASHBOARD_LINES)
        return envelope("Dashboard utilisateur", dashboard_data(profile.user, profile.wallet, lines))
