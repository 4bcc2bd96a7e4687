"""The name matcher's quality, measured on a labelled set of name pairs (fixtures/screening/name_pairs.csv).

Examples show a rule works; only a labelled set measures what compliance lives with: listed people
missed (recall) and customers raised for nothing (false-positive rate). Each label is what an
analyst expects of the tool: 1 when the pair should be raised for review (one name in another
spelling, order, transliteration or with a typo), 0 when it names a different person (a shared
first name or surname is not enough). The set is large on both sides so the rates mean something.
"""

# Initials: an initial stands for any name starting with that letter, and is enough when the rest
# of the name matches: "M. Diop" is raised against "Mamadou Diop" and "Moussa Diop" alike (1). An
# initial that contradicts the name ("A. Diop" / "Mamadou Diop") or initials with no full name
# matching ("M. S." / "Mamadou Sow") name a different person (0).

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from ompay.domain.screening import ListedParty, Subject, blocking_keys, match

PAIRS = Path(__file__).parent.parent / "fixtures" / "screening" / "name_pairs.csv"


def _pairs() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_the_set_is_large_enough_to_measure_anything() -> None:
    labels = Counter(row["same_person"] for row in _pairs())
    assert set(labels) == {"0", "1"}
    assert labels.total() >= 200
    assert min(labels.values()) >= 100


def test_every_potential_hit_shares_a_blocking_key_so_the_database_finds_it() -> None:
    unreachable = [
        (row["subject"], row["listed"])
        for row in _pairs()
        if row["same_person"] == "1" and not blocking_keys(row["subject"]) & blocking_keys(row["listed"])
    ]
    assert not unreachable


def test_recall_and_false_positive_rate_at_the_default_threshold() -> None:
    rows = _pairs()
    wrong, missed, raised = [], 0, 0
    for row in rows:
        result = match(Subject(name=row["subject"]), ListedParty(names=(row["listed"],)))
        if result.hit != (row["same_person"] == "1"):
            missed += not result.hit
            raised += result.hit
            wrong.append(f"{row['subject']!r} / {row['listed']!r} ({row['kind']}): {result.score}")
    positives = sum(row["same_person"] == "1" for row in rows)
    recall, false_positive_rate = 1 - missed / positives, raised / (len(rows) - positives)
    report = f"recall {recall:.3f}, false-positive rate {false_positive_rate:.3f}; misclassified:\n"
    report += "\n".join(wrong)
    assert recall >= 0.95, report
    assert false_positive_rate <= 0.02, report
