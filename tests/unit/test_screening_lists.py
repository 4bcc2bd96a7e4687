"""Lists in their published formats: the UN consolidated XML, FollowTheMoney JSON lines, and CSV."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ompay.domain.screening import Subject, match
from ompay.domain.screening_lists import ListFormat, UnreadableList, read_entries

FIXTURES = Path(__file__).parent.parent / "fixtures" / "screening"


def test_the_un_list_gives_individuals_with_aliases_birth_dates_and_documents_and_entities() -> None:
    entries = read_entries(ListFormat.UN_XML, (FIXTURES / "un_consolidated.xml").read_bytes())
    person, company = entries
    assert (person.reference, person.kind, company.kind) == ("QDi.999", "individual", "entity")
    assert person.party.names == ("MOUHAMED OULD SIDI", "Abou Mohamed", "Hamed Sidi")
    assert person.party.birth_dates == (date(1975, 3, 12),)
    assert person.party.id_numbers == ("B1234567",)
    assert company.party.names == ("SAHEL TRADING COMPANY", "Sahel Commerce")
    assert match(Subject("Mohamed Ould Sidi"), person.party).hit


def test_opensanctions_entities_keep_their_topics() -> None:
    entries = read_entries(ListFormat.FTM_JSONL, (FIXTURES / "opensanctions.ftm.jsonl").read_bytes())
    assert [(entry.reference, entry.kind, entry.topics) for entry in entries] == [
        ("NK-pep-001", "individual", ("role.pep",)),
        ("NK-san-002", "individual", ("sanction",)),
        ("NK-org-003", "entity", ("sanction",)),
    ]
    assert entries[1].party.birth_dates == ()  # a year alone is no birth date to match on
    assert entries[1].party.id_numbers == ("A00998877",)


def test_a_national_or_internal_csv_list() -> None:
    entries = read_entries(ListFormat.CSV, (FIXTURES / "watchlist.csv").read_bytes())
    assert entries[0].party.names == ("Awa Ndour", "Awa N'Dour", "Aoua Ndour")
    assert (entries[1].kind, entries[1].party.birth_dates) == ("entity", ())


@pytest.mark.parametrize(
    ("list_format", "content"),
    [
        (
            ListFormat.UN_XML,
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>",
        ),
        (
            ListFormat.UN_XML,
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<CONSOLIDATED_LIST>&e;</CONSOLIDATED_LIST>",
        ),
        (ListFormat.UN_XML, b"<OTHER_LIST/>"),
        (ListFormat.FTM_JSONL, b'{"id": 1, "properties": {"name": ["x"], "birthDate": ["1990-13-45"]}}'),
        (ListFormat.CSV, b"name,dob\nx,y\n"),
    ],
)
def test_hostile_or_foreign_files_are_refused_whole(list_format: ListFormat, content: bytes) -> None:
    with pytest.raises(UnreadableList):
        read_entries(list_format, content)
