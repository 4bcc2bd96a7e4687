"""The posting engine: the one way money moves (LEDGER.md "Rules that never bend").

`LedgerService.post` runs one protocol, in this order (docs/ARCHITECTURE.md "Posting protocol"):

1. **claim**: insert the entry, carrying the idempotency key, and flush. The unique index on
   (initiator, key) makes the first of two twins the owner before any money is touched; the
   loser replays the winner's entry. Claimed later, two twins could both move money.
2. **lock** the accounts, in id order (`SELECT … FOR UPDATE`). One order everywhere means two
   opposite transfers queue instead of deadlocking; balances read before the lock are stale.
3. **plan** the postings (pure, `domain/ledger.py`): statuses, funds and a zero sum, checked on
   the locked rows. Planned before the lock, a concurrent debit could overdraw.
4. **limits** (`LimitPolicy`), on the same locked rows, so two concurrent credits cannot both
   slip under a cap; before the writes, so a refusal writes nothing.
5. **apply**: the balances (one batched update) and the postings (one insert).
6. **within**: the caller's own writes (a payment request marked paid, an event, an outbox
   row) in the same transaction, so they commit with the money or not at all.
7. **audit**: the audit record joins the transaction; an entry without its record can't exist.
8. **commit**, then the unit of work relays the committed outbox rows (never before: a job
   must not see a change that may still roll back).

Steps 1 to 6 run in a savepoint: when Postgres picks them as a deadlock or serialization victim,
or the entry reference collides, they are rolled back and tried again with a new reference, at
most `MAX_POSTING_ATTEMPTS` times, each retry counted in `ompay_ledger_retries_total{reason}`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.exc import DBAPIError, IntegrityError

from ompay.domain.actors import Actor
from ompay.domain.errors import Conflict
from ompay.domain.ledger import Leg, PlannedPosting, plan_postings, shard_for
from ompay.domain.ledger_errors import IdempotencyKeyReused
from ompay.domain.limits import LimitExceeded, LimitPolicy, Movement
from ompay.domain.references import entry_reference
from ompay.domain.tier_limits import CounterpartyLimitExceeded
from ompay.lib.db_faults import retryable_conflict
from ompay.lib.metrics import LEDGER_RETRIES, MONEY_MOVEMENTS
from ompay.models import AccountKind, EntryKind, EntryStatus, JournalEntry
from ompay.models.base import new_id
from ompay.repositories.ledger import JournalEntryRepository, LedgerAccountRepository
from ompay.repositories.refusals import LimitRefusalLog
from ompay.services.compliance.topics import ENTRY_POSTED
from ompay.services.unit_of_work import UnitOfWork

_system_accounts: dict[AccountKind, list[UUID]] = {}

MAX_POSTING_ATTEMPTS = 4
_IDEMPOTENCY_INDEX = "uq_journal_entries_idempotency"
_REFERENCE_CONSTRAINT = "uq_journal_entries_reference"

Within = Callable[[JournalEntry], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Idempotency:
    key: str
    request_hash: str


@dataclass(frozen=True, slots=True)
class EntryRequest:
    kind: EntryKind
    amount: int
    legs: tuple[Leg, ...]
    initiator: Actor
    debtor: UUID | None
    fee: int = 0
    idempotency: Idempotency | None = None
    description: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    reversal_of: UUID | None = None
    capped: bool = True


@dataclass(frozen=True, slots=True)
class Posted:
    """The entry, and (unless replayed) its postings as (posting id, account, signed amount)."""

    entry: JournalEntry
    replayed: bool = False
    postings: tuple[tuple[UUID, UUID, int], ...] = ()


@dataclass(frozen=True, slots=True)
class _Written:
    """An entry and its postings, written but not yet committed."""

    entry: JournalEntry
    planned: list[PlannedPosting]
    posting_ids: list[UUID]


class LedgerService:
    def __init__(self, uow: UnitOfWork, limits: LimitPolicy, refusals: LimitRefusalLog) -> None:
        self.uow = uow
        self.limits = limits
        self.refusals = refusals
        self.accounts = LedgerAccountRepository(session=uow.session)
        self.entries = JournalEntryRepository(session=uow.session)

    async def post(self, request: EntryRequest, within: Within | None = None) -> Posted:
        """Post `request` by the protocol above; a retry with the same key replays the first entry."""
        attempt = 1
        while True:
            try:
                written = await self._write(request, within)
            except (LimitExceeded, CounterpartyLimitExceeded) as refusal:
                # logged once the savepoint is gone: never while the accounts are still locked
                await self.refusals.record(refusal, request.kind.value, request.amount, request.initiator)
                raise
            except DBAPIError as exc:
                reason = _retry_reason(exc)
                if reason is None or attempt == MAX_POSTING_ATTEMPTS:
                    raise
                LEDGER_RETRIES.labels(reason=reason).inc()
                attempt += 1
                continue
            return written if isinstance(written, Posted) else await self._commit(request, written)

    async def _write(self, request: EntryRequest, within: Within | None) -> Posted | _Written:
        """Everything but the commit, in a savepoint; a replay when a twin holds the idempotency key."""
        entry = self._entry(request)
        try:
            async with self.uow.session.begin_nested():
                self.uow.session.add(entry)
                await self.uow.session.flush()
                planned, posting_ids = await self._postings(entry, request, within)
        except IntegrityError as exc:
            if request.idempotency is None or _IDEMPOTENCY_INDEX not in str(exc.orig):
                raise
            return await self._replay_twin(request, exc)
        return _Written(entry, planned, posting_ids)

    async def _postings(
        self, entry: JournalEntry, request: EntryRequest, within: Within | None
    ) -> tuple[list[PlannedPosting], list[UUID]]:
        try:
            accounts = await self.accounts.lock([leg.account_id for leg in request.legs])
            planned = plan_postings(request.legs, accounts, request.debtor)
            legs = {leg.account_id: leg.amount for leg in request.legs}
            await self.limits.check(
                Movement(request.kind, request.amount, legs, request.debtor, request.capped), accounts
            )
            posting_ids = await self.accounts.apply(entry.id, planned)
            if within is not None:
                await within(entry)
        except Exception as exc:
            MONEY_MOVEMENTS.labels(kind=request.kind.value, outcome=type(exc).__name__).inc()
            raise
        return planned, posting_ids

    async def _commit(self, request: EntryRequest, written: _Written) -> Posted:
        entry = written.entry
        self.uow.audit.record(
            "ledger.entry_posted",
            request.initiator,
            target_type="journal_entry",
            target_id=str(entry.id),
            changes={"reference": entry.reference, "kind": request.kind.value, "amount": request.amount},
        )
        self.uow.outbox.add(ENTRY_POSTED, {"entry_id": str(entry.id)})
        await self.uow.commit()
        MONEY_MOVEMENTS.labels(kind=request.kind.value, outcome="posted").inc()
        postings = tuple(
            (pid, p.account_id, p.amount) for pid, p in zip(written.posting_ids, written.planned, strict=True)
        )
        return Posted(entry, postings=postings)

    async def system_account(self, kind: AccountKind, entry_hint: UUID) -> UUID:
        """The shard of a system account that an entry should touch (spread by entry id)."""
        if not _system_accounts:
            _system_accounts.update(await self.accounts.system_account_ids())
        shards = _system_accounts[kind]
        return shards[shard_for(entry_hint) % len(shards)]

    def _entry(self, request: EntryRequest) -> JournalEntry:
        return JournalEntry(
            id=new_id(),
            reference=entry_reference(datetime.now(UTC)),
            kind=request.kind,
            status=EntryStatus.POSTED,
            amount=request.amount,
            fee=request.fee,
            initiator_type=request.initiator.type,
            initiator_id=request.initiator.id or "system",
            idempotency_key=request.idempotency.key if request.idempotency else None,
            request_hash=request.idempotency.request_hash if request.idempotency else None,
            description=request.description,
            details=request.details,
            reversal_of_id=request.reversal_of,
        )

    async def _replay_twin(self, request: EntryRequest, exc: IntegrityError) -> Posted:
        """A concurrent twin claimed the key first: once it has committed, replay its entry."""
        await self.uow.rollback()
        replay = await self.replay(request.initiator, request.idempotency)
        if replay is None:
            raise Conflict() from exc
        return replay

    async def replay(self, initiator: Actor, idempotency: Idempotency | None) -> Posted | None:
        """The entry an earlier request with this key posted, so a retry replays it before any other check.

        The same key with a different request is refused (`IDEMPOTENCY_KEY_REUSED`).
        """
        if idempotency is None:
            return None
        existing = await self.entries.by_idempotency_key(initiator.id or "system", idempotency.key)
        if existing is None:
            return None
        if existing.request_hash != idempotency.request_hash:
            raise IdempotencyKeyReused()
        MONEY_MOVEMENTS.labels(kind=existing.kind.value, outcome="replayed").inc()
        return Posted(existing, replayed=True)


def _retry_reason(exc: DBAPIError) -> str | None:
    """Why a failed write may simply be tried again, or None when it may not."""
    if isinstance(exc, IntegrityError) and _REFERENCE_CONSTRAINT in str(exc.orig):
        return "reference_collision"
    return retryable_conflict(exc)
