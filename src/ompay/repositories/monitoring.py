"""Queries for transaction monitoring: rule versions, a person's activity, decisions, cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.monitoring import Activity, Movement
from ompay.models import (
    Alert,
    CaseNote,
    CaseStatus,
    ComplianceCase,
    KycLimit,
    MonitoringDecision,
    MonitoringRuleVersion,
    Person,
)

ROLE_OF_KIND = {"customer_wallet": "customer", "merchant_wallet": "merchant", "agent_float": "agent"}

_PERSONS_IN_ENTRY = text("""
SELECT DISTINCT a.person_id, a.kind FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
WHERE p.entry_id = :entry AND a.person_id IS NOT NULL
""")

# The person's movements, one per entry: in the window, or among the last `last`. Every read
# walks an account's postings by the (account, created_at) index, never its whole history.
_MOVEMENTS = text("""
WITH accounts AS (SELECT id FROM ledger_accounts WHERE person_id = :person),
recent AS (
    SELECT p.entry_id, p.amount, p.created_at FROM accounts a
    JOIN postings p ON p.account_id = a.id AND p.created_at > :since AND p.created_at <= :as_of
    UNION
    SELECT l.entry_id, l.amount, l.created_at FROM accounts a CROSS JOIN LATERAL (
        SELECT p.entry_id, p.amount, p.created_at FROM postings p
        WHERE p.account_id = a.id AND p.created_at <= :as_of
        ORDER BY p.created_at DESC LIMIT :last
    ) l
),
mine AS (
    SELECT entry_id, sum(amount) AS amount, max(created_at) AS at FROM recent GROUP BY entry_id
)
SELECT m.entry_id, e.kind, m.at, m.amount, (
    SELECT a2.person_id FROM postings p2 JOIN ledger_accounts a2 ON a2.id = p2.account_id
    WHERE p2.entry_id = m.entry_id AND a2.person_id IS NOT NULL AND a2.person_id <> :person
    ORDER BY a2.person_id LIMIT 1
) AS counterparty
FROM mine m JOIN journal_entries e ON e.id = m.entry_id
ORDER BY m.at
""")

_AGGREGATES = text("""
SELECT
    coalesce(sum(abs(p.amount)) FILTER (
        WHERE e.kind IN ('cash_in', 'cash_out') AND p.created_at > :d30), 0) AS cash_total_30d,
    coalesce(sum(p.amount) FILTER (WHERE p.amount > 0 AND p.created_at > :d30), 0) AS credits_30d,
    coalesce(sum(abs(p.amount)) FILTER (WHERE p.created_at > :d90), 0) AS turnover_90d,
    coalesce(sum(p.amount) FILTER (
        WHERE p.amount > 0 AND p.created_at > :d120 AND p.created_at <= :d30), 0) AS receipts_90d,
    (SELECT max(l.created_at) FROM ledger_accounts a2 CROSS JOIN LATERAL (
        SELECT created_at FROM postings WHERE account_id = a2.id AND created_at <= :window_start
        ORDER BY created_at DESC LIMIT 1
    ) l WHERE a2.person_id = :person) AS last_before_window
FROM ledger_accounts a
JOIN postings p ON p.account_id = a.id AND p.created_at > :oldest AND p.created_at <= :as_of
JOIN journal_entries e ON e.id = p.entry_id
WHERE a.person_id = :person
""")

_DAILY_PEAKS = text("""
SELECT max(p.balance_after) AS peak
FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
WHERE a.person_id = :person AND a.kind = 'customer_wallet' AND p.created_at > :d30 AND p.created_at <= :as_of
GROUP BY date_trunc('day', p.created_at AT TIME ZONE 'Africa/Dakar')
""")

_COUNTERPARTY_HITS = text("""
SELECT bool_or(exact_id) AS exact FROM screening_hits
WHERE person_id = ANY(CAST(:persons AS uuid[])) AND status IN ('open', 'confirmed')
GROUP BY person_id
""")

_ACTIVE_SINCE = text("""
SELECT DISTINCT a.person_id FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
WHERE a.kind = :kind AND a.person_id IS NOT NULL AND p.created_at > :since
""")

WINDOW = timedelta(days=7)
LAST_MOVEMENTS = 5


class MonitoringRuleRepository(SQLAlchemyAsyncRepository[MonitoringRuleVersion]):
    model_type = MonitoringRuleVersion

    async def in_force(self, at: datetime) -> Sequence[MonitoringRuleVersion]:
        """Each rule's newest version effective at `at`, in rule order."""
        stmt = (
            select(MonitoringRuleVersion)
            .where(MonitoringRuleVersion.effective_from <= at)
            .order_by(MonitoringRuleVersion.rule_id, MonitoringRuleVersion.effective_from.desc())
            .ext(distinct_on(MonitoringRuleVersion.rule_id))
        )
        return (await self.session.scalars(stmt)).all()

    async def history(self, rule_id: str | None) -> Sequence[MonitoringRuleVersion]:
        stmt = select(MonitoringRuleVersion).order_by(
            MonitoringRuleVersion.rule_id, MonitoringRuleVersion.version.desc()
        )
        if rule_id is not None:
            stmt = stmt.where(MonitoringRuleVersion.rule_id == rule_id)
        return (await self.session.scalars(stmt)).all()

    async def next_version(self, rule_id: str) -> int:
        stmt = select(func.max(MonitoringRuleVersion.version)).where(MonitoringRuleVersion.rule_id == rule_id)
        return int(await self.session.scalar(stmt) or 0) + 1

    async def exact(self, versions: Sequence[tuple[str, int]]) -> Sequence[MonitoringRuleVersion]:
        """The versions a decision recorded, to judge its figures again."""
        stmt = select(MonitoringRuleVersion).where(
            func.concat(MonitoringRuleVersion.rule_id, "@", MonitoringRuleVersion.version).in_(
                [f"{rule_id}@{version}" for rule_id, version in versions]
            )
        )
        return (await self.session.scalars(stmt.order_by(MonitoringRuleVersion.rule_id))).all()


