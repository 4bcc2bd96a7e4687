"""The reads on nearly every request's path, as plain SQL on a pooled driver connection.

The session check runs on every authenticated request and the balance is the app's most
frequent read. Through the ORM each costs about 1 ms of CPU (session, statement compilation,
entity loading); as asyncpg prepared statements on a pool of their own (one that skips the
checkout ping) they cost about 0.25 ms and one round trip. Everything else goes through the
ORM repositories.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from ompay.domain.monitoring import Outcome, RuleVersion
from ompay.domain.tier_limits import Holding, MoneyGate, TierLimits, credit_month
from ompay.lib.db_faults import connection_lost
from ompay.models import AccountKind, AccountStatus, UserRole, UserStatus

_LIVE_USER = """
SELECT u.role, u.phone
FROM auth_sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = $1 AND u.id = $2 AND u.status = $3 AND s.revoked_at IS NULL AND s.expires_at > now()
"""

_WALLET = """
SELECT id, number, balance, currency, status FROM ledger_accounts WHERE owner_id = $1 AND kind = $2
"""

# The wallet with its holder's tier limits in force, balances summed over the person's accounts
# and credits of the month ($3, the first day of the current month in Africa/Dakar).
_WALLET_WITH_LIMITS = """
SELECT a.id, a.number, a.balance, a.currency, a.status, p.tier,
       CASE WHEN p.credits_month = $3 THEN p.credits_total ELSE 0 END AS credited,
       (SELECT sum(s.balance) FROM ledger_accounts s WHERE s.person_id = a.person_id)::bigint AS held,
       l.max_balance, l.max_monthly_credits, l.max_per_transaction
FROM ledger_accounts a
JOIN persons p ON p.id = a.person_id
JOIN LATERAL (
    SELECT max_balance, max_monthly_credits, max_per_transaction FROM kyc_limits
    WHERE tier = p.tier AND effective_from <= $4 ORDER BY effective_from DESC LIMIT 1
) l ON true
WHERE a.owner_id = $1 AND a.kind = $2
"""

_MONEY_GATE = """
SELECT a.status, l.max_per_transaction
FROM ledger_accounts a
JOIN persons p ON p.id = a.person_id
JOIN LATERAL (
    SELECT max_per_transaction FROM kyc_limits
    WHERE tier = p.tier AND effective_from <= now() ORDER BY effective_from DESC LIMIT 1
) l ON true
WHERE a.owner_id = $1 AND a.kind = $2
"""


@dataclass(frozen=True, slots=True)
class LiveUser:
    role: UserRole
    phone: str


@dataclass(frozen=True, slots=True)
class WalletBalance:
    id: UUID
    number: str
    balance: int
    currency: str
    status: AccountStatus


@dataclass(frozen=True, slots=True)
class WalletWithLimits:
    wallet: WalletBalance
    holding: Holding


_RULES_IN_FORCE = """
SELECT DISTINCT ON (rule_id) rule_id, version, params, score, outcome FROM monitoring_rules
WHERE effective_from <= now() ORDER BY rule_id, effective_from DESC
"""


class HotReads:
    def __init__(self, engine: AsyncEngine, rule_cache_seconds: float = 30.0) -> None:
        self.engine = engine
        self.rule_cache_seconds = rule_cache_seconds
        self._rules: tuple[float, list[RuleVersion]] = (0.0, [])

    async def _read(self, fetch: str, sql: str, *args: Any) -> Any:
        """`fetch`/`fetchrow` on the asyncpg connection under a pooled one. The pool does not ping
        on checkout (a round trip per read). When the server dropped a connection (a restart, a
        failover) the others sitting idle are as dead: the pool is renewed, as SQLAlchemy does on
        a disconnect, and the read, which changes nothing, runs once more on a fresh connection."""
        for attempt in (1, 2):
            async with self.engine.connect() as connection:
                driver: Any = (await connection.get_raw_connection()).driver_connection
                try:
                    return await getattr(driver, fetch)(sql, *args)
                except Exception as exc:
                    if attempt == 2 or not (driver.is_closed() or connection_lost(exc)):
                        raise
                    await connection.invalidate()
            await self.engine.dispose()
        raise AssertionError("unreachable")

    async def live_user(self, session_id: UUID, user_id: UUID) -> LiveUser | None:
        """The active user behind a live (unrevoked, unexpired) session."""
        row = await self._read("fetchrow", _LIVE_USER, session_id, user_id, UserStatus.ACTIVE.value)
        return LiveUser(UserRole(row["role"]), row["phone"]) if row else None

    async def wallet(self, owner_id: UUID, kind: AccountKind) -> WalletBalance | None:
        row = await self._read("fetchrow", _WALLET, owner_id, kind.value)
        if row is None:
            return None
        return WalletBalance(
            row["id"], row["number"], row["balance"], row["currency"], AccountStatus(row["status"])
        )

    async def wallet_with_limits(
        self, owner_id: UUID, kind: AccountKind, now: datetime
    ) -> WalletWithLimits | None:
        """The wallet, and where its holder stands against their tier's limits in force at `now`."""
        row = await self._read("fetchrow", _WALLET_WITH_LIMITS, owner_id, kind.value, credit_month(now), now)
        if row is None:
            return None
        wallet = WalletBalance(
            row["id"], row["number"], row["balance"], row["currency"], AccountStatus(row["status"])
        )
        limits = TierLimits(
            row["tier"], row["max_balance"], row["max_monthly_credits"], row["max_per_transaction"]
        )
        return WalletWithLimits(wallet, Holding(limits, row["held"], row["credited"]))

    async def rules_in_force(self) -> list[RuleVersion]:
        """The monitoring rules' versions in force, read at most every `rule_cache_seconds` per
        process: the velocity count and each entry's evaluation read them, and a new version
        may wait that long to apply in another process."""
        read_at, cached = self._rules
        if time.monotonic() - read_at >= self.rule_cache_seconds:
            rows = await self._read("fetch", _RULES_IN_FORCE)
            cached = [  # the pool's connections decode jsonb
                RuleVersion(
                    row["rule_id"], row["version"], dict(row["params"]), row["score"], Outcome(row["outcome"])
                )
                for row in rows
            ]
            self._rules = (time.monotonic(), cached)
        return cached

    async def rule_in_force(self, rule_id: str) -> RuleVersion | None:
        return next((rule for rule in await self.rules_in_force() if rule.rule_id == rule_id), None)

    def forget_rules(self) -> None:
        """A new version was added by this process: read them on next use, not later."""
        self._rules = (0.0, [])

    async def money_gate(self, owner_id: UUID, kind: AccountKind) -> MoneyGate | None:
        """The caller's wallet status and per-transaction maximum, for the early KYC refusal."""
        row = await self._read("fetchrow", _MONEY_GATE, owner_id, kind.value)
        return MoneyGate(row["status"], row["max_per_transaction"]) if row else None


def _rule_version(row: Any) -> RuleVersion:
    """The pool's connections decode jsonb: `params` arrives a mapping."""
    return RuleVersion(
        row["rule_id"], row["version"], dict(row["params"]), row["score"], Outcome(row["outcome"])
    )
