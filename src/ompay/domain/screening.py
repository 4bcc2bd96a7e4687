"""Name matching for sanctions and PEP screening, without I/O (COMPLIANCE.md "Sanctions and PEP screening").

Names are compared after normalisation (accents, case, punctuation and token order removed,
common West African and Arabic-origin spellings brought to one form), scored with Jaro-Winkler
and token-set similarity (rapidfuzz), the higher of the two. An exact ID number or birth date
raises the score or confirms the hit. Every result carries its explanation, so a decision can be
replayed and explained years later.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import JaroWinkler
from rapidfuzz.fuzz import token_set_ratio

HIT_THRESHOLD = 0.85
"""Policy default: a score at or above it is a potential hit for an officer to confirm."""

BIRTH_DATE_BOOST = 0.05

_VARIANTS: dict[str, tuple[str, ...]] = {
    "mohamed": ("mouhamed", "mohammed", "muhammad", "muhammed", "mouhammad", "mohamad", "mahomed"),
    "abdoulaye": ("abdullah", "abdallah", "abdoulah", "abdullahi", "abdalla"),
    "ousmane": ("usman", "othman", "osman", "outhmane", "usmane"),
    "ibrahima": ("ibrahim", "ebrahim", "brahim", "ibrahimah"),
    "moussa": ("musa", "mousa", "moussah"),
    "cheikh": ("sheikh", "shaykh", "cheik", "shaikh"),
    "aissatou": ("aishatou", "aichatou", "aisha", "aicha", "aissata"),
    "fatoumata": ("fatimata", "fatima", "fatouma"),
    "diallo": ("jallow", "djalo", "jalloh", "diallow"),
    "ndiaye": ("njie", "ndiay", "njai"),
    "mamadou": ("mamadu", "mamoudou"),
    "oumar": ("omar", "umar", "omer"),
    "youssouf": ("yusuf", "youssef", "yousouf", "yussuf"),
}
_CANONICAL = {variant: canonical for canonical, variants in _VARIANTS.items() for variant in variants}
_NOT_LETTERS = re.compile(r"[^a-z0-9 ]+")


def name_tokens(name: str) -> list[str]:
    """Tokens of `name`: ASCII, lower case, apostrophes joined (N'Diaye → ndiaye), variants
    brought to one spelling, sorted (token order carries no meaning across lists)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = plain.replace("'", "").replace("-", " ")  # typographic apostrophes fell with the accents
    tokens = _NOT_LETTERS.sub(" ", plain).split()
    return sorted(_CANONICAL.get(token, token) for token in tokens)


def normalised(name: str) -> str:
    return " ".join(name_tokens(name))


def blocking_keys(name: str) -> set[str]:
    """Cheap keys a candidate must share with the subject to be scored at all: the first four
    letters of each token. Re-screening a whole customer base scores only these buckets."""
    return {token[:4] for token in name_tokens(name) if len(token) >= 2}


def name_score(subject: str, listed: str) -> float:
    """Similarity in [0, 1] of two normalised names: Jaro-Winkler or token-set, whichever is higher."""
    a, b = normalised(subject), normalised(listed)
    if not a or not b:
        return 0.0
    return max(JaroWinkler.normalized_similarity(a, b), token_set_ratio(a, b) / 100)


@dataclass(frozen=True, slots=True)
class Subject:
    name: str
    birth_date: date | None = None
    id_number: str | None = None


@dataclass(frozen=True, slots=True)
class ListedParty:
    """One entry of a list version: its names (primary and aliases), birth dates, document numbers."""

    names: tuple[str, ...]
    birth_dates: tuple[date, ...] = ()
    id_numbers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    score: float
    hit: bool
    exact_id: bool
    explanation: str


def match(subject: Subject, party: ListedParty, threshold: float = HIT_THRESHOLD) -> Match:
    """The subject against one listed party: the best name score over its names and aliases,
    boosted by a matching birth date; an identical ID number is a hit whatever the names say."""
    scored = ((name, name_score(subject.name, name)) for name in party.names)
    best_name, best = max(scored, key=lambda pair: pair[1])
    same_birth = subject.birth_date is not None and subject.birth_date in party.birth_dates
    exact_id = subject.id_number is not None and _id(subject.id_number) in {_id(n) for n in party.id_numbers}
    score = min(1.0, best + (BIRTH_DATE_BOOST if same_birth else 0.0))
    reasons = [f"name {normalised(subject.name)!r} ~ {normalised(best_name)!r} = {best:.3f}"]
    if same_birth:
        reasons.append(f"birth date {subject.birth_date} matches (+{BIRTH_DATE_BOOST})")
    if exact_id:
        reasons.append("ID number identical")
    return Match(round(score, 4), exact_id or score >= threshold, exact_id, "; ".join(reasons))


def _id(number: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", number.upper())
