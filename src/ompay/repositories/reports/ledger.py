"""Ledger reports: the daily journal, a merchant's daily settlement, the monthly e-money figures.

Amounts are signed as postings are: positive adds to the account's balance. A posting's time is
its entry's (both are stamped in the posting transaction).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ompay.repositories.reports.reader import ReportQuery

_BALANCE_AT = """
    coalesce((SELECT p.balance_after FROM postings p
              WHERE p.account_id = {account} AND p.created_at < {moment}
              ORDER BY p.account_version DESC LIMIT 1), 0)"""


def balance_at(account: str, moment: str) -> str:
    """SQL for an account's balance just before `moment`: its last posting's balance, else 0."""
    return _BALANCE_AT.format(account=account, moment=moment)


def journal(start: datetime, end: datetime) -> list[ReportQuery]:
    window = {"start": start, "end": end}
    postings = ReportQuery(
        "postings",
        """
        SELECT e.created_at AS posted_at, e.reference AS entry_reference, e.kind AS entry_kind,
               e.status AS entry_status, e.amount AS entry_amount, e.fee AS entry_fee,
               a.number AS account_number, a.kind AS account_kind, p.amount,
               p.balance_after - p.amount AS balance_before, p.balance_after, p.account_version
        FROM postings p
        JOIN journal_entries e ON e.id = p.entry_id
        JOIN ledger_accounts a ON a.id = p.account_id
        WHERE p.created_at >= :start AND p.created_at < :end
        ORDER BY p.created_at, p.entry_id, p.id
        """,
        window,
    )
    balances = ReportQuery(
        "balances",
        """
        WITH moved AS (
            SELECT account_id, min(account_version) AS first_version, max(account_version) AS last_version,
                   count(*) AS postings,
                   coalesce(sum(-amount) FILTER (WHERE amount < 0), 0) AS money_out,
                   coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS money_in
            FROM postings WHERE created_at >= :start AND created_at < :end
            GROUP BY account_id
        )
        SELECT a.number AS account_number, a.kind AS account_kind,
               f.balance_after - f.amount AS opening_balance, m.money_in, m.money_out,
               l.balance_after AS closing_balance, m.postings
        FROM moved m
        JOIN ledger_accounts a ON a.id = m.account_id
        JOIN postings f ON f.account_id = m.account_id AND f.account_version = m.first_version
        JOIN postings l ON l.account_id = m.account_id AND l.account_version = m.last_version
        ORDER BY a.number
        """,
        window,
    )
    return [postings, balances]


def merchant_settlement(merchant_id: UUID, start: datetime, end: datetime) -> list[ReportQuery]:
    params = {"merchant": merchant_id, "start": start, "end": end}
    transactions = ReportQuery(
        "transactions",
        """
        SELECT e.created_at AS posted_at, e.reference, e.kind, pr.client_reference,
               e.amount AS gross, e.fee, p.amount AS net, p.balance_after
        FROM merchants m
        JOIN postings p ON p.account_id = m.wallet_id
        JOIN journal_entries e ON e.id = p.entry_id
        LEFT JOIN payment_requests pr ON pr.entry_id = e.id AND pr.merchant_id = m.id
        WHERE m.id = :merchant AND p.created_at >= :start AND p.created_at < :end
        ORDER BY p.account_version
        """,
        params,
    )
    summary = ReportQuery(
        "summary",
        f"""
        SELECT m.code AS merchant_code, {balance_at("m.wallet_id", ":start")} AS opening_balance,
               count(p.id) AS transactions,
               coalesce(sum(e.amount) FILTER (WHERE e.kind = 'merchant_payment'), 0) AS payments_gross,
               coalesce(sum(e.fee), 0) AS fees,
               coalesce(sum(-p.amount) FILTER (WHERE p.amount < 0), 0) AS money_out,
               coalesce(sum(p.amount), 0) AS net_change,
               {balance_at("m.wallet_id", ":end")} AS closing_balance
        FROM merchants m
        LEFT JOIN postings p ON p.account_id = m.wallet_id AND p.created_at >= :start AND p.created_at < :end
        LEFT JOIN journal_entries e ON e.id = p.entry_id
        WHERE m.id = :merchant
        GROUP BY m.id, m.code, m.wallet_id
        """,
        params,
    )
    return [transactions, summary]


_CLOSING_BALANCES = """
    closing AS (
        SELECT DISTINCT ON (account_id) account_id, balance_after
        FROM postings WHERE created_at < :end
        ORDER BY account_id, account_version DESC
    )"""


def emoney_statistics(start: datetime, end: datetime) -> list[ReportQuery]:
    window = {"start": start, "end": end}
    accounts = ReportQuery(
        "accounts",
        f"""
        WITH {_CLOSING_BALANCES}
        SELECT coalesce(pe.tier, '') AS tier, a.kind AS account_kind, a.status AS account_status,
               count(*) AS accounts, coalesce(sum(c.balance_after), 0) AS closing_balance
        FROM ledger_accounts a
        LEFT JOIN persons pe ON pe.id = a.person_id
        LEFT JOIN closing c ON c.account_id = a.id
        WHERE a.created_at < :end
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        """,
        window,
    )
    entries = ReportQuery(
        "entries",
        """
        SELECT kind AS entry_kind, count(*) AS entries, sum(amount) AS value, sum(fee) AS fees
        FROM journal_entries WHERE created_at >= :start AND created_at < :end
        GROUP BY kind ORDER BY kind
        """,
        window,
    )
    outstanding = ReportQuery(
        "outstanding",
        f"""
        WITH {_CLOSING_BALANCES},
        by_kind AS (
            SELECT a.kind, coalesce(sum(c.balance_after), 0) AS balance
            FROM ledger_accounts a JOIN closing c ON c.account_id = a.id GROUP BY a.kind
        )
        SELECT
            coalesce(sum(balance) FILTER (
                         WHERE kind IN ('customer_wallet', 'merchant_wallet', 'agent_float')), 0)
                AS emoney_outstanding,
            coalesce(sum(balance) FILTER (WHERE kind = 'fee_revenue'), 0) AS fee_revenue,
            coalesce(sum(balance) FILTER (WHERE kind = 'suspense'), 0) AS suspense,
            coalesce(sum(balance) FILTER (WHERE kind = 'emoney_issuance'), 0) AS issuance_account,
            coalesce(sum(balance), 0) AS ledger_sum
        FROM by_kind
        """,
        window,
    )
    return [accounts, entries, outstanding]
