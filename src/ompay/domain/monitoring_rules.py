"""The typologies TM-01 … TM-16 of COMPLIANCE.md: what each reads of an activity and when it fires.

Their parameters, scores and outcomes are versioned data (`monitoring_rules`); `DEFAULTS` are
the policy defaults the first versions were seeded with.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from ompay.domain.monitoring import Activity, Figures, Outcome, Rule, dakar_day_start

P = Mapping[str, Any]
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
CASH = ("cash_in", "cash_out")


def _cash_report(activity: Activity, params: P) -> Figures:
    today = dakar_day_start(activity.now)
    return {"cash_today": sum(abs(m.amount) for m in activity.movements if m.kind in CASH and m.at >= today)}


def _structuring(activity: Activity, params: P) -> Figures:
    cap = activity.max_per_transaction
    window = activity.within(timedelta(days=params["days"]))
    near = [m for m in window if cap and params["ratio"] * cap <= abs(m.amount) <= cap]
    return {"near_limit_ops": len(near), "cash_total_30d": activity.cash_total_30d, "tier": activity.tier}


def _structures(figures: Figures, params: P) -> bool:
    unidentified_cash = figures["tier"] == "tier0" and figures["cash_total_30d"] > params["cash_total_30d"]
    return bool(figures["near_limit_ops"] >= params["count"] or unidentified_cash)


def _cap_hugging(activity: Activity, params: P) -> Figures:
    cap = activity.max_balance
    near = [peak for peak in activity.daily_peak_balances if cap and peak >= params["ratio"] * cap]
    return {"days_near_cap": len(near)}


def _velocity(activity: Activity, params: P) -> Figures:
    hour = [m for m in activity.within(HOUR) if m.amount < 0]
    return {
        "debits_1h": len(hour),
        "debits_24h": sum(1 for m in activity.within(DAY) if m.amount < 0),
        "debited_1h": -sum(m.amount for m in hour),
    }


def _too_fast(figures: Figures, params: P) -> bool:
    return bool(
        figures["debits_1h"] > params["per_hour"]
        or figures["debits_24h"] > params["per_day"]
        or figures["debited_1h"] > params["amount_per_hour"]
    )


def _pass_through(activity: Activity, params: P) -> Figures:
    day = activity.within(DAY)
    return {
        "credited_24h": sum(m.amount for m in day if m.amount > 0),
        "debited_24h": -sum(m.amount for m in day if m.amount < 0),
    }


def _passes_through(figures: Figures, params: P) -> bool:
    credited = figures["credited_24h"]
    return bool(credited >= params["credits"] and figures["debited_24h"] >= params["ratio"] * credited)


def _p2p_parties(activity: Activity, span: timedelta, credits: bool) -> int:
    return len(
        {
            m.counterparty
            for m in activity.within(span)
            if m.kind == "p2p_transfer" and (m.amount > 0) == credits and m.counterparty
        }
    )


def _fan_in(activity: Activity, params: P) -> Figures:
    return {
        "senders_24h": _p2p_parties(activity, DAY, True),
        "senders_7d": _p2p_parties(activity, 7 * DAY, True),
    }


def _fan_out(activity: Activity, params: P) -> Figures:
    return {"receivers_24h": _p2p_parties(activity, DAY, False)}


def _dormant(activity: Activity, params: P) -> Figures:
    window_start = activity.now - timedelta(days=params["window_days"])
    last = activity.last_activity_before_window or activity.opened_at
    moved = sum(abs(m.amount) for m in activity.movements if m.at > window_start)
    return {"idle_days": (window_start - last).days, "moved_in_window": moved}


def _round_amounts(activity: Activity, params: P) -> Figures:
    last = sorted(activity.movements, key=lambda m: m.at)[-params["of_last"] :]
    round_ = [
        m for m in last if abs(m.amount) >= params["minimum"] and abs(m.amount) % params["multiple"] == 0
    ]
    return {"round_of_last": len(round_)}


def _night(activity: Activity, params: P) -> Figures:
    night_start = dakar_day_start(activity.now)
    night = [
        m
        for m in activity.movements
        if night_start <= m.at < night_start + timedelta(hours=params["until_hour"])
    ]
    return {"night_count": len(night), "night_largest": max((abs(m.amount) for m in night), default=0)}


def _new_account(activity: Activity, params: P) -> Figures:
    return {"age_days": (activity.now - activity.opened_at).days, "credits_30d": activity.credits_30d}


def _agent_turnover(activity: Activity, params: P) -> Figures:
    return {
        "turnover_24h": sum(abs(m.amount) for m in activity.within(DAY)),
        "daily_average_90d": activity.turnover_90d // 90,
    }


def _merchant_mismatch(activity: Activity, params: P) -> Figures:
    return {
        "receipts_30d": sum(m.amount for m in activity.within(30 * DAY) if m.amount > 0),
        "monthly_average_90d": activity.receipts_90d // 3,
        "cash_30d": activity.cash_total_30d,
    }


def _mismatched(figures: Figures, params: P) -> bool:
    average = figures["monthly_average_90d"]
    surge = average > 0 and figures["receipts_30d"] > params["multiple"] * average
    return bool(surge or figures["cash_30d"] >= params["cash"])


def _sanctioned_counterparty(activity: Activity, params: P) -> Figures:
    return {
        "counterparties_hit": len(activity.counterparty_hits),
        "exact_id": any(activity.counterparty_hits),
    }


def _exact_id_declines(figures: Figures, params: P, outcome: Outcome) -> Outcome:
    return Outcome(params["exact_id_outcome"]) if figures["exact_id"] else outcome


def _at_least(figure: str, param: str) -> Any:
    return lambda figures, params: figures[figure] >= params[param]


RULES: dict[str, Rule] = {
    "TM-01": Rule(_cash_report, _at_least("cash_today", "threshold")),
    "TM-02": Rule(_structuring, _structures),
    "TM-03": Rule(_cap_hugging, _at_least("days_near_cap", "days")),
    "TM-04": Rule(_velocity, _too_fast),
    "TM-05": Rule(_pass_through, _passes_through),
    "TM-06": Rule(
        _fan_in, lambda f, p: f["senders_24h"] >= p["senders_24h"] or f["senders_7d"] >= p["senders_7d"]
    ),
    "TM-07": Rule(_fan_out, _at_least("receivers_24h", "receivers_24h")),
    "TM-08": Rule(
        _dormant, lambda f, p: f["idle_days"] >= p["idle_days"] and f["moved_in_window"] >= p["amount"]
    ),
    "TM-09": Rule(_round_amounts, _at_least("round_of_last", "count")),
    "TM-10": Rule(_night, lambda f, p: f["night_largest"] >= p["amount"] or f["night_count"] >= p["count"]),
    "TM-11": Rule(
        _new_account, lambda f, p: f["age_days"] < p["age_days"] and f["credits_30d"] >= p["credits"]
    ),
    "TM-13": Rule(
        _agent_turnover,
        lambda f, p: (
            f["daily_average_90d"] > 0 and f["turnover_24h"] > p["multiple"] * f["daily_average_90d"]
        ),
        applies_to=frozenset({"agent"}),
    ),
    "TM-14": Rule(_merchant_mismatch, _mismatched, applies_to=frozenset({"merchant"})),
    "TM-16": Rule(
        _sanctioned_counterparty,
        _at_least("counterparties_hit", "counterparties"),
        applies_to=frozenset({"customer", "merchant", "agent"}),
        outcome_of=_exact_id_declines,
    ),
}

DEFAULTS: dict[str, tuple[dict[str, Any], int, Outcome]] = {
    "TM-01": ({"threshold": 15_000_000}, 50, Outcome.REVIEW),
    "TM-02": ({"count": 3, "days": 7, "ratio": 0.8, "cash_total_30d": 9_000_000}, 60, Outcome.REVIEW),
    "TM-03": ({"ratio": 0.95, "days": 3}, 40, Outcome.REVIEW),
    "TM-04": (
        {"per_hour": 10, "per_day": 50, "amount_per_hour": 1_000_000, "inline_block": False},
        40,
        Outcome.REVIEW,
    ),
    "TM-05": ({"credits": 500_000, "ratio": 0.9}, 60, Outcome.REVIEW),
    "TM-06": ({"senders_24h": 10, "senders_7d": 20}, 50, Outcome.REVIEW),
    "TM-07": ({"receivers_24h": 10}, 50, Outcome.REVIEW),
    "TM-08": ({"idle_days": 180, "window_days": 7, "amount": 500_000}, 50, Outcome.REVIEW),
    "TM-09": ({"of_last": 5, "count": 3, "multiple": 100_000, "minimum": 500_000}, 30, Outcome.REVIEW),
    "TM-10": ({"until_hour": 5, "amount": 500_000, "count": 5}, 30, Outcome.REVIEW),
    "TM-11": ({"age_days": 30, "credits": 1_000_000}, 50, Outcome.REVIEW),
    "TM-13": ({"multiple": 3}, 60, Outcome.REVIEW),
    "TM-14": ({"multiple": 3, "cash": 5_000_000}, 50, Outcome.REVIEW),
    "TM-16": ({"counterparties": 1, "exact_id_outcome": "decline"}, 100, Outcome.BLOCK_AND_REVIEW),
}
