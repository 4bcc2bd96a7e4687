"""Queries for transaction monitoring: rule versions, a person's activity, decisions, cases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.domain.monitoring import Activity, Movement
from ompay.models import (
    Alert,
    CaseNote,
    CaseStatus,
    ComplianceCase,
    MonitoringDecision,
    MonitoringRuleVersion,
)
from ompay.models.base import new_id

ROLE_OF_KIND = {"customer_wallet": "customer", "merchant_wallet": "merchant", "agent_float": "agent"}

_PERSONS_IN_ENTRY = """
SELECT DISTINCT p.created_at, a.person_id, a.kind, d.id IS NOT NULL AS decided
FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
LEFT JOIN monitoring_decisions d ON d.entry_id = p.entry_id AND d.person_id = a.person_id
WHERE p.entry_id = $1 AND a.person_id IS NOT NULL
"""

# The person's movements, one per entry: in the window, or among the last `last`. Every read
# walks an account's postings by the (account, created_at) index, never its whole history.
_MOVEMENTS = """
WITH accounts AS (SELECT id FROM ledger_accounts WHERE person_id = $1),
recent AS (
    SELECT p.entry_id, p.amount, p.created_at FROM accounts a
    JOIN postings p ON p.account_id = a.id AND p.created_at > $3 AND p.created_at <= $2
    UNION
    SELECT l.entry_id, l.amount, l.created_at FROM accounts a CROSS JOIN LATERAL (
        SELECT p.entry_id, p.amount, p.created_at FROM postings p
        WHERE p.account_id = a.id AND p.created_at <= $2
        ORDER BY p.created_at DESC LIMIT $4
    ) l
),
mine AS (
    SELECT entry_id, sum(amount) AS amount, max(created_at) AS at FROM recent GROUP BY entry_id
)
SELECT m.entry_id, e.kind, m.at, m.amount, (
    SELECT a2.person_id FROM postings p2 JOIN ledger_accounts a2 ON a2.id = p2.account_id
    WHERE p2.entry_id = m.entry_id AND a2.person_id IS NOT NULL AND a2.person_id <> $1
    ORDER BY a2.person_id LIMIT 1
) AS counterparty
FROM mine m JOIN journal_entries e ON e.id = m.entry_id
ORDER BY m.at
"""

# Everything else the rules read of a person, in one round trip: who they are and their tier's
# limits, the windowed totals, the daily peak balances, and the counterparties' screening hits.
_FACTS = """
SELECT
    p.tier, p.created_at AS opened_at, l.max_balance, l.max_per_transaction,
    t.cash_total_30d, t.credits_30d, t.turnover_90d, t.receipts_90d,
    (SELECT max(last.created_at) FROM ledger_accounts a CROSS JOIN LATERAL (
        SELECT created_at FROM postings WHERE account_id = a.id AND created_at <= $6
        ORDER BY created_at DESC LIMIT 1
    ) last WHERE a.person_id = p.id) AS last_before_window,
    (SELECT coalesce(array_agg(peak), '{}') FROM (
        SELECT max(po.balance_after) AS peak
        FROM postings po JOIN ledger_accounts a ON a.id = po.account_id
        WHERE a.person_id = p.id AND a.kind = 'customer_wallet' AND po.created_at > $3
          AND po.created_at <= $2
        GROUP BY date_trunc('day', po.created_at AT TIME ZONE 'Africa/Dakar')
    ) peaks) AS daily_peaks,
    (SELECT coalesce(array_agg(exact), '{}') FROM (
        SELECT bool_or(exact_id) AS exact FROM screening_hits
        WHERE person_id = ANY(CAST($8 AS uuid[])) AND status IN ('open', 'confirmed')
        GROUP BY person_id
    ) hit) AS counterparty_hits
