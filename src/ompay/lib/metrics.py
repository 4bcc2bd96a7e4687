"""Prometheus metrics. With PROMETHEUS_MULTIPROC_DIR set, all server workers are aggregated."""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

HTTP_REQUEST_DURATION = Histogram(
    "ompay_http_request_duration_seconds",
    "HTTP request latency by route template",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5),
)
JOB_RUNS = Counter("ompay_job_runs_total", "Background job runs by outcome", ["function", "status"])
JOB_DURATION = Histogram("ompay_job_duration_seconds", "Background job run time", ["function"])
OUTBOX_DELIVERIES = Counter("ompay_outbox_deliveries_total", "Outbox deliveries by outcome", ["outcome"])
OUTBOX_RELAY_FAILURES = Counter("ompay_outbox_relay_failures_total", "Enqueue attempts that found Redis down")
OUTBOX_BACKLOG = Gauge("ompay_outbox_backlog", "Outbox messages not yet processed", multiprocess_mode="max")
QUEUE_DEPTH = Gauge("ompay_queue_depth", "Jobs waiting per queue", ["queue"], multiprocess_mode="max")
MONEY_MOVEMENTS = Counter(
    "ompay_money_movements_total", "Money movements by entry kind and outcome", ["kind", "outcome"]
)
LEDGER_RETRIES = Counter(
    "ompay_ledger_retries_total",
    "Postings tried again after a deadlock, a serialization failure or a reference collision",
    ["reason"],
)
LEDGER_MISMATCHES = Counter(
    "ompay_ledger_mismatches_total", "Accounts found out of balance by reconciliation"
)
SCREENING_QUERIES = Counter(
    "ompay_screening_queries_total", "Screening queries by trigger and outcome", ["trigger", "outcome"]
)
MONITORING_ALERTS = Counter("ompay_monitoring_alerts_total", "Alerts opened, by rule that fired", ["rule"])
MONITORING_LAG = Histogram(
    "ompay_monitoring_lag_seconds",
    "From an entry's commit to its monitoring decision",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
CASES_OVERDUE = Gauge("ompay_compliance_cases_overdue", "Open cases past their SLA", multiprocess_mode="max")
AUDIT_CHAIN_FAILURES = Counter("ompay_audit_chain_failures_total", "Audit chain verifications that failed")
AUDIT_CHAIN_INTACT = Gauge(
    "ompay_audit_chain_intact",
    "1 when the latest audit chain verification found it intact, 0 when broken or not verified yet "
    "(set by the verifier and by readiness from the latest checkpoint)",
    multiprocess_mode="mostrecent",
)

CONTENT_TYPE = CONTENT_TYPE_LATEST.replace("; charset=utf-8", "")  # Litestar appends the charset


def render_latest() -> bytes:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest()
