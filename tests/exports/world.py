"""A small, fixed world for the export golden tests: every id, reference and timestamp is chosen,
so each export's files have exactly one right content.

Day D is 2026-11-27 (Dakar = UTC). Awa deposits 16 000 000 in cash that day (over TM-01's
15 000 000), Moussa 100 000; Awa pays Moussa, Moussa pays the merchant, who refunds part. One
entry the day before and one at midnight after bound the day. Awa's case is filed as an STR;
Moussa is frozen on an exact-ID sanctions hit.
"""

from __future__ import annotations

from datetime import date

from tests import support

DAY = date(2026, 11, 27)
MERCHANT_CODE = "MCHGOLDEN01"


def uid(n: int) -> str:
    return f"00000000-0000-7000-8000-{n:012d}"


PERSONS = {"awa": uid(1), "moussa": uid(2), "agent": uid(3), "shop": uid(4)}
USERS = {"awa": uid(11), "moussa": uid(12), "agent": uid(13), "shop": uid(14)}
ACCOUNTS = {
    "awa": (uid(21), "customer_wallet", "OM0000000021", "awa"),
    "moussa": (uid(22), "customer_wallet", "OM0000000022", "moussa"),
    "agent": (uid(23), "agent_float", "OM0000000023", "agent"),
    "shop": (uid(24), "merchant_wallet", "OM0000000024", "shop"),
}
SYSTEM = {"fees": "SYS-FEE-00", "issuance": "SYS-EMI-00"}
"""The migrations' own system accounts (kept between tests), used through their fixed numbers."""
MERCHANT_ID = uid(31)
CASE_ID = uid(41)
FREEZE_ID = uid(51)

# reference, kind, amount, fee, at, legs (account, amount) — legs sum to zero
ENTRIES = [
    (
        "E00",
        "float_funding",
        1_000_000,
        0,
        "2026-11-26 22:00",
        [("issuance", -1_000_000), ("agent", 1_000_000)],
    ),
    (
        "E01",
        "float_funding",
        20_000_000,
        0,
        "2026-11-27 08:00",
        [("issuance", -20_000_000), ("agent", 20_000_000)],
    ),
    ("E02", "cash_in", 10_000_000, 0, "2026-11-27 09:00", [("agent", -10_000_000), ("awa", 10_000_000)]),
    ("E03", "cash_in", 6_000_000, 0, "2026-11-27 10:00", [("agent", -6_000_000), ("awa", 6_000_000)]),
    ("E04", "cash_in", 100_000, 0, "2026-11-27 10:30", [("agent", -100_000), ("moussa", 100_000)]),
    (
        "E05",
        "p2p_transfer",
        50_000,
        500,
        "2026-11-27 11:00",
        [("awa", -50_500), ("moussa", 50_000), ("fees", 500)],
    ),
    (
        "E06",
        "merchant_payment",
        20_000,
        200,
        "2026-11-27 12:00",
        [("moussa", -20_000), ("shop", 19_800), ("fees", 200)],
    ),
    ("E07", "refund", 5_000, 0, "2026-11-27 15:00", [("shop", -5_000), ("moussa", 5_000)]),
    ("E08", "cash_in", 1_000, 0, "2026-11-28 00:00", [("agent", -1_000), ("awa", 1_000)]),
]


def _entry_id(index: int) -> str:
    return uid(100 + index)


def _ts(moment: str) -> str:
    return f"'{moment}+00'"


OPENED = _ts("2026-11-01 09:00")


def _people() -> list[str]:
    who = {
        "awa": (
            "customer",
            "Awa",
            "Ndiaye",
            "+221770000011",
            "1990123456789",
            "female",
            "1990-04-02",
            "tier1",
        ),
        "moussa": (
            "customer",
            "Moussa",
            "Diop",
            "+221770000012",
            "1985123456789",
            "male",
            "1985-01-20",
            "tier0",
        ),
        "agent": ("agent", "Fatou", "Sow", "+221770000013", None, "female", "1979-07-07", "agent"),
        "shop": ("merchant", "Ibrahima", "Fall", "+221770000014", None, None, None, "merchant"),
    }
    rows = []
    for name, (role, first, last, phone, nid, sex, birth, tier) in who.items():
        nid_sql, sex_sql, birth_sql = (f"'{value}'" if value else "NULL" for value in (nid, sex, birth))
        rows.append(
            "INSERT INTO persons (id, national_id, tier, created_at, updated_at) VALUES "
            f"('{PERSONS[name]}', {nid_sql}, '{tier}', {_ts('2026-11-01 08:00')}, {_ts('2026-11-01 08:00')})"
        )
        rows.append(
            "INSERT INTO users (id, person_id, role, status, first_name, last_name, phone, national_id, sex, "
            "birth_date, password_hash, created_at, updated_at) VALUES "
            f"('{USERS[name]}', '{PERSONS[name]}', '{role}', 'active', '{first}', '{last}', '{phone}', "
            f"{nid_sql}, {sex_sql}, {birth_sql}, 'x', "
            f"{_ts('2026-11-01 08:00')}, {_ts('2026-11-01 08:00')})"
        )
    return rows


