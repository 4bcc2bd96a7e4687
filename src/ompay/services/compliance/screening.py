"""Sanctions and PEP screening of people, merchants and beneficial owners (COMPLIANCE.md).

Every query is logged with the list versions it used, its candidates and outcome, so that it
can be replayed. A potential hit waits for an officer; an exact ID number on a sanctions list
freezes the person at once. Nothing of it is ever shown to the customer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal
from uuid import UUID

from redis.asyncio import Redis

from ompay.domain.actors import Actor
from ompay.domain.errors import Conflict, NotFound
from ompay.domain.kyc import CheckResult
from ompay.domain.screening import Subject, blocking_keys, document_key
from ompay.domain.screening_verdicts import Verdict, judge
from ompay.lib.metrics import SCREENING_QUERIES
from ompay.models import (
    BeneficialOwner,
    FreezeReason,
    KycCheckOutcome,
    Merchant,
    ScreeningHit,
    ScreeningHitStatus,
    ScreeningListVersion,
    ScreeningOutcome,
    ScreeningQuery,
    ScreeningTrigger,
    User,
)
from ompay.models.base import new_id
from ompay.repositories.screening import (
    ScreeningHitRepository,
    ScreeningListRepository,
    ScreeningQueryRepository,
)
from ompay.services.compliance.freezes import FreezeService
from ompay.services.unit_of_work import UnitOfWork

SYSTEM = Actor.system("screening")
LISTS_IN_FORCE = "screening:lists-in-force"
"""The fingerprint of the list versions in force, cached; an import drops it."""
LISTS_IN_FORCE_TTL = 300
NO_LISTS = "none"
"""Cached in place of a fingerprint while no list is loaded, so payments do not ask the database
each time; the first import drops it like any other."""
_CHECK_OUTCOME = {
    ScreeningOutcome.CLEAR: KycCheckOutcome.PASSED,
    ScreeningOutcome.POTENTIAL_HIT: KycCheckOutcome.REVIEW,
    ScreeningOutcome.EXACT_ID_HIT: KycCheckOutcome.FAILED,
}
HitDecision = Literal["confirm", "dismiss"]


@dataclass(frozen=True, slots=True)
class ScreeningSubject:
    """Who is screened, and the person whose accounts a hit concerns (a beneficial owner's
    hit concerns the merchant it owns)."""

    person_id: UUID
    kind: Literal["customer", "merchant", "beneficial_owner"]
    subject_id: UUID
    name: str
    birth_date: date | None = None
    id_number: str | None = None

    @classmethod
    def of_customer(cls, user: User) -> ScreeningSubject:
        """A customer by their declared identity: names, birth date, national ID number."""
        person, name = user.person_id, f"{user.first_name} {user.last_name}"
        return cls(person, "customer", person, name, user.birth_date, user.national_id)

    @classmethod
    def of_merchant(cls, merchant: Merchant, person_id: UUID) -> ScreeningSubject:
        """A business by its registered name (lists name entities as registered)."""
        return cls(person_id, "merchant", merchant.id, merchant.business_name)

    @classmethod
    def of_owner(cls, owner: BeneficialOwner, person_id: UUID) -> ScreeningSubject:
        """A beneficial owner; a hit on them concerns the merchant's accounts (`person_id`)."""
        return cls(person_id, "beneficial_owner", owner.id, owner.full_name, id_number=owner.national_id)

    def matchable(self) -> Subject:
        """What the matching compares with listed parties."""
        return Subject(self.name, self.birth_date, self.id_number)

    def snapshot(self) -> dict[str, str | None]:
        """As logged with the query, so that a replay screens exactly this again."""
        born = self.birth_date.isoformat() if self.birth_date else None
        return {"name": self.name, "birth_date": born, "id_number": self.id_number}


@dataclass(frozen=True, slots=True)
class Replay:
    query: ScreeningQuery
    verdict: Verdict

    @property
    def reproduced(self) -> bool:
        return self.verdict.outcome == self.query.outcome and self.verdict.candidates == self.query.candidates


class HitDecided(Conflict):
    message_fr = "Cette alerte de filtrage a déjà été tranchée."
    message_en = "This screening hit has already been decided."