class ActivityRepository:
    """What a person did, read from the ledger as of a moment, for the rules to judge."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def persons_in_entry(self, entry_id: UUID) -> list[tuple[UUID, str]]:
        """Each person an entry moved money for, with their role in it."""
        rows = await self.session.execute(_PERSONS_IN_ENTRY, {"entry": entry_id})
        return [(row.person_id, ROLE_OF_KIND[row.kind]) for row in rows if row.kind in ROLE_OF_KIND]

    async def active_since(self, role: str, since: datetime) -> list[UUID]:
        kind = next(kind for kind, of in ROLE_OF_KIND.items() if of == role)
        rows = await self.session.execute(_ACTIVE_SINCE, {"kind": kind, "since": since})
        return [row.person_id for row in rows]

    async def activity(
        self, person_id: UUID, role: str, as_of: datetime, counterparties: Sequence[UUID] = ()
    ) -> Activity:
        person = await self.session.get_one(Person, person_id)
        bounds = {"person": person_id, "as_of": as_of}
        movements = await self.session.execute(
            _MOVEMENTS, {**bounds, "since": as_of - WINDOW, "last": LAST_MOVEMENTS}
        )
        days = {f"d{n}": as_of - timedelta(days=n) for n in (30, 90, 120)}
        oldest = days["d30"] if role == "customer" else days["d120"]  # 90-day figures: TM-13, TM-14
        window = {"window_start": as_of - WINDOW, "oldest": oldest}
        totals = (await self.session.execute(_AGGREGATES, {**bounds, **days, **window})).one()
        peaks = await self.session.scalars(_DAILY_PEAKS, {**bounds, "d30": days["d30"]})
        hits = await self.session.scalars(_COUNTERPARTY_HITS, {"persons": list(counterparties)})
        limits = await self._limits(person.tier, as_of)
        return Activity(
            person_id=person_id,
            now=as_of,
            opened_at=person.created_at,
            role=role,
            tier=person.tier.value,
            movements=tuple(
                Movement(row.entry_id, row.kind, row.at, int(row.amount), row.counterparty)
                for row in movements
            ),
            cash_total_30d=int(totals.cash_total_30d),
            credits_30d=int(totals.credits_30d),
            last_activity_before_window=totals.last_before_window,
            max_per_transaction=limits.max_per_transaction if limits else None,
            max_balance=limits.max_balance if limits else None,
            daily_peak_balances=tuple(int(peak) for peak in peaks),
            turnover_90d=int(totals.turnover_90d),
            receipts_90d=int(totals.receipts_90d),
            counterparty_hits=tuple(bool(exact) for exact in hits),
        )

    async def _limits(self, tier: object, at: datetime) -> KycLimit | None:
        stmt = (
            select(KycLimit)
            .where(KycLimit.tier == tier, KycLimit.effective_from <= at)
            .order_by(KycLimit.effective_from.desc())
            .limit(1)
        )
        return (await self.session.scalars(stmt)).first()


class MonitoringDecisionRepository(SQLAlchemyAsyncRepository[MonitoringDecision]):
    model_type = MonitoringDecision

    async def for_entry(self, entry_id: UUID, person_id: UUID) -> MonitoringDecision | None:
        return await self.get_one_or_none(entry_id=entry_id, person_id=person_id)


class CaseRepository(SQLAlchemyAsyncRepository[ComplianceCase]):
    model_type = ComplianceCase

    async def open_for(self, person_id: UUID) -> ComplianceCase | None:
        stmt = select(ComplianceCase).where(
            ComplianceCase.person_id == person_id, ComplianceCase.status != CaseStatus.CLOSED
        )
        return (await self.session.scalars(stmt.with_for_update())).first()

    async def queue(
        self, status: CaseStatus | None, assigned_to: UUID | None, after: UUID | None, limit: int
    ) -> Sequence[ComplianceCase]:
        """Not closed unless asked; oldest first."""
        stmt = select(ComplianceCase).order_by(ComplianceCase.id).limit(limit)
        if status is None:
            stmt = stmt.where(ComplianceCase.status != CaseStatus.CLOSED)
        else:
            stmt = stmt.where(ComplianceCase.status == status)
        if assigned_to is not None:
            stmt = stmt.where(ComplianceCase.assigned_to == assigned_to)
        if after is not None:
            stmt = stmt.where(ComplianceCase.id > after)
        return (await self.session.scalars(stmt)).all()

    async def alerts_of(self, case_id: UUID) -> Sequence[Alert]:
        stmt = select(Alert).where(Alert.case_id == case_id).order_by(Alert.id)
        return (await self.session.scalars(stmt)).all()

    async def notes_of(self, case_id: UUID) -> Sequence[CaseNote]:
        stmt = select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.id)
        return (await self.session.scalars(stmt)).all()

    async def entries_of(self, decision_ids: Sequence[UUID]) -> list[UUID]:
        """The entries behind these decisions (daily decisions have none)."""
        stmt = select(MonitoringDecision.entry_id).where(
            MonitoringDecision.id.in_(decision_ids), MonitoringDecision.entry_id.is_not(None)
        )
        return [entry for entry in await self.session.scalars(stmt) if entry]

    async def overdue(self, now: datetime) -> int:
        open_ = ComplianceCase.status != CaseStatus.CLOSED
        stmt = select(func.count()).where(open_, ComplianceCase.due_at < now)
        return int(await self.session.scalar(stmt) or 0)
