"""The outcome of one screening query, without I/O: the subject against the candidate entries
its blocking keys and ID numbers found, scored, kept for the log, and judged.

The same function judges a live query and its replay, so a replay that reproduces the stored
candidates and outcome shows the decision did not depend on anything unrecorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any
from uuid import UUID

from ompay.domain.screening import (
    ListedParty,
    Subject,
    blocking_keys,
    document_key,
    match,
    may_match,
    name_tokens,
    token_keys,
)
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
    `potential_hit` for an officer; otherwise `clear`. Only entries sharing the ID number, or a
    name that `may_match`, are scored and logged."""
    scored = []
    document = document_key(subject.id_number) if subject.id_number else None
    for entry in entries:
        if document not in entry.party.id_numbers and not any(
            may_match(subject.name, name) for name in entry.party.names
        ):
            continue
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
    """Every entry of the versions in force, for re-screening a whole customer base in memory.

    It narrows by the rule `judge` applies (`may_match`): entries where two of the subject's
    tokens find a key (one, when the subject is a single word), plus those sharing the ID
    number; set intersections do it, so a subject costs microseconds, not a scan of buckets.
    """

    def __init__(self, entries: Iterable[ListedEntry]) -> None:
        self._entries = list(entries)
        self._by_key: dict[str, set[int]] = defaultdict(set)
        for index, entry in enumerate(self._entries):
            for name in entry.party.names:
                for key in blocking_keys(name) | {f"i:{token[0]}" for token in name_tokens(name)}:
                    self._by_key[key].add(index)
            for number in entry.party.id_numbers:
                self._by_key[f"id:{number}"].add(index)
        self._of_token: dict[str, frozenset[int]] = {}

    def candidates(self, subject: Subject) -> list[ListedEntry]:
        per_token = [self._finding(token) for token in name_tokens(subject.name)]
        found: set[int] = set(per_token[0]) if len(per_token) == 1 else set()
        for one, other in combinations(per_token, 2):
            found |= one & other
        if subject.id_number:
            found |= self._by_key.get(f"id:{document_key(subject.id_number)}", set())
        return [self._entries[index] for index in sorted(found)]

    def _finding(self, token: str) -> frozenset[int]:
        """The entries with a token sharing a key with `token` (an initial: its first letter)."""
        if token not in self._of_token:
            keys = token_keys(token) if len(token) > 1 else {f"i:{token}"}
            self._of_token[token] = frozenset().union(*(self._by_key.get(key, ()) for key in keys))
        return self._of_token[token]
