"""KYC tiers: which tier a person holds, and each tier's limits as versioned data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.versions import effective_from
from ompay.models import KycLimit, KycTier, Person
from ompay.repositories.persons import KycLimitRepository, PersonRepository
from ompay.services.compliance.versions import commit_version
from ompay.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class LimitVersion:
    """What an officer asks for: a tier's next limits, from a moment on (None: no limit)."""

    tier: KycTier
    max_balance: int | None
    max_monthly_credits: int | None
    max_per_transaction: int | None
    effective_from: datetime | None = None


class TierService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.limits = KycLimitRepository(session=uow.session)
        self.persons = PersonRepository(session=uow.session)

    async def limits_in_force(self) -> Sequence[KycLimit]:
        """Each tier's limits as the posting engine applies them now."""
        return await self.limits.in_force(datetime.now(UTC))

    async def limit_versions(self, tier: KycTier | None = None) -> Sequence[KycLimit]:
        """Every version ever in force or scheduled, so a past refusal can be explained."""
        return await self.limits.versions(tier)

    async def add_limit_version(self, version: LimitVersion, actor: Actor) -> KycLimit:
        """A new version, never an edit: it takes effect at `effective_from` (now or later, never earlier)."""
        row = KycLimit(
            tier=version.tier,
            version=await self.limits.next_version(version.tier),
            max_balance=version.max_balance,
            max_monthly_credits=version.max_monthly_credits,
            max_per_transaction=version.max_per_transaction,
            effective_from=effective_from(version.effective_from, datetime.now(UTC)),
            created_by=actor.id or "system",
        )
        changes = {
            "max_balance": row.max_balance,
            "max_monthly_credits": row.max_monthly_credits,
            "max_per_transaction": row.max_per_transaction,
            "effective_from": row.effective_from.isoformat(),
        }
        target = ("kyc_limits", f"{row.tier.value}/v{row.version}")
        return await commit_version(
            self.uow, self.limits, row, actor, "kyc.limits_versioned", target, changes
        )

    async def change_tier(self, person_id: UUID, tier: KycTier, actor: Actor, reason: str) -> Person:
        """Move a person to `tier` (audited with the reason); the caller commits."""
        person = await self.persons.get(person_id)
        if person.tier != tier:
            self.uow.audit.record(
                "kyc.tier_changed",
                actor,
                target_type="person",
                target_id=str(person.id),
                changes={"from": person.tier.value, "to": tier.value, "reason": reason},
            )
            person.tier = tier
        return person
