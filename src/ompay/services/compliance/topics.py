"""The compliance side effects run by `compliance` workers once their transaction commits."""

from __future__ import annotations

from ompay.lib.outbox import Topic

KYC_SUBMITTED = Topic("kyc.submitted", queue="compliance")
KYB_SUBMITTED = Topic("kyb.submitted", queue="compliance")
ENTRY_POSTED = Topic("ledger.entry_posted", queue="compliance")
"""Every committed journal entry, for transaction monitoring."""
LIST_IMPORTED = Topic("screening.list_imported", queue="compliance")
