"""The cron table (Laravel's `Kernel::schedule`): which job runs when, on which queue.

Times are UTC, which is also Africa/Dakar time (no DST). Six-field entries end with a
seconds field. Every function here must also be in `jobs.registry.JOBS` (a test checks).
"""

from __future__ import annotations

from litestar_saq import CronJob

from jobs.audit import seal_audit_events, verify_audit_chain
from jobs.compliance import anonymise_closed_users, evaluate_windowed_rules, expire_kyc_documents
from jobs.exports import request_due_exports
from jobs.ledger import expire_cash_outs, reconcile_ledger
from jobs.payments import expire_payment_requests
from jobs.registry import sweep_outbox
from jobs.webhooks import resume_stalled_webhooks

EVERY_10_SECONDS = "* * * * * */10"
EVERY_30_SECONDS = "* * * * * */30"


def scheduled_jobs() -> dict[str, list[CronJob]]:
    return {
        "notifications": [
            CronJob(function=sweep_outbox, cron=EVERY_10_SECONDS, timeout=60, retries=0),
        ],
        "webhooks": [
            CronJob(function=expire_payment_requests, cron=EVERY_30_SECONDS, timeout=120, retries=0),
            CronJob(function=expire_cash_outs, cron=EVERY_30_SECONDS, timeout=120, retries=0),
            CronJob(function=resume_stalled_webhooks, cron=EVERY_30_SECONDS, timeout=120, retries=0),
        ],
        "compliance": [
            CronJob(function=seal_audit_events, cron=EVERY_10_SECONDS, timeout=60, retries=0),
            CronJob(function=verify_audit_chain, cron="30 3 * * *", timeout=3600, retries=2),
            CronJob(function=reconcile_ledger, cron="30 2 * * *", timeout=3600, retries=2),
            CronJob(function=expire_kyc_documents, cron="15 0 * * *", timeout=3600, retries=2),
            CronJob(function=evaluate_windowed_rules, cron="45 0 * * *", timeout=3600, retries=2),
            CronJob(function=anonymise_closed_users, cron="0 4 * * *", timeout=3600, retries=2),
        ],
        "reporting": [
            CronJob(function=request_due_exports, cron="*/30 * * * *", timeout=600, retries=2),
        ],
    }
