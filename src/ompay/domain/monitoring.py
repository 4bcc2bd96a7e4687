"""Transaction monitoring without I/O (COMPLIANCE.md "Transaction monitoring").

A person's recent activity (`Activity`) is turned by each rule into a few figures, and the
rule's version decides from those figures and its parameters whether it fires. A decision
records, per rule, the version, the figures and the result, so re-deciding from the record
with the same versions reproduces it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from ompay.domain.calendar import DAKAR
from ompay.models import MonitoringOutcome

Figures = dict[str, Any]


Outcome = MonitoringOutcome
RANKED = list(MonitoringOutcome)
"""`approve < review < block_and_review < decline`: the highest of the rules that fire wins."""


def highest(outcomes: Iterable[Outcome]) -> Outcome:
    return max(outcomes, key=RANKED.index, default=Outcome.APPROVE)


@dataclass(frozen=True, slots=True)
class Movement:
    """One entry as seen from the person: signed amount (credit > 0), and the other person in it."""

    entry_id: UUID
    kind: str
    at: datetime
    amount: int
    counterparty: UUID | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    """What the rules see of one person at `now`: the last 7 days of movements (and the last
    five whatever their age), with the aggregates the longer windows need."""

    person_id: UUID
    now: datetime
    opened_at: datetime
    role: str
    """`customer`, `merchant` or `agent`: some typologies concern only one of them."""
    tier: str
    movements: tuple[Movement, ...] = ()
    cash_total_30d: int = 0
    credits_30d: int = 0
    last_activity_before_window: datetime | None = None
    max_per_transaction: int | None = None
    max_balance: int | None = None
    daily_peak_balances: tuple[int, ...] = ()
    turnover_90d: int = 0
    receipts_90d: int = 0
    counterparty_hits: tuple[bool, ...] = ()
    """One per counterparty with an open or confirmed screening hit: True when on an exact ID."""

    def within(self, span: timedelta) -> list[Movement]:
        return [m for m in self.movements if m.at > self.now - span]


@dataclass(frozen=True, slots=True)
class RuleVersion:
    rule_id: str
    version: int
    params: Mapping[str, Any]
    score: int
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule_id: str
    version: int
    fired: bool
    figures: Figures
    score: int
    outcome: Outcome

    def record(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "version": self.version,
            "fired": self.fired,
            "figures": self.figures,
            "score": self.score,
            "outcome": self.outcome.value,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    results: list[RuleResult] = field(default_factory=list)

    @property
    def fired(self) -> list[RuleResult]:
        return [result for result in self.results if result.fired]

    @property
    def outcome(self) -> Outcome:
        return highest(result.outcome for result in self.fired)

    @property
    def score(self) -> int:
        return sum(result.score for result in self.fired)


@dataclass(frozen=True, slots=True)
class Rule:
    """A typology: which activity it concerns, the figures it reads, when it fires."""

    figures: Callable[[Activity, Mapping[str, Any]], Figures]
    fires: Callable[[Figures, Mapping[str, Any]], bool]
    applies_to: frozenset[str] = frozenset({"customer"})
    outcome_of: Callable[[Figures, Mapping[str, Any], Outcome], Outcome] | None = None


def judge(rule: Rule, version: RuleVersion, figures: Figures) -> RuleResult:
    """The version's verdict on figures: the same for a live evaluation and for a replay."""
    fired = rule.fires(figures, version.params)
    outcome = version.outcome
    if fired and rule.outcome_of is not None:
        outcome = rule.outcome_of(figures, version.params, outcome)
    return RuleResult(
        version.rule_id,
        version.version,
        fired,
        figures,
        version.score if fired else 0,
        outcome if fired else Outcome.APPROVE,
    )


def evaluate(activity: Activity, versions: Sequence[RuleVersion], rules: Mapping[str, Rule]) -> Decision:
    """Every rule in force that concerns the person's role, on the same activity."""
    results = []
    for version in versions:
        rule = rules[version.rule_id]
        if activity.role in rule.applies_to:
            results.append(judge(rule, version, rule.figures(activity, version.params)))
    return Decision(results)


def dakar_day_start(moment: datetime) -> datetime:
    local = moment.astimezone(DAKAR)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)
