"""Name matching for sanctions and PEP screening, without I/O (COMPLIANCE.md "Sanctions and PEP screening").

Names are compared token by token after normalisation (accents, case, punctuation, token order
and particles removed, French and English spellings folded, common West African and Arabic-origin
variants brought to one form). A hit needs every token of the shorter name (two at least) to find
its own token in the other: a shared first name alone is no hit, an extra middle name is. Tokens
may differ by the slips spellings really make (a vowel, a swap, one letter in a long name), never
by a consonant in a short name: Sall/Fall or Konaté/Konaré are different families. An exact ID
number or birth date raises the score or confirms the hit. Every result carries its explanation,
so a decision can be replayed and explained years later.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler

HIT_THRESHOLD = 0.85
"""Policy default: a score at or above it is a potential hit for an officer to confirm."""

BIRTH_DATE_BOOST = 0.05
INITIAL = 0.9
"""An initial stands for any name with that first letter: a weaker match, never enough alone."""

_VARIANTS: dict[str, tuple[str, ...]] = {
    "mohamed": ("mouhamed", "mohammed", "muhammad", "muhammed", "mouhammad", "mohamad", "mahomed"),
    "abdoulaye": ("abdullah", "abdallah", "abdoulah", "abdullahi", "abdalla", "abdulai", "abdillahi"),
    "ousmane": ("usman", "othman", "osman", "outhmane"),
    "ibrahima": ("ibrahim", "ebrahim", "brahim", "ebrima"),
    "moussa": ("musa",),
    "cheikh": ("sheikh", "shaykh", "cheik", "shaikh"),
    "aissatou": ("aishatou", "aichatou", "aisha", "aicha", "aissata", "isatou"),
    "fatoumata": ("fatimata", "fatima", "fatouma"),
    "mamadou": ("mamoudou", "momodou"),
    "oumar": ("omar", "omer"),
    "youssouf": ("yusuf", "youssef", "yusupha", "youssoupha"),
    "souleymane": ("suleiman", "sulayman", "souleiman", "suleyman", "soulaymane", "sulaiman"),
    "seynabou": ("zeynab", "zeinab", "zainab", "zaynab", "sainabou", "zeinabou", "zeynabou"),
    "khadija": ("khadidja", "khadidiatou", "kadidia", "kadiatou", "kadidiatou", "khadijah"),
    "boubacar": ("aboubacar", "aboubakar", "abubakar", "abubakr", "aboubakr"),
    "ousseynou": ("hussein", "houssein", "husain", "hussain", "housseynou"),
    "assane": ("hassan", "hassane", "hasan"),
    "hadji": ("hadj", "elhadji", "elhadj", "alhaji", "alhadji", "alhaj", "elhaj", "haji", "hajji"),
    "lamine": ("lamin", "amine", "amin", "alamine", "elamine"),
    "tidiane": ("tijani", "tidjani", "tijane"),
    "mariama": ("mariam", "maryam", "mariame", "maryama"),
    "ismaila": ("ismail", "ismael"),
    "idrissa": ("idris", "idriss"),
    "yahya": ("yaya", "yahaya", "yahia"),
    "ahmed": ("ahmad", "ahmet"),
    "amadou": ("ahmadou",),
    "aliou": ("alieu", "aliyu"),
    "kader": ("kadir", "qadir", "qader"),
    "rahmane": ("rahman", "rahmaan"),
    "abou": ("abu",),
    "pape": ("papa",),
    "serigne": ("sering",),
    "fode": ("foday",),
    # Gambian and Senegalese spellings of one Wolof, Pulaar or Mandinka family name
    "diallo": ("jallow", "djalo", "jalloh", "diallow"),
    "ndiaye": ("njie", "ndiay", "njai", "njay"),
    "diop": ("jobe",),
    "diouf": ("joof",),
    "cisse": ("ceesay", "sisay"),
    "toure": ("touray",),
    "dieng": ("jeng",),
    "diagne": ("jagne",),
    "diatta": ("jatta",),
    "seck": ("secka",),
    "mbaye": ("mbye",),
    "sow": ("sowe",),
    "darbo": ("darboe",),
}
_FOLDS = (
    (r"ph", "f"), (r"sh", "ch"), (r"(?<=[kdtg])h", ""), (r"ck|q", "k"), (r"c(?=[aouk])", "k"),
    (r"c(?=[eiy])", "s"), (r"dj", "j"), (r"y", "i"), (r"w", "u"), (r"ou", "u"), (r"^h", ""),
    (r"(?<=[aeiou])h$", ""), (r"([^i])\1", r"\1"),
)  # fmt: skip
_ABD = re.compile(r"abd(?:el|al|ul|e|a|u)?(?=[a-z]{3,}$|$)")  # on folded tokens: abdou -> abdu
_NOT_LETTERS = re.compile(r"[^a-z0-9 ]+")
_VOWELS = re.compile(r"[aeiou]")


@lru_cache(maxsize=65536)
def _fold(token: str) -> str:
    """One spelling for what French and English transcriptions write differently (ou/u, c/k,
    kh/k, dj/j, a silent h, doubled letters), repeated until nothing changes."""
    previous = ""
    while previous != token:
        previous = token
        for pattern, replacement in _FOLDS:
            token = re.sub(pattern, replacement, token)
    return token


_PARTICLES = frozenset(_fold(p) for p in ("al", "el", "ould", "ben", "bin", "ibn", "ag", "de", "dos"))
_CANONICAL = {_fold(v): canonical for canonical, vs in _VARIANTS.items() for v in (canonical, *vs)}


def _words(token: str) -> list[str]:
    """A token as the words it stands for: a known variant's canonical spelling, else its folded
    form; particles (ould, bin, al) dropped; Abd- names split (Abdourahmane = Abdul Rahman)."""
    folded = _fold(token)
    if not folded or folded in _PARTICLES:
        return []
    if folded in _CANONICAL:
        return [_CANONICAL[folded]]
    if abd := _ABD.match(folded):
        return ["abd", *_words(folded[abd.end() :])] if abd.end() < len(folded) else ["abd"]
    return [folded]


def _plain_tokens(name: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = plain.replace("'", "").replace("-", " ")  # typographic apostrophes fell with the accents
    return _NOT_LETTERS.sub(" ", plain).split()


def name_tokens(name: str) -> list[str]:
    """Tokens of `name`: ASCII, lower case, apostrophes joined (N'Diaye -> ndiaye), spellings
    folded and variants brought to one form, sorted (token order carries no meaning across lists)."""
    return list(_name_tokens(name))


@lru_cache(maxsize=262144)
def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(sorted(word for token in _plain_tokens(name) for word in _words(token)))


def normalised(name: str) -> str:
    return " ".join(name_tokens(name))


@lru_cache(maxsize=65536)
def token_keys(token: str) -> frozenset[str]:
    """A token's blocking keys: its first four letters, and its first three consonants in
    alphabetical order, so that a slip (a vowel, two letters swapped) still shares one."""
    if len(token) < 2:
        return frozenset()
    consonants = "".join(sorted(_VOWELS.sub("", _fold(token))[:3]))
    return frozenset({token[:4], f"c:{consonants}"} if consonants else {token[:4]})


def blocking_keys(name: str) -> set[str]:
    """What the index stores for a listed name, and looks a subject up by: its tokens' keys."""
    return set(_keys_of(name))


@lru_cache(maxsize=262144)
def _keys_of(name: str) -> frozenset[str]:
    return frozenset().union(*(token_keys(token) for token in _name_tokens(name)))


def may_match(subject: str, listed: str) -> bool:
    """Whether the names can score a hit at all: a hit pairs two tokens of each (one when both
    are a single word), so that many of the subject's tokens must find a token of the listed
    name sharing a key (an initial, its first letter). Only such candidates are scored."""
    mine, theirs = _name_tokens(subject), _name_tokens(listed)
    keys = _keys_of(listed)
    found = sum(
        1
        for token in mine
        if (token_keys(token) & keys if len(token) > 1 else any(other[0] == token for other in theirs))
    )
    return found >= (1 if len(mine) == len(theirs) == 1 else 2)


@lru_cache(maxsize=262144)
def _similarity(a: str, b: str) -> float:
    """Two normalised tokens: 1 if identical, 0.9 for an initial, their Jaro-Winkler similarity
    when they differ only by slips, else 0. A slip is a swap of two letters, a vowel in a name of
    six letters or more, or any letter in one of eight or more; a name extended by a letter is
    another name (Rachid/Rachida, Daniel/Danielle)."""
    if a == b:
        return 1.0
    if min(len(a), len(b)) == 1:
        return INITIAL if a[0] == b[0] else 0.0
    x, y = _fold(a), _fold(b)  # canonical spellings are not folded
    edits, length = OSA.distance(x, y), max(len(x), len(y))
    if edits > 2 or x.startswith(y) or y.startswith(x):
        return 0.0
    swap = edits == 1 and length >= 4 and sorted(x) == sorted(y)
    vowel = length >= 6 and edits <= 1 + (length >= 9) and _VOWELS.sub("", x) == _VOWELS.sub("", y)
    letter = length >= 8 and edits == 1
    return JaroWinkler.normalized_similarity(x, y) if swap or vowel or letter else 0.0


def name_score(subject: str, listed: str) -> float:
    """Similarity in [0, 1]: the best one-to-one pairing of tokens, its similarities summed over
    the shorter name's length but two tokens at least (one shared name is no hit), less 2 % for
    each token only the longer name has and 2 % unless the spellings are identical."""
    a, b = sorted((_name_tokens(subject), _name_tokens(listed)), key=lambda tokens: (len(tokens), tokens))
    pairs = sorted(
        ((_similarity(x, y), i, j) for i, x in enumerate(a) for j, y in enumerate(b)), reverse=True
    )
    used_a, used_b, total, named = set(), set(), 0.0, False
    for similarity, i, j in pairs:
        if similarity and i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            total += similarity
            named = named or min(len(a[i]), len(b[j])) > 1  # initials alone name nobody
    if not named:
        return 0.0
    score = total / max(len(a), min(len(b), 2)) * max(0.0, 1 - 0.02 * (len(b) - len(a)))
    return score if _spelling(subject) == _spelling(listed) else 0.98 * score


@lru_cache(maxsize=262144)
def _spelling(name: str) -> tuple[str, ...]:
    """The name's words as written (accents and case aside), in order of the alphabet."""
    return tuple(sorted(_plain_tokens(name)))


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
    exact_id = subject.id_number is not None and document_key(subject.id_number) in {
        document_key(number) for number in party.id_numbers
    }
    score = min(1.0, best + (BIRTH_DATE_BOOST if same_birth else 0.0))
    reasons = [f"name {normalised(subject.name)!r} ~ {normalised(best_name)!r} = {best:.3f}"]
    if same_birth:
        reasons.append(f"birth date {subject.birth_date} matches (+{BIRTH_DATE_BOOST})")
    if exact_id:
        reasons.append("ID number identical")
    return Match(round(score, 4), exact_id or score >= threshold, exact_id, "; ".join(reasons))


def document_key(number: str) -> str:
    """An ID number as lists and customers may both write it: upper case, letters and digits only."""
    return re.sub(r"[^A-Z0-9]", "", number.upper())
