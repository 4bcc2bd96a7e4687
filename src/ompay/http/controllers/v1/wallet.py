"""/api/v1/wallet: balance, history, one transaction, statement (customers)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated, Literal

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from ompay.http.auth import BEARER_SECURITY, requires_role
from ompay.models import EntryKind, UserRole
from ompay.repositories.ledger import HistoryFilter
from ompay.schemas.fields import text_path
from ompay.schemas.ledger import AmountFilter, TransactionResource, WalletResource, comparable_instant
from ompay.schemas.pages import Cursor, CursorPage, PageLimit
from ompay.schemas.problem import problem_responses
from ompay.services.identity.sessions import CurrentUser
from ompay.services.ledger.wallet import WalletService

STATEMENT_MAX_LINES = 10_000


class WalletController(Controller):
    tags = ["Wallet"]
    security = BEARER_SECURITY
    guards = [requires_role(UserRole.CUSTOMER)]

    @get(
        "/",
        summary="My wallet: balance, status, KYC tier and the room left under each limit",
        responses=problem_responses(401, 403),
    )
    async def wallet(
        self, current_user: NamedDependency[CurrentUser], wallet_service: NamedDependency[WalletService]
    ) -> WalletResource:
        return WalletResource.of(await wallet_service.with_limits(current_user.id))

    @get(
        "/transactions",
        summary="My transactions, newest first (cursor pages)",
        responses=problem_responses(401),
    )
    async def transactions(
        self,
        current_user: NamedDependency[CurrentUser],
        wallet_service: NamedDependency[WalletService],
        limit: PageLimit = 20,
        starting_after: Cursor = None,
        kind: Annotated[EntryKind | None, QueryParameter()] = None,
        direction: Annotated[Literal["credit", "debit"] | None, QueryParameter()] = None,
        since: Annotated[datetime | None, QueryParameter(name="from")] = None,
        until: Annotated[datetime | None, QueryParameter(name="to")] = None,
        min_amount: AmountFilter = None,
        max_amount: AmountFilter = None,
    ) -> CursorPage[TransactionResource]:
        period = comparable_instant(since, "from"), comparable_instant(until, "to")
        filters = HistoryFilter(kind, direction, *period, min_amount, max_amount)
        lines = await wallet_service.history(current_user.id, filters, limit, starting_after)
        return CursorPage.of(lines, limit, TransactionResource.of)

    @get(
        "/transactions/{key:str}",
        summary="One transaction, by id or reference",
        responses=problem_responses(404),
    )
    async def transaction(
        self,
        key: Annotated[str, text_path(100)],
        current_user: NamedDependency[CurrentUser],
        wallet_service: NamedDependency[WalletService],
    ) -> TransactionResource:
        return TransactionResource.of(await wallet_service.transaction(current_user.id, key))

    @get(
        "/statement",
        summary="My statement between two dates, as CSV",
        media_type="text/csv",
        responses=problem_responses(401),
    )
    async def statement(
        self,
        current_user: NamedDependency[CurrentUser],
        wallet_service: NamedDependency[WalletService],
        since: Annotated[datetime, QueryParameter(name="from")],
        until: Annotated[datetime, QueryParameter(name="to")],
    ) -> Response[str]:
        period = HistoryFilter(since=comparable_instant(since, "from"), until=comparable_instant(until, "to"))
        lines = await wallet_service.history(current_user.id, period, STATEMENT_MAX_LINES)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["date", "reference", "kind", "direction", "amount", "balance_after", "description"])
        for line in reversed(lines[:STATEMENT_MAX_LINES]):
            row = TransactionResource.of(line)
            writer.writerow(
                [row.created_at.isoformat(), row.reference, row.kind.value, row.direction, row.amount,
                 row.balance_after, row.description or ""]
            )  # fmt: skip
        filename = f"releve-{since:%Y%m%d}-{until:%Y%m%d}.csv"
        return Response(
            buffer.getvalue(),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
