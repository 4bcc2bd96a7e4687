"""The outcome of one screening query, without I/O: the subject against the candidate entries
its blocking keys and ID numbers found, scored, kept for the log, and judged.

The same function judges a live query and its replay, so a replay that reproduces the stored
candidates and outcome shows the decision did not depend on anything unrecorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from ompay.domain.screening import ListedParty, Subject, blocking_keys, document_key, match
from ompay.models import ScreeningOutcome

RECORDED_FLOOR = 0.7
"""Candidates scoring below it are not worth an officer's attention; the log keeps the rest."""
RECORDED_MAX = 20


def is_sanction(topics: Iterable[str]) -> bool:
    """OpenSanctions' vocabulary: `sanction` and its sub-topics; PEP and watch-list entries are not."""
    return any(topic == "sanction" or topic.startswith("sanction.") for topic in topics)


@dataclass(frozen=True, slots=True)
class ListedEntry:
    entry_id: UUID
    list_name: str
    list_version: int
    reference: str
    topics: tuple[str, ...]
    party: ListedParty


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: ScreeningOutcome
    candidates: list[dict[str, Any]]
    """Best first: the entry, its list version, score, whether it is a hit, and why."""

    @property
    def best(self) -> dict[str, Any] | None:
        return self.candidates[0] if self.candidates else None


def judge(subject: Subject, entries: Iterable[ListedEntry], threshold: float) -> Verdict:
    """An exact ID on a sanctions list is an `exact_id_hit` (freeze at once); any other hit is a
    `potential_hit` for an officer; otherwise `clear`."""
    scored = []
    for entry in entries:
        result = match(subject, entry.party, threshold)
        if result.hit or result.score >= RECORDED_FLOOR:
            scored.append((entry, result))
    scored.sort(key=lambda pair: (-int(pair[1].exact_id), -pair[1].score, str(pair[0].entry_id)))
    candidates = [
        {
            "entry_id": str(entry.entry_id),
            "list": entry.list_name,
            "version": entry.list_version,
            "reference": entry.reference,
            "sanction": is_sanction(entry.topics),
            "score": result.score,
            "hit": result.hit,
            "exact_id": result.exact_id,
            "explanation": result.explanation,
        }
        for entry, result in scored[:RECORDED_MAX]
    ]
    if any(c["exact_id"] and c["sanction"] for c in candidates):
        outcome = ScreeningOutcome.EXACT_ID_HIT
    elif any(c["hit"] for c in candidates):
        outcome = ScreeningOutcome.POTENTIAL_HIT
    else:
        outcome = ScreeningOutcome.CLEAR
    return Verdict(outcome, candidates)


class CandidateIndex:
    """Every entry of the versions in force, by blocking key and ID number, for re-screening a
    whole customer base in memory; it finds the same candidates as the database's GIN indexes."""

    def __init__(self, entries: Iterable[ListedEntry]) -> None:
        self._by_key: dict[str, list[ListedEntry]] = defaultdict(list)
        for entry in entries:
            keys = set().union(*(blocking_keys(name) for name in entry.party.names))
            keys |= {f"id:{number}" for number in entry.party.id_numbers}
            for key in keys:
                self._by_key[key].append(entry)

    def candidates(self, subject: Subject) -> list[ListedEntry]:
        keys = blocking_keys(subject.name)
        if subject.id_number:
            keys.add(f"id:{document_key(subject.id_number)}")
        found = {entry.entry_id: entry for key in keys for entry in self._by_key.get(key, ())}
        return list(found.values())
