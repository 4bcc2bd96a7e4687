"""What a wallet holder reads: balance, history (keyset pages), one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from uuid import UUID

from ompay.domain.errors import NotFound
from ompay.models import AccountKind, EntryKind, JournalEntry, LedgerAccount, Posting
from ompay.repositories.hot_reads import HotReads, WalletBalance, WalletWithLimits
from ompay.repositories.ledger import HistoryFilter, LedgerAccountRepository, PostingRepository
from ompay.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Line:
    """One movement as the account holder sees it: their posting and its entry."""

    posting: Posting
    entry: JournalEntry

    @property
    def id(self) -> UUID:
        return self.posting.id


class WalletService:
    def __init__(self, uow: UnitOfWork, reads: HotReads) -> None:
        self.session = uow.session
        self.reads = reads
        self.accounts = LedgerAccountRepository(session=uow.session)

    async def balance(self, owner_id: UUID) -> WalletBalance:
        """The holder's wallet as the balance screens show it (the hot path: no ORM)."""
        wallet = await self.reads.wallet(owner_id, AccountKind.CUSTOMER_WALLET)
        if wallet is None:
            raise NotFound()
        return wallet

    async def with_limits(self, owner_id: UUID) -> WalletWithLimits:
        """The balance, the holder's tier and the room left under each limit (the app's wallet screen)."""
        wallet = await self.reads.wallet_with_limits(owner_id, AccountKind.CUSTOMER_WALLET, datetime.now(UTC))
        if wallet is None:
            raise NotFound()
        return wallet

    @cached_property
    def postings(self) -> PostingRepository:
        return PostingRepository(session=self.session)

    async def wallet_of(
        self, owner_id: UUID, kind: AccountKind = AccountKind.CUSTOMER_WALLET
    ) -> LedgerAccount:
        """Another owner's wallet is simply not found, never forbidden, so ids reveal nothing."""
        wallet = await self.accounts.owned(owner_id, kind)
        if wallet is None:
            raise NotFound()
        return wallet

    async def history(
        self, owner_id: UUID, filters: HistoryFilter, limit: int, starting_after: UUID | None = None
    ) -> list[Line]:
        """Up to `limit` lines, newest first, plus one more when there are more (see CursorPage)."""
        wallet = await self.wallet_of(owner_id)
        rows = await self.postings.history(wallet.id, filters, limit + 1, starting_after)
        return [Line(posting, entry) for posting, entry in rows]

    async def offset_page(
        self, account_id: UUID, kinds: Sequence[EntryKind], page: int, per_page: int
    ) -> tuple[list[Line], int]:
        """Page-numbered history for the legacy routes, whose contract has `page` and `per_page`."""
        rows, total = await self.postings.page(account_id, kinds, (page - 1) * per_page, per_page)
        return [Line(posting, entry) for posting, entry in rows], total

    async def owned_account(self, owner_id: UUID, account_id: UUID) -> LedgerAccount:
        """An account of the caller's; anyone else's is simply not found."""
        account = await self.accounts.get_one_or_none(id=account_id, owner_id=owner_id)
        if account is None:
            raise NotFound()
        return account

    async def transaction(self, owner_id: UUID, id_or_reference: str) -> Line:
        """One of the holder's movements; someone else's is simply not found."""
        wallet = await self.wallet_of(owner_id)
        row = await self.postings.of_entry_for_account(wallet.id, id_or_reference)
        if row is None:
            raise NotFound()
        posting, entry = row
        return Line(posting, entry)
