"""Each monitoring rule, at its policy defaults: a scenario that fires it and a near miss that does not.

Activities are built by hand (the rules are pure); `tests/jobs/test_monitoring.py` shows the
same rules fed from the ledger by the evaluation job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from ompay.domain.monitoring import Activity, Movement, Outcome, RuleVersion, evaluate, judge
from ompay.domain.monitoring_rules import DEFAULTS, RULES

NOW = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
NIGHT = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)  # Dakar is UTC+0


def activity(*movements: Movement, role: str = "customer", **facts: object) -> Activity:
    base = Activity(
        person_id=uuid4(),
        now=NOW,
        opened_at=NOW - timedelta(days=400),
        role=role,
        tier="tier1",
        movements=movements,
        max_per_transaction=500_000,
        max_balance=2_000_000,
    )
    return replace(base, **facts)  # type: ignore[arg-type]


def moves(
    n: int, amount: int, kind: str = "p2p_transfer", ago: timedelta = timedelta(minutes=5), **kw: object
) -> list[Movement]:
    return [Movement(uuid4(), kind, NOW - ago, amount, **kw) for _ in range(n)]  # type: ignore[arg-type]


def senders(n: int, amount: int = 10_000) -> list[Movement]:
    return [Movement(uuid4(), "p2p_transfer", NOW - timedelta(hours=1), amount, uuid4()) for _ in range(n)]


def receivers(n: int) -> list[Movement]:
    return [Movement(uuid4(), "p2p_transfer", NOW - timedelta(hours=1), -10_000, uuid4()) for _ in range(n)]


Scenario = Callable[[], Activity]
SCENARIOS: dict[str, tuple[Scenario, Scenario]] = {
    "TM-01": (
        lambda: activity(*moves(8, 1_000_000, "cash_in"), *moves(7, -1_000_000, "cash_out")),
        lambda: activity(*moves(8, 1_000_000, "cash_in"), *moves(6, -1_000_000, "cash_out")),
    ),
    "TM-02": (
        lambda: activity(*moves(3, -450_000, ago=timedelta(days=2))),
        lambda: activity(*moves(2, -450_000, ago=timedelta(days=2)), *moves(1, -350_000)),
    ),
    "TM-03": (
        lambda: activity(daily_peak_balances=(1_900_000, 1_950_000, 2_000_000, 100)),
        lambda: activity(daily_peak_balances=(1_900_000, 1_950_000, 1_899_999, 100)),
    ),
    "TM-04": (
        lambda: activity(*moves(11, -1_000)),
        lambda: activity(*moves(10, -1_000), *moves(40, -1_000, ago=timedelta(hours=3))),
    ),
    "TM-05": (
        lambda: activity(*moves(1, 500_000, ago=timedelta(hours=5)), *moves(1, -450_000)),
        lambda: activity(*moves(1, 500_000, ago=timedelta(hours=5)), *moves(1, -449_999)),
    ),
    "TM-06": (lambda: activity(*senders(10)), lambda: activity(*senders(9))),
    "TM-07": (lambda: activity(*receivers(10)), lambda: activity(*receivers(9))),
    "TM-08": (
        lambda: activity(*moves(1, 500_000), last_activity_before_window=NOW - timedelta(days=187)),
        lambda: activity(*moves(1, 500_000), last_activity_before_window=NOW - timedelta(days=186)),
    ),
    "TM-09": (
        lambda: activity(*moves(3, -500_000), *moves(2, -1_000)),
        lambda: activity(*moves(2, -500_000), *moves(1, -450_000), *moves(2, -1_000)),
    ),
    "TM-10": (
        lambda: activity(Movement(uuid4(), "p2p_transfer", NIGHT, -500_000)),
        lambda: activity(*(Movement(uuid4(), "p2p_transfer", NIGHT, -1_000) for _ in range(4))),
    ),
    "TM-11": (
        lambda: activity(opened_at=NOW - timedelta(days=29), credits_30d=1_000_000),
        lambda: activity(opened_at=NOW - timedelta(days=30), credits_30d=1_000_000),
    ),
    "TM-13": (
        lambda: activity(*moves(1, -3_000_001, "cash_in"), role="agent", turnover_90d=90_000_000),
        lambda: activity(*moves(1, -3_000_000, "cash_in"), role="agent", turnover_90d=90_000_000),
    ),
    "TM-14": (
        lambda: activity(*moves(1, 3_100_000, "merchant_payment"), role="merchant", receipts_90d=3_000_000),
        lambda: activity(*moves(1, 3_000_000, "merchant_payment"), role="merchant", receipts_90d=3_000_000),
    ),
    "TM-16": (lambda: activity(counterparty_hits=(False,)), lambda: activity(counterparty_hits=())),
}


def default_version(rule_id: str) -> RuleVersion:
    params, score, outcome = DEFAULTS[rule_id]
    return RuleVersion(rule_id, 1, params, score, outcome)


def test_every_rule_has_defaults_and_scenarios() -> None:
    assert set(RULES) == set(DEFAULTS) == set(SCENARIOS)


@pytest.mark.parametrize("rule_id", sorted(SCENARIOS))
def test_the_scenario_fires_the_rule_and_the_near_miss_does_not(rule_id: str) -> None:
    fires, near_miss = SCENARIOS[rule_id]
    rule, version = RULES[rule_id], default_version(rule_id)
    fired = judge(rule, version, rule.figures(fires(), version.params))
    missed = judge(rule, version, rule.figures(near_miss(), version.params))
    assert (fired.fired, missed.fired) == (True, False), (fired.figures, missed.figures)
    assert fired.outcome != Outcome.APPROVE
    assert missed.outcome == Outcome.APPROVE


def test_the_highest_outcome_wins_and_scores_add_up() -> None:
    hit_payee_and_fast = activity(*moves(11, -1_000), counterparty_hits=(True,))
    versions = [default_version(rule_id) for rule_id in RULES]
    decision = evaluate(hit_payee_and_fast, versions, RULES)
    assert {result.rule_id for result in decision.fired} == {"TM-04", "TM-16"}
    assert decision.outcome == Outcome.DECLINE  # TM-16 on an exact ID
    assert decision.score == 140


def test_rules_concern_only_their_roles() -> None:
    merchant = activity(*senders(30), role="merchant")
    decision = evaluate(merchant, [default_version("TM-06"), default_version("TM-14")], RULES)
    assert [result.rule_id for result in decision.results] == ["TM-14"]


def test_a_recorded_result_is_judged_again_to_the_same_verdict() -> None:
    version = default_version("TM-04")
    recorded = judge(
        RULES["TM-04"], version, RULES["TM-04"].figures(activity(*moves(11, -1_000)), version.params)
    )
    again = judge(RULES["TM-04"], version, recorded.record()["figures"])
    assert again == recorded