FROM persons p
LEFT JOIN LATERAL (
    SELECT max_balance, max_per_transaction FROM kyc_limits
    WHERE tier = p.tier AND effective_from <= $2 ORDER BY effective_from DESC LIMIT 1
) l ON true
CROSS JOIN LATERAL (
    SELECT
        coalesce(sum(abs(po.amount)) FILTER (
            WHERE e.kind IN ('cash_in', 'cash_out') AND po.created_at > $3), 0) AS cash_total_30d,
        coalesce(sum(po.amount) FILTER (WHERE po.amount > 0 AND po.created_at > $3), 0) AS credits_30d,
        coalesce(sum(abs(po.amount)) FILTER (WHERE po.created_at > $4), 0) AS turnover_90d,
        coalesce(sum(po.amount) FILTER (
            WHERE po.amount > 0 AND po.created_at > $5 AND po.created_at <= $3), 0) AS receipts_90d
    FROM ledger_accounts a
    JOIN postings po ON po.account_id = a.id AND po.created_at > $7 AND po.created_at <= $2
    JOIN journal_entries e ON e.id = po.entry_id
    WHERE a.person_id = p.id
) t
WHERE p.id = $1
"""

_ACTIVE_SINCE = text("""
SELECT DISTINCT a.person_id FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
WHERE a.kind = :kind AND a.person_id IS NOT NULL AND p.created_at > :since
""")

WINDOW = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class PersonInEntry:
    person_id: UUID
    role: str
    posted_at: datetime
    decided: bool


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

    async def persons_in_entry(self, entry_id: UUID) -> list[PersonInEntry]:
        """Each person an entry moved money for: their role in it, whether already judged for it."""
        rows = await (await self._driver()).fetch(_PERSONS_IN_ENTRY, entry_id)
        return [
            PersonInEntry(row["person_id"], ROLE_OF_KIND[row["kind"]], row["created_at"], row["decided"])
            for row in rows
            if row["kind"] in ROLE_OF_KIND
        ]

    async def active_since(self, role: str, since: datetime) -> list[UUID]:
        kind = next(kind for kind, of in ROLE_OF_KIND.items() if of == role)
        rows = await self.session.execute(_ACTIVE_SINCE, {"kind": kind, "since": since})
        return [row.person_id for row in rows]

    async def activity(
        self, person_id: UUID, role: str, as_of: datetime, counterparties: Sequence[UUID] = ()
    ) -> Activity:
        """Two round trips, as prepared statements on the session's own connection (through the
        ORM, statement handling cost ten times what Postgres spends): the movements, and every
        other fact (`_FACTS`)."""
        driver = await self._driver()
        movements = await driver.fetch(_MOVEMENTS, person_id, as_of, as_of - WINDOW, LAST_MOVEMENTS)
        d30, d90, d120 = (as_of - timedelta(days=n) for n in (30, 90, 120))
        oldest = d30 if role == "customer" else d120  # 90-day figures: TM-13, TM-14
        facts = await driver.fetchrow(
            _FACTS, person_id, as_of, d30, d90, d120, as_of - WINDOW, oldest, list(counterparties)
        )
        return Activity(
            person_id=person_id,
            now=as_of,
            opened_at=facts["opened_at"],
            role=role,
            tier=facts["tier"],
            movements=tuple(
                Movement(row["entry_id"], row["kind"], row["at"], int(row["amount"]), row["counterparty"])
                for row in movements
            ),
            cash_total_30d=int(facts["cash_total_30d"]),
            credits_30d=int(facts["credits_30d"]),
            last_activity_before_window=facts["last_before_window"],
            max_per_transaction=facts["max_per_transaction"],
            max_balance=facts["max_balance"],
            daily_peak_balances=tuple(int(peak) for peak in facts["daily_peaks"]),
            turnover_90d=int(facts["turnover_90d"]),
            receipts_90d=int(facts["receipts_90d"]),
            counterparty_hits=tuple(bool(exact) for exact in facts["counterparty_hits"]),
        )

    async def _driver(self) -> Any:
        """The asyncpg connection under the session's, in the session's transaction."""
        return (await (await self.session.connection()).get_raw_connection()).driver_connection


class MonitoringDecisionRepository(SQLAlchemyAsyncRepository[MonitoringDecision]):
    model_type = MonitoringDecision


class CaseRepository(SQLAlchemyAsyncRepository[ComplianceCase]):
    model_type = ComplianceCase

    async def open_case(self, person_id: UUID, due_at: datetime) -> UUID:
        """The person's open case, opened now if there is none, its deadline brought forward to
        `due_at` if that is sooner: one statement, so two alerts filed at once share one case."""
        stmt = (
            insert(ComplianceCase)
            .values(id=new_id(), person_id=person_id, status=CaseStatus.OPEN, due_at=due_at)
            .on_conflict_do_update(
                index_elements=[ComplianceCase.person_id],
                index_where=text("status <> 'closed'"),  # the partial unique index's predicate
                set_={"due_at": func.least(ComplianceCase.due_at, insert(ComplianceCase).excluded.due_at)},
            )
            .returning(ComplianceCase.id)
        )
        case_id: UUID = (await self.session.execute(stmt)).scalar_one()
        return case_id

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
