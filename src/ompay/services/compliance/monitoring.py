"""Transaction monitoring: every committed entry judged by the rules in force, in a job, the
windowed rules again each day, and TM-04 as counted inline; `review` and above becomes an alert
in the person's case.

Decisions are append-only and hold, per rule, the version and the figures it judged, so that
`replay` reproduces them. The customer never learns of any of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from ompay.domain.errors import NotFound
from ompay.domain.monitoring import Decision, Figures, RuleVersion, evaluate, judge
from ompay.domain.monitoring_rules import RULES
from ompay.lib.metrics import MONITORING_LAG
from ompay.models import MonitoringDecision, MonitoringOutcome, MonitoringRuleVersion
from ompay.repositories.hot_reads import HotReads
from ompay.repositories.monitoring import (
    ActivityRepository,
    MonitoringDecisionRepository,
    MonitoringRuleRepository,
)
from ompay.repositories.users import UserRepository
from ompay.services.compliance.cases import CaseService
from ompay.services.unit_of_work import UnitOfWork

DAILY_ROLES = ("customer", "merchant", "agent")


@dataclass(frozen=True, slots=True)
class DecisionReplay:
    decision: MonitoringDecision
    outcome: MonitoringOutcome
    score: int

    @property
    def reproduced(self) -> bool:
        return self.outcome == self.decision.outcome and self.score == self.decision.score


class MonitoringService:
    def __init__(self, uow: UnitOfWork, cases: CaseService, hot_reads: HotReads, batch: int = 500) -> None:
        self.uow = uow
        self.cases = cases
        self.hot_reads = hot_reads
        self.batch = batch
        self.rules = MonitoringRuleRepository(session=uow.session)
        self.activity = ActivityRepository(uow.session)
        self.decisions = MonitoringDecisionRepository(session=uow.session)
        self.users = UserRepository(session=uow.session)

    async def evaluate_entry(self, entry_id: UUID) -> list[MonitoringDecision]:
        """Each customer the entry moved money for, as of the entry, by the rule versions in force
        (as this process last read them); merchants and agents are judged by the daily run
        (their typologies are windowed). In the caller's transaction: the outbox delivery commits
        the decisions with the message's processed mark. A redelivery adds nothing."""
        persons = await self.activity.persons_in_entry(entry_id)
        versions = await self.hot_reads.rules_in_force()
        recorded = []
        for person in persons:
            if person.role != "customer" or person.decided:
                continue
            others = [other.person_id for other in persons if other.person_id != person.person_id]
            activity = await self.activity.activity(person.person_id, person.role, person.posted_at, others)
            decision = evaluate(activity, versions, RULES)
            recorded.append(
                await self._record(decision, person.person_id, person.posted_at, entry_id, "entry")
            )
        if recorded:
            MONITORING_LAG.observe((datetime.now(UTC) - persons[0].posted_at).total_seconds())
        return recorded

    async def evaluate_daily(self, now: datetime) -> int:
        """Everyone active in the last day, by role, as of `now`, by the versions in force; a
        transaction per batch."""
        versions = await self.hot_reads.rules_in_force()
        judged = 0
        for role in DAILY_ROLES:
            for person_id in await self.activity.active_since(role, now - timedelta(days=1)):
                activity = await self.activity.activity(person_id, role, now)
                await self._record(evaluate(activity, versions, RULES), person_id, now, None, "daily")
                judged += 1
                if judged % self.batch == 0:
                    await self.uow.commit()
        await self.uow.commit()
        return judged

    async def record_velocity(self, user_id: UUID, version: int, figures: Figures) -> MonitoringDecision:
        """TM-04 as counted inline on the money routes: judged by the version that counted it,
        recorded and, when it fires, filed as an alert like any other decision."""
        user = await self.users.get(user_id)
        [rule_version] = _domain(await self.rules.exact([("TM-04", version)]))
        decision = Decision([judge(RULES["TM-04"], rule_version, figures)])
        row = await self._record(decision, user.person_id, datetime.now(UTC), None, trigger="inline")
        await self.uow.commit()
        return row

    async def decision(self, decision_id: UUID) -> MonitoringDecision:
        """One decision record as it was written."""
        decision = await self.decisions.get_one_or_none(id=decision_id)
        if decision is None:
            raise NotFound()
        return decision

    async def replay(self, decision_id: UUID) -> DecisionReplay:
        """The recorded figures judged again by the recorded rule versions."""
        decision = await self.decision(decision_id)
        recorded = {(r["rule_id"], r["version"]): r["figures"] for r in decision.results}
        versions = _domain(await self.rules.exact(list(recorded)))
        again = Decision([judge(RULES[v.rule_id], v, recorded[(v.rule_id, v.version)]) for v in versions])
        return DecisionReplay(decision, again.outcome, again.score)

    async def _record(
        self, decision: Decision, person_id: UUID, as_of: datetime, entry_id: UUID | None, trigger: str
    ) -> MonitoringDecision:
        row = MonitoringDecision(
            entry_id=entry_id,
            person_id=person_id,
            trigger=trigger,
            as_of=as_of,
            results=[result.record() for result in decision.results],
            score=decision.score,
            outcome=decision.outcome,
        )
        self.uow.session.add(row)
        if decision.outcome != MonitoringOutcome.APPROVE:
            await self.uow.session.flush()  # the alert references it
            await self.cases.file_alert(row, [result.rule_id for result in decision.fired])
        return row


def _domain(versions: Sequence[MonitoringRuleVersion]) -> list[RuleVersion]:
    return [RuleVersion(v.rule_id, v.version, v.params, v.score, v.outcome) for v in versions]
