"""Every message msgspec or Litestar gives for bad input has a French and an English reading."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
import pytest

from ompay.http.validation import explain
from ompay.schemas.fields import FREE_TEXT_PATTERN, PATTERN_MESSAGES, PIN_PATTERN, Name, Pin, RequestBody


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Inner(msgspec.Struct):
    count: int


class Everything(RequestBody, frozen=True):
    amount: Annotated[int, msgspec.Meta(gt=0, le=10)] = 1
    below: Annotated[int, msgspec.Meta(lt=10)] = 1
    ratio: float = 1.0
    maybe: int | None = None
    name: Name = "Awa"
    short: Annotated[str, msgspec.Meta(min_length=2, max_length=3)] = "ab"
    pin: Pin = "4821"
    colours: Annotated[list[Colour], msgspec.Meta(min_length=1, max_length=2)] | None = None
    tags: Annotated[dict[str, str], msgspec.Meta(max_length=1)] | None = None
    kind: Literal["a", "b"] = "a"
    flag: bool = False
    day: date | None = None
    at: datetime | None = None
    ref: UUID | None = None
    inner: Inner | None = None


BAD_VALUES: list[dict[str, Any]] = [
    {"amount": 0},
    {"amount": 11},
    {"below": 10},
    {"amount": "100"},
    {"amount": 1e3},
    {"amount": True},
    {"ratio": "x"},
    {"maybe": "x"},
    {"name": 5},
    {"name": "\u0000"},
    {"name": "   "},
    {"short": "a"},
    {"short": "abcd"},
    {"pin": "\uff14\uff18\uff12\uff11"},
    {"colours": []},
    {"colours": ["red", "blue", "red"]},
    {"colours": ["green"]},
    {"colours": "red"},
    {"tags": {"a": "1", "b": "2"}},
    {"tags": []},
    {"kind": "c"},
    {"kind": 1},
    {"flag": "yes"},
    {"day": "1990-13-01"},
    {"day": 5},
    {"at": "yesterday"},
    {"ref": "not-a-uuid"},
    {"inner": {}},
    {"inner": {"count": "x"}},
    {"inner": [1]},
]
ENGLISH = ("Expected", "Invalid", "Object", "got", "must", "Must", "field")


def message_for(value: Any) -> str:
    with pytest.raises(msgspec.ValidationError) as caught:
        msgspec.convert(value, Everything, strict=True)
    return str(caught.value).split(" - ", 1)[0]


@pytest.mark.parametrize("value", BAD_VALUES, ids=lambda value: repr(value))
def test_each_msgspec_message_reads_in_french_and_english(value: dict[str, Any]) -> None:
    french, english = explain(message_for(value), ["red", "blue"])
    assert french not in ("Valeur invalide.", "Le format est invalide.")
    assert not any(word in french for word in ENGLISH), french
    assert english != message_for(value), "the English reading is ours, not msgspec's"


def test_a_body_that_is_not_an_object_and_missing_parameters_are_explained() -> None:
    assert explain(message_for([1]))[0] == "Doit être de type objet."
    assert explain("Missing required query parameter 'from' for path /api/v1/wallet/statement") == (
        "Ce paramètre est obligatoire.",
        "This parameter is required.",
    )


def test_an_enum_error_lists_the_allowed_values() -> None:
    french, english = explain("Invalid enum value 'green'", ["red", "blue"])
    assert french == "Valeur non permise. Valeurs possibles : red, blue."
    assert english == "Not allowed. Allowed values: red, blue."


def test_an_unforeseen_library_message_is_not_english_in_french() -> None:
    assert explain("Expected something new") == ("Valeur invalide.", "Expected something new")


def test_a_type_decoder_refusal_is_passed_on_as_worded() -> None:
    assert explain("Le montant doit être un nombre.") == ("Le montant doit être un nombre.",) * 2


def test_every_pattern_has_its_own_message() -> None:
    assert explain(message_for({"pin": "12345"})) == PATTERN_MESSAGES[PIN_PATTERN]


def test_text_fields_arrive_trimmed_and_passwords_do_not() -> None:
    class Body(RequestBody, frozen=True):
        name: Name
        note: Annotated[str, msgspec.Meta(pattern=FREE_TEXT_PATTERN)] | None = None
        password: str = " secret "

    body = msgspec.convert({"name": "  Awa Diop ", "note": " "}, Body)
    assert (body.name, body.note, body.password) == ("Awa Diop", "", " secret ")