class ScreeningService:
    def __init__(self, uow: UnitOfWork, freezes: FreezeService, redis: Redis, threshold: float) -> None:
        self.uow = uow
        self.freezes = freezes
        self.redis = redis
        self.threshold = threshold
        self.lists = ScreeningListRepository(session=uow.session)
        self.queries = ScreeningQueryRepository(session=uow.session)
        self.hits = ScreeningHitRepository(session=uow.session)

    async def screen(self, subject: ScreeningSubject, trigger: ScreeningTrigger) -> ScreeningQuery | None:
        """Screen against the lists in force, in the caller's transaction; None when no list is loaded."""
        versions = await self.lists.in_force()
        if not versions:
            return None
        keys = sorted(blocking_keys(subject.name))
        ids = [document_key(subject.id_number)] if subject.id_number else []
        entries = await self.lists.entries([v.id for v in versions], keys, ids)
        verdict = judge(subject.matchable(), entries, self.threshold)
        return await self.record(subject, trigger, versions, verdict)

    async def record(
        self,
        subject: ScreeningSubject,
        trigger: ScreeningTrigger,
        versions: list[ScreeningListVersion],
        verdict: Verdict,
    ) -> ScreeningQuery:
        """Log the query, then act on it: a hit for an officer, a freeze for an exact sanctions ID."""
        query = ScreeningQuery(**self._logged(subject, trigger, versions, verdict))
        self.uow.session.add(query)
        SCREENING_QUERIES.labels(trigger=trigger.value, outcome=verdict.outcome.value).inc()
        if verdict.outcome != ScreeningOutcome.CLEAR:
            await self.uow.session.flush()  # the hit references it
            await self._open_hits([(query.id, subject.person_id, verdict)])
        return query

    async def record_page(
        self,
        judged: list[tuple[ScreeningSubject, Verdict]],
        trigger: ScreeningTrigger,
        versions: list[ScreeningListVersion],
    ) -> None:
        """Many queries at once (a re-screening page): one COPY for the log, one INSERT for the hits."""
        rows = [self._logged(subject, trigger, versions, verdict) for subject, verdict in judged]
        await self.queries.insert_all(rows)
        flagged = []
        for (subject, verdict), row in zip(judged, rows, strict=True):
            SCREENING_QUERIES.labels(trigger=trigger.value, outcome=verdict.outcome.value).inc()
            if verdict.outcome != ScreeningOutcome.CLEAR:
                flagged.append((row["id"], subject.person_id, verdict))
        await self._open_hits(flagged)

    def _logged(
        self,
        subject: ScreeningSubject,
        trigger: ScreeningTrigger,
        versions: list[ScreeningListVersion],
        verdict: Verdict,
    ) -> dict[str, Any]:
        return {
            "id": new_id(),
            "person_id": subject.person_id,
            "subject_kind": subject.kind,
            "subject_id": subject.subject_id,
            "trigger": trigger,
            "subject": subject.snapshot(),
            "list_version_ids": [version.id for version in versions],
            "threshold": self.threshold,
            "candidates": verdict.candidates,
            "outcome": verdict.outcome,
        }

    async def check(self, subject: ScreeningSubject, trigger: ScreeningTrigger) -> CheckResult:
        """The `screening` result of the KYC and KYB checks; `not_screened` while no list is loaded."""
        query = await self.screen(subject, trigger)
        if query is None:
            return CheckResult("screening", KycCheckOutcome.NOT_SCREENED, {"lists": []})
        facts = {"query_id": str(query.id), "outcome": query.outcome.value}
        return CheckResult("screening", _CHECK_OUTCOME[query.outcome], facts)

    async def may_receive(self, subject: ScreeningSubject) -> bool:
        """Inline payee screening: False while an officer owes a decision on the payee.

        Cached per payee and list versions, so a payment pays one Redis read; a payee not yet
        screened against the versions in force is screened now, and that query committed
        whatever becomes of the payment.
        """
        cache_key = _payee_key(subject.person_id)
        in_force, cleared = await self.redis.mget([LISTS_IN_FORCE, cache_key])
        if in_force is not None and in_force in (cleared, NO_LISTS.encode()):
            return True
        versions = await self.lists.in_force()
        fingerprint = lists_fingerprint(versions) if versions else NO_LISTS
        await self.redis.set(LISTS_IN_FORCE, fingerprint, ex=LISTS_IN_FORCE_TTL)
        if not versions:
            return True
        if cleared == fingerprint.encode():
            return True
        if not await self.queries.screened_against(subject.person_id, [v.id for v in versions]):
            await self.screen(subject, ScreeningTrigger.PAYEE)
            await self.uow.commit()
        if await self.hits.open_for(subject.person_id):
            return False
        await self.redis.set(cache_key, fingerprint, ex=86_400)
        return True

    async def logged(self, query_id: UUID) -> ScreeningQuery:
        """One query as it was logged: what an officer reads before deciding a hit."""
        query = await self.queries.get_one_or_none(id=query_id)
        if query is None:
            raise NotFound()
        return query

    async def replay(self, query_id: UUID) -> Replay:
        """The stored subject against the stored list versions at the stored threshold."""
        query = await self.logged(query_id)
        subject = query.subject
        born = subject.get("birth_date")
        matchable = Subject(
            subject["name"], date.fromisoformat(born) if born else None, subject.get("id_number")
        )
        keys = sorted(blocking_keys(matchable.name))
        ids = [document_key(matchable.id_number)] if matchable.id_number else []
        entries = await self.lists.entries(query.list_version_ids, keys, ids)
        return Replay(query, judge(matchable, entries, query.threshold))

    async def decide(self, hit_id: UUID, decision: HitDecision, note: str, actor: Actor) -> ScreeningHit:
        """An officer confirms (the person is frozen at once) or dismisses a hit, audited."""
        hit = await self.hits.get_one_or_none(id=hit_id)
        if hit is None:
            raise NotFound()
        if hit.status != ScreeningHitStatus.OPEN:
            raise HitDecided()
        hit.status = ScreeningHitStatus.CONFIRMED if decision == "confirm" else ScreeningHitStatus.DISMISSED
        hit.decided_by, hit.decided_at, hit.decision_note = actor.id, datetime.now(UTC), note
        if decision == "confirm":
            await self.freezes.freeze(hit.person_id, FreezeReason.CONFIRMED_HIT, actor, hit.id)
        self.uow.audit.record(
            f"screening.hit_{hit.status.value}",
            actor,
            target_type="screening_hit",
            target_id=str(hit.id),
            changes={"note": note},
        )
        await self.uow.commit()
        await self.redis.delete(_payee_key(hit.person_id))
        return hit

    async def open_hits(self, after: UUID | None, limit: int) -> list[ScreeningHit]:
        """The officers' queue, oldest first (one more than `limit` when there are more)."""
        return await self.hits.queue(ScreeningHitStatus.OPEN, after, limit + 1)

    async def _open_hits(self, flagged: list[tuple[UUID, UUID, Verdict]]) -> None:
        """For each (query, person, verdict): one open hit per person and listed party; an exact
        sanctions ID also freezes at once. Each payee's cached clearance is dropped."""
        if not flagged:
            return
        already = await self.hits.open_pairs({person_id for _, person_id, _ in flagged})
        rows, to_freeze = [], []
        for query_id, person_id, verdict in flagged:
            best = verdict.best
            if best is None or (person_id, best["reference"]) in already:
                continue
            already.add((person_id, best["reference"]))
            rows.append(_hit(query_id, person_id, best))
            if verdict.outcome == ScreeningOutcome.EXACT_ID_HIT:
                to_freeze.append(rows[-1])
        await self.hits.insert_all(rows)
        for row in rows:
            target = str(row["id"])
            self.uow.audit.record(
                "screening.hit_opened", SYSTEM, target_type="screening_hit", target_id=target
            )
        for row in to_freeze:
            await self.freezes.freeze(row["person_id"], FreezeReason.SANCTIONS_EXACT_ID, SYSTEM, row["id"])
        await self.redis.delete(*{_payee_key(person_id) for _, person_id, _ in flagged})


def _hit(query_id: UUID, person_id: UUID, best: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": new_id(),
        "query_id": query_id,
        "person_id": person_id,
        "status": ScreeningHitStatus.OPEN,
        "score": float(best["score"]),
        "exact_id": bool(best["exact_id"]),
        "list_name": str(best["list"]),
        "reference": str(best["reference"]),
    }


def lists_fingerprint(versions: list[ScreeningListVersion]) -> str:
    """Names one set of list versions in force: the payee cache and re-screening runs key on it."""
    return hashlib.sha256(",".join(sorted(str(v.id) for v in versions)).encode()).hexdigest()[:16]


def _payee_key(person_id: UUID) -> str:
    return f"screening:payee:{person_id}"
