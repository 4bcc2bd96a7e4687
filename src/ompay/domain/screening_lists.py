"""Reading sanctions, PEP and watch lists in the formats they are published in, without I/O.

Three formats: the UN Security Council consolidated list (XML, parsed by `defusedxml`, so no
entity expansion or external reference is ever followed), OpenSanctions' FollowTheMoney
entities (JSON lines), and a CSV for national lists and OMPAY's own watch list. Each yields
`ListEntry` records: who is listed, under which names, birth dates and document numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from ompay.domain.screening import ListedParty


class ListFormat(StrEnum):
    UN_XML = "un-xml"
    FTM_JSONL = "ftm-jsonl"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class ListEntry:
    reference: str
    kind: str  # "individual" or "entity"
    party: ListedParty
    topics: tuple[str, ...] = ()


class UnreadableList(ValueError):
    """The file is not a list in the announced format; nothing of it is imported."""


def read_entries(list_format: ListFormat, content: bytes) -> list[ListEntry]:
    readers = {ListFormat.UN_XML: _un_xml, ListFormat.FTM_JSONL: _ftm_jsonl, ListFormat.CSV: _csv}
    try:
        return list(readers[list_format](content))
    except UnreadableList:
        raise
    except Exception as exc:  # a parser's own error, whatever its type, is an unreadable file
        raise UnreadableList(f"not a {list_format.value} list: {exc}") from exc


def _un_xml(content: bytes) -> Iterator[ListEntry]:
    root = ElementTree.fromstring(content, forbid_dtd=True)
    if root.tag != "CONSOLIDATED_LIST":
        raise UnreadableList("root element is not CONSOLIDATED_LIST")
    for person in root.iter("INDIVIDUAL"):
        yield ListEntry(
            _text(person, "REFERENCE_NUMBER") or _text(person, "DATAID"),
            "individual",
            ListedParty(
                _names(person, "INDIVIDUAL_ALIAS"),
                tuple(_un_birth_dates(person)),
                tuple(_un_documents(person)),
            ),
            ("sanction",),
        )
    for entity in root.iter("ENTITY"):
        yield ListEntry(
            _text(entity, "REFERENCE_NUMBER") or _text(entity, "DATAID"),
            "entity",
            ListedParty(_names(entity, "ENTITY_ALIAS")),
            ("sanction",),
        )


def _names(element: Element, alias_tag: str) -> tuple[str, ...]:
    parts = (_text(element, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"))
    primary = " ".join(part for part in parts if part)
    aliases = [_text(alias, "ALIAS_NAME") for alias in element.iter(alias_tag)]
    return tuple(name for name in (primary, *aliases) if name)


def _un_documents(person: Element) -> Iterator[str]:
    for document in person.iter("INDIVIDUAL_DOCUMENT"):
        if number := _text(document, "NUMBER"):
            yield number


def _un_birth_dates(person: Element) -> Iterator[date]:
    """Exact dates only: a year alone (`<YEAR>`) narrows nothing down enough to match on."""
    for birth in person.iter("INDIVIDUAL_DATE_OF_BIRTH"):
        exact = _text(birth, "DATE")
        if exact:
            yield date.fromisoformat(exact[:10])


def _text(element: Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _ftm_jsonl(content: bytes) -> Iterator[ListEntry]:
    for line in content.decode("utf-8").splitlines():
        if not line.strip():
            continue
        entity = json.loads(line)
        properties = entity.get("properties", {})
        names = tuple(properties.get("name", [])) + tuple(properties.get("alias", []))
        if not names:
            continue
        yield ListEntry(
            str(entity["id"]),
            "individual" if entity.get("schema") == "Person" else "entity",
            ListedParty(
                names,
                tuple(_full_dates(properties.get("birthDate", []))),
                tuple(properties.get("idNumber", [])) + tuple(properties.get("passportNumber", [])),
            ),
            tuple(properties.get("topics", [])),
        )


def _full_dates(values: list[str]) -> Iterator[date]:
    """Whole dates only: FollowTheMoney also carries `1980` or `1980-05` when that is all that is known."""
    for value in values:
        if len(value) == 10:
            yield date.fromisoformat(value)


CSV_COLUMNS = ("reference", "name", "aliases", "birth_date", "id_number", "kind")


def _csv(content: bytes) -> Iterator[ListEntry]:
    """`reference,name,aliases,birth_date,id_number,kind`; aliases separated by `|`."""
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    if rows.fieldnames is None or tuple(rows.fieldnames) != CSV_COLUMNS:
        raise UnreadableList(f"CSV header must be {','.join(CSV_COLUMNS)}")
    for row in rows:
        aliases = tuple(alias.strip() for alias in row["aliases"].split("|") if alias.strip())
        yield ListEntry(
            row["reference"],
            row["kind"] or "individual",
            ListedParty(
                (row["name"], *aliases),
                (date.fromisoformat(row["birth_date"]),) if row["birth_date"] else (),
                (row["id_number"],) if row["id_number"] else (),
            ),
        )
