"""Compliance reports: cash transactions (DTE), suspicious transactions (STR), freezes, and the
quarterly pack. Identity fields come from the people's user records; balances are as of the
report's moment (the filing, the freeze), read from the postings, so a rerun reads the same."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ompay.repositories.reports.ledger import balance_at
from ompay.repositories.reports.reader import ReportQuery

_SUBJECTS = """
    SELECT u.id AS user_id, u.role, u.last_name, u.first_name, u.birth_date, u.sex, u.national_id,
           u.phone, u.created_at AS registered_at
    FROM users u WHERE u.person_id = :person
    ORDER BY u.id
"""

_ACCOUNTS = f"""
    SELECT a.number AS account_number, a.kind AS account_kind, a.created_at AS opened_at,
           {balance_at("a.id", ":moment")} AS balance
    FROM ledger_accounts a
    WHERE a.person_id = :person AND a.created_at < :moment
    ORDER BY a.number
"""


def subjects_and_accounts(person_id: UUID, moment: datetime) -> list[ReportQuery]:
    return [
        ReportQuery("subjects", _SUBJECTS, {"person": person_id}),
        ReportQuery("accounts", _ACCOUNTS, {"person": person_id, "moment": moment}),
    ]


def cash_transactions(label: str, start: datetime, end: datetime) -> list[ReportQuery]:
    """TM-01: every cash operation of a customer whose cash that day reached the threshold in force
    at the day's end; a customer's operations share one linked-group id."""
    sql = """
        WITH threshold AS (
            SELECT (params ->> 'threshold')::bigint AS amount FROM monitoring_rules
            WHERE rule_id = 'TM-01' AND effective_from < :end
            ORDER BY effective_from DESC, version DESC LIMIT 1
        ),
        cash AS (
            SELECT e.id, e.reference, e.kind, e.status, e.amount, e.created_at, a.number, a.owner_id,
                   a.person_id, sum(e.amount) OVER (PARTITION BY a.person_id) AS day_total
            FROM journal_entries e
            JOIN postings p ON p.entry_id = e.id
            JOIN ledger_accounts a ON a.id = p.account_id AND a.kind = 'customer_wallet'
            WHERE e.created_at >= :start AND e.created_at < :end AND e.kind IN ('cash_in', 'cash_out')
        )
        SELECT 'DTE-' || CAST(:label AS text) || '-'
                   || lpad(dense_rank() OVER (ORDER BY c.person_id)::text, 5, '0') AS linked_group,
               c.day_total AS group_total, c.created_at AS operated_at, c.reference, c.kind, c.status,
               c.amount, c.number AS account_number, u.last_name, u.first_name, u.birth_date, u.sex,
               u.national_id, u.phone
        FROM cash c
        JOIN users u ON u.id = c.owner_id
        WHERE c.day_total >= (SELECT amount FROM threshold)
        ORDER BY c.person_id, c.created_at, c.id
    """
    return [ReportQuery("operations", sql, {"label": label, "start": start, "end": end})]


def suspicious_transactions(case_id: UUID, person_id: UUID, filed_at: datetime) -> list[ReportQuery]:
    """The STR of a case decided `file_str`: the filing, its subjects and accounts, the operations."""
    report = ReportQuery(
        "report",
        """
        SELECT c.id AS case_id, c.decided_at AS filed_at, c.decided_by AS filed_by,
               c.str_report ->> 'grounds' AS narrative,
               (SELECT string_agg(rule, ';' ORDER BY rule)
                  FROM jsonb_array_elements_text(c.str_report -> 'rules') AS rule) AS red_flags,
               (SELECT count(*) FROM alerts al WHERE al.case_id = c.id) AS alerts,
               CASE WHEN EXISTS (
                   SELECT 1 FROM account_freezes f
                   WHERE f.person_id = c.person_id AND f.frozen_at <= c.decided_at
                     AND (f.lifted_at IS NULL OR f.lifted_at > c.decided_at))
                    THEN 'accounts_frozen' ELSE 'none' END AS measures_taken
        FROM compliance_cases c WHERE c.id = :case
        """,
        {"case": case_id},
    )
    operations = ReportQuery(
        "operations",
        """
        SELECT e.created_at AS operated_at, e.reference, e.kind, e.status, e.amount, e.fee,
               a.number AS account_number, p.amount AS account_movement
        FROM compliance_cases c
        CROSS JOIN LATERAL jsonb_array_elements_text(c.str_report -> 'entry_ids') AS listed(entry_id)
        JOIN journal_entries e ON e.id = listed.entry_id::uuid
        JOIN postings p ON p.entry_id = e.id
        JOIN ledger_accounts a ON a.id = p.account_id AND a.person_id = c.person_id
        WHERE c.id = :case
        ORDER BY e.created_at, e.id, p.id
        """,
        {"case": case_id},
    )
    return [report, *subjects_and_accounts(person_id, filed_at), operations]


def freeze(freeze_id: UUID, person_id: UUID, frozen_at: datetime) -> list[ReportQuery]:
    """A sanctions freeze: the list entry and version matched, the score, and what was frozen."""
    report = ReportQuery(
        "freeze",
        """
        SELECT f.id AS freeze_id, f.frozen_at, f.reason, f.frozen_by, h.list_name,
               (SELECT v.version FROM screening_list_versions v
                 WHERE v.id = ANY (q.list_version_ids) AND v.list_name = h.list_name
                 ORDER BY v.version DESC LIMIT 1) AS list_version,
               h.reference AS list_entry, round(h.score::numeric, 4)::text AS score, h.exact_id
        FROM account_freezes f
        LEFT JOIN screening_hits h ON h.id = f.hit_id
        LEFT JOIN screening_queries q ON q.id = h.query_id
        WHERE f.id = :freeze
        """,
        {"freeze": freeze_id},
    )
    return [report, *subjects_and_accounts(person_id, frozen_at)]


def compliance_pack(start: datetime, end: datetime) -> list[ReportQuery]:
    window = {"start": start, "end": end}
    alerts = ReportQuery(
        "alerts_by_rule",
        """
        SELECT rule, count(*) AS alerts
        FROM alerts al CROSS JOIN LATERAL jsonb_array_elements_text(al.rules) AS rule
        WHERE al.created_at >= :start AND al.created_at < :end
        GROUP BY rule ORDER BY rule
        """,
        window,
    )
    screening = ReportQuery(
        "screening",
        """
        SELECT count(*) AS queries,
               count(*) FILTER (WHERE q.outcome <> 'clear') AS hits,
               CASE WHEN count(*) = 0 THEN '0.0000'
                    ELSE round(count(*) FILTER (WHERE q.outcome <> 'clear')::numeric / count(*), 4)::text
               END AS hit_rate,
               (SELECT count(*) FROM screening_hits h WHERE h.status = 'confirmed'
                   AND h.decided_at >= :start AND h.decided_at < :end) AS confirmed,
               (SELECT count(*) FROM screening_hits h WHERE h.status = 'dismissed'
                   AND h.decided_at >= :start AND h.decided_at < :end) AS dismissed
        FROM screening_queries q WHERE q.created_at >= :start AND q.created_at < :end
        """,
        window,
    )
    backlog = ReportQuery(
        "case_backlog",
        """
        SELECT CASE WHEN CAST(:end AS timestamptz) - c.created_at < interval '3 days' THEN '0-3d'
                    WHEN CAST(:end AS timestamptz) - c.created_at < interval '7 days' THEN '3-7d'
                    WHEN CAST(:end AS timestamptz) - c.created_at < interval '30 days' THEN '7-30d'
                    ELSE '30d+' END AS age,
               count(*) AS open_cases, count(*) FILTER (WHERE c.due_at < :end) AS overdue
        FROM compliance_cases c
        WHERE c.created_at < :end AND (c.decided_at IS NULL OR c.decided_at >= :end
                                        OR c.decision = 'escalate')
        GROUP BY 1 ORDER BY 1
        """,
        window,
    )
    filings = ReportQuery(
        "filings",
        """
        SELECT 'suspicious_transaction_reports' AS report, count(*) AS filed FROM compliance_cases
          WHERE decision = 'file_str' AND decided_at >= :start AND decided_at < :end
        UNION ALL
        SELECT 'cash_transaction_report_operations', coalesce(sum((f ->> 'rows')::bigint), 0)
          FROM exports x CROSS JOIN LATERAL jsonb_array_elements(x.files) AS f
          WHERE x.type = 'cash_transaction_report' AND x.status = 'ready'
            AND f ->> 'name' = 'operations.csv' AND x.period_start >= :start AND x.period_start < :end
        UNION ALL
        SELECT 'freezes', count(*) FROM account_freezes WHERE frozen_at >= :start AND frozen_at < :end
        """,
        window,
    )
    refusals = ReportQuery(
        "limit_refusals",
        """
        SELECT "limit", count(*) AS refusals, coalesce(sum(amount), 0) AS amount_refused
        FROM limit_refusals WHERE refused_at >= :start AND refused_at < :end
        GROUP BY "limit" ORDER BY "limit"
        """,
        window,
    )
    tiers = ReportQuery(
        "tier_mix",
        "SELECT tier, count(*) AS persons FROM persons WHERE created_at < :end GROUP BY tier ORDER BY tier",
        window,
    )
    return [alerts, screening, backlog, filings, refusals, tiers]