def _ledger() -> list[str]:
    balances = dict.fromkeys([*ACCOUNTS, *SYSTEM], 0)
    versions = dict.fromkeys([*ACCOUNTS, *SYSTEM], 0)
    rows = []
    for index, (reference, kind, amount, fee, at, legs) in enumerate(ENTRIES):
        rows.append(
            "INSERT INTO journal_entries (id, reference, kind, status, amount, fee, initiator_type, "
            f"initiator_id, created_at) VALUES ('{_entry_id(index)}', 'TX2026GOLD{reference}', '{kind}', "
            f"'posted', {amount}, {fee}, 'system', 'golden', {_ts(at)})"
        )
        for leg, (account, movement) in enumerate(legs):
            balances[account] += movement
            versions[account] += 1
            rows.append(
                "INSERT INTO postings (id, entry_id, account_id, amount, balance_after, account_version, "
                f"created_at) VALUES ('{uid(1000 + 10 * index + leg)}', '{_entry_id(index)}', "
                f"{_account_ref(account)}, {movement}, {balances[account]}, {versions[account]}, {_ts(at)})"
            )
    accounts = [
        "INSERT INTO ledger_accounts (id, kind, status, owner_id, person_id, number, balance, version, "
        f"created_at, updated_at) VALUES ('{account_id}', '{kind}', 'active', '{USERS[owner]}', "
        f"'{PERSONS[owner]}', '{number}', {balances[name]}, {versions[name]}, {OPENED}, {OPENED})"
        for name, (account_id, kind, number, owner) in ACCOUNTS.items()
    ]
    system = [
        f"UPDATE ledger_accounts SET balance = {balances[name]}, version = {versions[name]} "
        f"WHERE number = '{number}'"
        for name, number in SYSTEM.items()
    ]
    opened = f"UPDATE ledger_accounts SET created_at = {OPENED} WHERE owner_id IS NULL"
    return ["BEGIN", opened, *accounts, *rows, *system, "COMMIT"]


def _account_ref(name: str) -> str:
    if name in SYSTEM:
        return f"(SELECT id FROM ledger_accounts WHERE number = '{SYSTEM[name]}')"
    return f"'{ACCOUNTS[name][0]}'"


def _merchant() -> list[str]:
    return [
        "INSERT INTO merchants (id, code, business_name, trade_name, category, status, wallet_id, "
        f"created_at, updated_at) VALUES ('{MERCHANT_ID}', '{MERCHANT_CODE}', 'Boutique Fall SARL', "
        f"'Boutique Fall', 'retail', 'active', '{ACCOUNTS['shop'][0]}', {OPENED}, {OPENED})",
        "INSERT INTO merchant_members (id, merchant_id, user_id, role, created_at) VALUES "
        f"('{uid(32)}', '{MERCHANT_ID}', '{USERS['shop']}', 'owner', {_ts('2026-11-01 09:00')})",
    ]


def _compliance() -> list[str]:
    str_report = (
        '{"person_id": "' + PERSONS["awa"] + '", "grounds": "Cash deposits just over the reporting '
        'threshold, twice in one morning", "rules": ["TM-02", "TM-01"], "entry_ids": ["'
        + _entry_id(2)
        + '", "'
        + _entry_id(3)
        + '"], "filed_by": "officer-1", "filed_at": "x"}'
    )
    lists = uid(61)
    return [
        "INSERT INTO compliance_cases (id, person_id, status, due_at, decision, decided_by, decided_at, "
        f"str_report, created_at) VALUES ('{CASE_ID}', '{PERSONS['awa']}', 'closed', "
        f"{_ts('2026-11-30 13:00')}, 'file_str', 'officer-1', {_ts('2026-11-27 16:00')}, '{str_report}', "
        f"{_ts('2026-11-27 13:00')})",
        *(
            "INSERT INTO alerts (id, case_id, person_id, rules, score, outcome, created_at) VALUES "
            f"('{uid(42 + n)}', '{CASE_ID}', '{PERSONS['awa']}', '[\"{rule}\"]', 50, 'review', "
            f"{_ts('2026-11-27 13:00')})"
            for n, rule in enumerate(["TM-01", "TM-02"])
        ),
        "INSERT INTO screening_list_versions (id, list_name, version, list_format, sha256, entry_count, "
        f"imported_by, created_at) VALUES ('{lists}', 'un-sc', 3, 'un-xml', '{'a' * 64}', 1, 'console', "
        f"{_ts('2026-11-20 08:00')})",
        *(
            "INSERT INTO screening_queries (id, person_id, subject_kind, subject_id, trigger, "
            "list_version_ids, threshold, candidates, outcome, created_at) VALUES "
            f"('{uid(62 + n)}', '{PERSONS[who]}', 'user', '{USERS[who]}', 'list_update', "
            f"ARRAY['{lists}']::uuid[], 0.85, '[]', '{outcome}', {_ts('2026-11-27 17:00')})"
            for n, (who, outcome) in enumerate([("awa", "clear"), ("moussa", "exact_id_hit")])
        ),
        "INSERT INTO screening_hits (id, query_id, person_id, status, score, exact_id, list_name, reference, "
        f"created_at) VALUES ('{uid(65)}', '{uid(63)}', '{PERSONS['moussa']}', 'open', 1.0, true, 'un-sc', "
        f"'SNi.001', {_ts('2026-11-27 17:00')})",
        *(
            'INSERT INTO limit_refusals (id, "limit", entry_kind, amount, initiator_type, initiator_id, '
            f"refused_at) VALUES ('{uid(70 + n)}', '{limit}', {kind}, {amount}, 'user', '{USERS['awa']}', "
            f"{_ts('2026-11-27 18:00')})"
            for n, (limit, kind, amount) in enumerate(
                [("max_per_transaction", "NULL", 2_500_000), ("counterparty", "'p2p_transfer'", 900_000)]
            )
        ),
        "INSERT INTO account_freezes (id, person_id, reason, hit_id, frozen_by, frozen_at) VALUES "
        f"('{FREEZE_ID}', '{PERSONS['moussa']}', 'sanctions_exact_id', '{uid(65)}', 'system', "
        f"{_ts('2026-11-27 17:00')})",
    ]


async def seed() -> None:
    await support.execute_sql(*_people(), *_ledger(), *_merchant(), *_compliance())
