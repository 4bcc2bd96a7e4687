"""The posting engine: the one way money moves (LEDGER.md "Rules that never bend").

`LedgerService.post` checks what needs no lock (balanced legs, amount bounds), then runs the
posting protocol in one database round trip, the function `ledger_post_entry` (created by
migration; docs/ARCHITECTURE.md "Posting protocol"):

1. **claim**: insert the entry, carrying the idempotency key. The unique index on (initiator,
   key) makes the first of two twins the owner before any money is touched; the other waits for
   it and replays its entry. Claimed later, two twins could both move money.
2. **lock** the accounts, and every other account of the same persons, in id order. One order
   everywhere means two opposite transfers queue instead of deadlocking; balances read before
   the lock are stale.
3. **refuse** an inactive account or an overdraft, on the locked rows.
4. **limits**: bump each person's credits of the month and hold them to their KYC tier limits,
   on the same locked rows, so two concurrent credits cannot both slip under a cap.
5. **apply**: the balances and the postings.
6. **audit and outbox**: the audit record and the `entry.posted` message join the transaction;
   an entry without its record can't exist.

A refusal rolls back everything the function wrote and comes back as the domain error
(`domain/posting_refusals.py`). Then
**within**: the caller's own writes (a payment request marked paid), in a savepoint with the
function, so they commit with the money or not at all. Finally the **commit**, after which the
unit of work relays the outbox message (never before: a job must not see a change that may
still roll back). A reference drawn twice, or a deadlock or serialization victim (the function
rolls itself back and says so; `within` has its savepoint), is tried again at most
`MAX_POSTING_ATTEMPTS` times, each retry counted in `ompay_ledger_retries_total{reason}`; then
the caller is told to try again later (503).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.exc import DBAPIError

from ompay.domain.actors import Actor
from ompay.domain.errors import Conflict, ServiceUnavailable
from ompay.domain.ledger import Leg, check_balanced, shard_for
from ompay.domain.ledger_errors import IdempotencyKeyReused
from ompay.domain.posting_refusals import posting_refusal
from ompay.domain.references import entry_reference
from ompay.lib.db_faults import RETRY_AFTER_SECONDS, conflict_reason, retryable_conflict
from ompay.lib.metrics import LEDGER_RETRIES, MONEY_MOVEMENTS
from ompay.models import AccountKind, EntryKind, EntryStatus, JournalEntry
from ompay.models.base import new_id
from ompay.repositories.ledger import JournalEntryRepository, LedgerAccountRepository, PostingOutcome
from ompay.repositories.refusals import LimitRefusalLog
from ompay.services.compliance.limits import KycLimitPolicy
from ompay.services.compliance.topics import ENTRY_POSTED
from ompay.services.outbox import OutboxService
from ompay.services.unit_of_work import UnitOfWork

_system_accounts: dict[AccountKind, list[UUID]] = {}

MAX_POSTING_ATTEMPTS = 4

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


class _TryAgain(RuntimeError):
    """The attempt left nothing behind and may simply be tried again; `reason` labels the retry."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LedgerService:
    def __init__(self, uow: UnitOfWork, limits: KycLimitPolicy, refusals: LimitRefusalLog) -> None:
        self.uow = uow
        self.limits = limits
        self.refusals = refusals
        self.accounts = LedgerAccountRepository(session=uow.session)
        self.entries = JournalEntryRepository(session=uow.session)

    async def post(self, request: EntryRequest, within: Within | None = None) -> Posted:
        """Post `request` by the protocol above; a retry with the same key replays the first entry."""
        check_balanced(request.legs)
        attempt = 1
        while True:
            try:
                posted = await self._attempt(request, within)
                break
            except Exception as exc:
                reason = _retry_reason(exc, in_savepoint=within is not None)
                if reason is not None and attempt < MAX_POSTING_ATTEMPTS:
                    LEDGER_RETRIES.labels(reason=reason).inc()
                    attempt += 1
                    continue
                failure = ServiceUnavailable(retry_after=RETRY_AFTER_SECONDS) if reason else exc
                await self._failed(request, failure)
                if failure is not exc:
                    raise failure from exc
                raise
        if not posted.replayed:
            await self.uow.commit()  # never retried: a commit that fails has no savepoint to return to
            MONEY_MOVEMENTS.labels(kind=request.kind.value, outcome="posted").inc()
        return posted

    async def _attempt(self, request: EntryRequest, within: Within | None) -> Posted:
        entry = self._entry(request)
        limits_at = self.limits.check(request.kind, request.amount, request.capped)
        posting_ids = [new_id() for _ in request.legs]
        audit = self.uow.audit.values(
            "ledger.entry_posted",
            request.initiator,
            target_type="journal_entry",
            target_id=str(entry.id),
            changes={"reference": entry.reference, "kind": request.kind.value, "amount": request.amount},
        )
        message = OutboxService.values(ENTRY_POSTED, {"entry_id": str(entry.id)})

        async def post_entry() -> PostingOutcome:
            return await self.entries.post(
                entry, request.legs, posting_ids, request.debtor, limits_at, audit, message
            )

        if within is None:
            outcome = await post_entry()
        else:
            async with self.uow.session.begin_nested():
                outcome = await post_entry()
                if outcome.outcome == "posted":
                    await within(entry)
        if outcome.outcome == "replay":
            return await self._replay_twin(request)
        entry.created_at = _posted_at(outcome)
        self.uow.outbox.track(message["id"], message["queue"])
        postings = zip(posting_ids, request.legs, strict=True)
        return Posted(entry, postings=tuple((pid, leg.account_id, leg.amount) for pid, leg in postings))

    async def _failed(self, request: EntryRequest, exc: Exception) -> None:
        """Counted by outcome; a limit refusal is logged too (the compliance pack counts them), on a
        connection of its own now that the refused movement holds no lock."""
        MONEY_MOVEMENTS.labels(kind=request.kind.value, outcome=type(exc).__name__).inc()
        await self.refusals.record(exc, request.kind.value, request.amount, request.initiator)

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

    async def _replay_twin(self, request: EntryRequest) -> Posted:
        """A twin claimed the key first and has committed: replay its entry, and nothing of ours."""
        await self.uow.rollback()
        replay = await self.replay(request.initiator, request.idempotency)
        if replay is None:
            raise Conflict()
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


def _posted_at(outcome: PostingOutcome) -> datetime:
    """When the entry was posted; any other outcome raises its refusal, or `_TryAgain`."""
    match outcome:
        case PostingOutcome(outcome="posted", created_at=datetime() as created_at):
            return created_at
        case PostingOutcome(outcome="refused", detail=dict() as refusal):
            raise posting_refusal(refusal)
        case PostingOutcome(outcome="conflict", detail={"sqlstate": str() as sqlstate}):
            raise _TryAgain(conflict_reason(sqlstate) or "conflict")
        case PostingOutcome(outcome="reference_collision"):
            raise _TryAgain("reference_collision")
    raise RuntimeError(f"ledger_post_entry answered {outcome.outcome!r}")


def _retry_reason(exc: Exception, in_savepoint: bool) -> str | None:
    """Why an attempt may simply be tried again, or None when it may not.

    The posting function reports a reference drawn twice, and its own deadlocks, having rolled
    them back. A deadlock of the caller's `within` writes can be tried again only because a
    savepoint rolled the attempt back.
    """
    if isinstance(exc, _TryAgain):
        return exc.reason
    if in_savepoint and isinstance(exc, DBAPIError):
        return retryable_conflict(exc)
    return None
