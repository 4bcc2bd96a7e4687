"""Name matching for screening: spelling variants, order and accents do not hide a listed name."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ompay.domain.screening import (
    HIT_THRESHOLD,
    ListedParty,
    Subject,
    blocking_keys,
    match,
    name_score,
    normalised,
)


@pytest.mark.parametrize(
    ("subject", "listed"),
    [
        ("Mouhamed Ndiaye", "Muhammad N'Diaye"),
        ("NDIAYE Mohamed", "mohammed n'diaye"),
        ("Aïssatou Diallo", "Aichatou Jallow"),
        ("Cheikh Ibrahima Fall", "Sheikh Ibrahim FALL"),
        ("Abdoulaye Wade", "Abdullah Wade"),
        ("Awa N\u2019Diaye", "awa ndiaye"),
    ],
)
def test_west_african_and_arabic_spellings_of_one_name_are_a_hit(subject: str, listed: str) -> None:
    assert name_score(subject, listed) >= HIT_THRESHOLD
    assert blocking_keys(subject) & blocking_keys(listed)


@pytest.mark.parametrize(
    ("subject", "listed"),
    [("Awa Sarr", "Moussa Diop"), ("Fatou Ba", "Ibrahima Ndour"), ("Mamadou Sy", "Oumar Kane")],
)
def test_different_people_are_not_a_hit(subject: str, listed: str) -> None:
    assert name_score(subject, listed) < HIT_THRESHOLD


def test_a_birth_date_boosts_and_an_identical_id_confirms() -> None:
    party = ListedParty(("Ousmane Kamara",), (date(1970, 1, 1),), ("SN-1234567",))
    near = Subject("Usman Kamarah")
    with_birth = Subject("Usman Kamarah", birth_date=date(1970, 1, 1))
    other_name_same_id = Subject("Jean Dupont", id_number="sn1234567")
    assert match(with_birth, party).score > match(near, party).score
    confirmed = match(other_name_same_id, party)
    assert (confirmed.hit, confirmed.exact_id) == (True, True)
    assert "ID number identical" in confirmed.explanation


def test_aliases_are_matched_too() -> None:
    party = ListedParty(("Ahmed Ould Sidi", "Abou Mohamed"))
    result = match(Subject("Abou Mouhamed"), party)
    assert result.hit
    assert "abou mohamed" in result.explanation


names = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàïô' -", min_size=2, max_size=10), min_size=1, max_size=4
)


@given(tokens=names)
def test_order_accents_and_case_never_change_a_name(tokens: list[str]) -> None:
    name = " ".join(tokens)
    shuffled = " ".join(reversed(tokens)).upper()
    assert normalised(name) == normalised(shuffled)
    assert normalised(normalised(name)) == normalised(name)


@given(a=names, b=names)
def test_the_score_is_symmetric_and_bounded(a: list[str], b: list[str]) -> None:
    first, second = " ".join(a), " ".join(b)
    assert 0.0 <= name_score(first, second) <= 1.0
    assert name_score(first, second) == pytest.approx(name_score(second, first))
