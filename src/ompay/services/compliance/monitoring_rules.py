"""Monitoring rules as versioned data: officers add versions (admin API, `ompay monitoring`),
each audited; nothing edits or deletes one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ompay.domain.actors import Actor
from ompay.domain.errors import invalid_field
from ompay.domain.monitoring_rules import RULES
from ompay.domain.versions import effective_from
from ompay.models import MonitoringOutcome, MonitoringRuleVersion
from ompay.repositories.hot_reads import HotReads
from ompay.repositories.monitoring import MonitoringRuleRepository
from ompay.services.compliance.versions import commit_version
from ompay.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class RuleChange:
    rule_id: str
    params: dict[str, Any]
    score: int
    outcome: MonitoringOutcome
    effective_from: datetime | None = None


class MonitoringRuleService:
    def __init__(self, uow: UnitOfWork, hot_reads: HotReads) -> None:
        self.uow = uow
        self.hot_reads = hot_reads
        self.rules = MonitoringRuleRepository(session=uow.session)

    async def in_force(self) -> Sequence[MonitoringRuleVersion]:
        """Each rule's version the evaluations apply now."""
        return await self.rules.in_force(datetime.now(UTC))

    async def history(self, rule_id: str | None) -> Sequence[MonitoringRuleVersion]:
        """Every version, newest first per rule."""
        return await self.rules.history(rule_id)

    async def add_version(self, change: RuleChange, actor: Actor) -> MonitoringRuleVersion:
        """A new version of a known rule, with exactly the parameters its typology reads, each of
        the same type as before; in force now or later, never earlier."""
        now = datetime.now(UTC)
        current = {version.rule_id: version for version in await self.rules.in_force(now)}
        if change.rule_id not in RULES or change.rule_id not in current:
            raise invalid_field("rule_id", "Règle inconnue.", "Unknown rule.")
        _check_params(change.params, current[change.rule_id].params)
        row = MonitoringRuleVersion(
            rule_id=change.rule_id,
            version=await self.rules.next_version(change.rule_id),
            params=change.params,
            score=change.score,
            outcome=change.outcome,
            effective_from=effective_from(change.effective_from, now),
            created_by=actor.id or "system",
        )
        changes = {
            "params": row.params,
            "score": row.score,
            "outcome": row.outcome.value,
            "effective_from": row.effective_from.isoformat(),
        }
        target = ("monitoring_rule", f"{row.rule_id}/v{row.version}")
        await commit_version(self.uow, self.rules, row, actor, "monitoring.rule_versioned", target, changes)
        self.hot_reads.forget_rules()
        return row


def _check_params(params: dict[str, Any], current: dict[str, Any]) -> None:
    if set(params) != set(current):
        expected = ", ".join(sorted(current))
        raise invalid_field(
            "params", f"Paramètres attendus : {expected}.", f"Expected parameters: {expected}."
        )
    for name, value in params.items():
        if not _same_kind(value, current[name]):
            raise invalid_field(f"params.{name}", "Valeur invalide.", "Invalid value.")


def _same_kind(value: Any, before: Any) -> bool:
    """Switches stay switches, figures stay non-negative figures; the only text names an outcome."""
    if isinstance(before, bool):
        return isinstance(value, bool)
    if isinstance(before, int | float):
        return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
    return value in {outcome.value for outcome in MonitoringOutcome}
