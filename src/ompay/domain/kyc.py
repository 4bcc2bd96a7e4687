"""KYC identity-document rules without I/O: accepted files, and the automatic checks on a submission.

Each check returns an outcome and the facts it looked at, so an officer sees why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from ompay.domain.identity import InvalidNationalId, age_on, national_id_kind
from ompay.models.enums import KycCheckOutcome, KycDocumentType

MAX_FILE_BYTES = 5 * 1024 * 1024
NAME_MATCH_PASS = 85.0
NAME_MATCH_REVIEW = 70.0

_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
_PASSPORT = re.compile(r"^[A-Z0-9]{7,9}$")
_PUNCTUATION = re.compile(r"[^a-z0-9 ]+")


def sniff_content_type(head: bytes) -> str | None:
    """JPEG, PNG or PDF by their first bytes (whatever the file's name or declared type says)."""
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    return None


@dataclass(frozen=True, slots=True)
class CheckResult:
    check: str
    outcome: KycCheckOutcome
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """What the customer declared from their document, and what they registered with."""

    document_type: KycDocumentType
    document_number: str
    first_name: str
    last_name: str
    birth_date: date
    expires_on: date
    registered_first_name: str
    registered_last_name: str


def check_id_number(facts: DocumentFacts) -> CheckResult:
    """A CEDEAO card carries the 13-digit NIN; a passport number is 7 to 9 letters or digits."""
    if facts.document_type == KycDocumentType.PASSPORT:
        valid = bool(_PASSPORT.match(facts.document_number))
    else:
        try:
            national_id_kind(facts.document_number, allow_legacy=False)
            valid = True
        except InvalidNationalId:
            valid = False
    outcome = KycCheckOutcome.PASSED if valid else KycCheckOutcome.FAILED
    return CheckResult("id_number_format", outcome, {"document_type": facts.document_type.value})


def check_expiry(facts: DocumentFacts, today: date) -> CheckResult:
    outcome = KycCheckOutcome.PASSED if facts.expires_on > today else KycCheckOutcome.FAILED
    return CheckResult("expiry", outcome, {"expires_on": facts.expires_on.isoformat()})


def check_age(facts: DocumentFacts, today: date) -> CheckResult:
    age = age_on(facts.birth_date, today)
    return CheckResult("age", KycCheckOutcome.PASSED if age >= 18 else KycCheckOutcome.FAILED, {"age": age})


def normalised_name(name: str) -> str:
    """Accents, case, punctuation and token order removed: `N'Diaye Aïssatou` == `aissatou ndiaye`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(sorted(_PUNCTUATION.sub("", plain.replace("-", " ")).split()))


def check_name_match(facts: DocumentFacts) -> CheckResult:
    """The document's name against the registration's, fuzzily (spelling variants go to review)."""
    on_document = normalised_name(f"{facts.first_name} {facts.last_name}")
    registered = normalised_name(f"{facts.registered_first_name} {facts.registered_last_name}")
    score = round(fuzz.token_set_ratio(on_document, registered), 1)
    if score >= NAME_MATCH_PASS:
        outcome = KycCheckOutcome.PASSED
    elif score >= NAME_MATCH_REVIEW:
        outcome = KycCheckOutcome.REVIEW
    else:
        outcome = KycCheckOutcome.FAILED
    return CheckResult("name_match", outcome, {"score": score})


def check_duplicate(other_holders: int) -> CheckResult:
    """The same document number already belongs to another person: an officer decides."""
    outcome = KycCheckOutcome.REVIEW if other_holders else KycCheckOutcome.PASSED
    return CheckResult("duplicate_id", outcome, {"other_persons": other_holders})


def overall(results: list[CheckResult]) -> KycCheckOutcome:
    """The worst outcome; `not_screened` alone does not hold a submission back."""
    ranked = [
        KycCheckOutcome.PASSED,
        KycCheckOutcome.NOT_SCREENED,
        KycCheckOutcome.REVIEW,
        KycCheckOutcome.FAILED,
    ]
    return max((result.outcome for result in results), key=ranked.index, default=KycCheckOutcome.PASSED)
