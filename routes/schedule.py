"""The cron table (Laravel's `Kernel::schedule`): which job runs when, on which queue.

Times are UTC, which is also Africa/Dakar time (no DST). Six-field entries end with a
seconds field.
"""

from __future__ import annotations

from litestar_saq import CronJob


def scheduled_jobs() -> dict[str, list[CronJob]]:
    return {
        "notifications": [
            CronJob(function="jobs.outbox.sweep_outbox", cron="* * * * * */10", timeout=60, retries=0),
        ],
        "webhooks": [
            CronJob(
                function="jobs.payments.expire_payment_requests",
                cron="* * * * * */30",
                timeout=120,
                retries=0,
            ),
            CronJob(function="jobs.ledger.expire_cash_outs", cron="* * * * * */30", timeout=120, retries=0),
            CronJob(
                function="jobs.webhooks.resume_stalled_webhooks",
                cron="* * * * * */30",
                timeout=120,
                retries=0,
            ),
        ],
        "compliance": [
            CronJob(function="jobs.audit.seal_audit_events", cron="* * * * * */10", timeout=60, retries=0),
            CronJob(function="jobs.audit.verify_audit_chain", cron="30 3 * * *", timeout=3600, retries=2),
            CronJob(function="jobs.ledger.reconcile_ledger", cron="30 2 * * *", timeout=3600, retries=2),
        ],
    }
