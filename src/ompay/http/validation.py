"""Turn msgspec/Litestar validation failures into field errors a person can read (fr/en).

A field is named as the client spelled it: a body path, or a query parameter's public name
(`from`, not the Python name `since`). Every message form msgspec and Litestar produce for bad
input is translated; an unforeseen one reads "Valeur invalide." in French rather than English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import SerializationException, ValidationException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import ParameterKwarg

from ompay.domain.errors import FieldError
from ompay.schemas.fields import PATTERN_MESSAGES

Messages = tuple[str, str]

_TYPES: dict[str, Messages] = {
    "int": ("nombre entier", "an integer"),
    "float": ("nombre", "a number"),
    "str": ("texte", "a string"),
    "bool": ("booléen (true ou false)", "a boolean (true or false)"),
    "object": ("objet", "an object"),
    "array": ("liste", "a list"),
    "date": ("date (AAAA-MM-JJ)", "a date (YYYY-MM-DD)"),
    "datetime": ("date et heure RFC 3339 (ex. 2026-01-31T08:00:00Z)", "an RFC 3339 date-time"),
    "uuid": ("UUID", "a UUID"),
}
_COMPARISONS: dict[str, Messages] = {
    ">=": ("supérieur ou égal à", "greater than or equal to"),
    ">": ("supérieur à", "greater than"),
    "<=": ("inférieur ou égal à", "less than or equal to"),
    "<": ("inférieur à", "less than"),
}
_BY_QUOTED_PATTERN = {repr(pattern): messages for pattern, messages in PATTERN_MESSAGES.items()}
_INVALID: Messages = ("Valeur invalide.", "Invalid value.")
_LIBRARY_ENGLISH = re.compile(r"(Expected|Invalid|Object|Integer|Unknown|Duplicate|Missing)\b")
_MISSING_FIELD = re.compile(r"Object missing required field `(?P<field>[^`]+)`")
_MISSING_PARAMETER = re.compile(r"Missing required \w+ parameter '(?P<name>[^']+)'")
_ERROR_PATH = re.compile(r"`\$\.(?P<path>.+)`$")
_KEY_SEGMENT = re.compile(r"[^.\[\]]+|\[\d+\]")


def _wrong_type(match: re.Match[str]) -> Messages:
    expected = [name for name in match["type"].split(" | ") if name != "null"]
    if len(expected) != 1 or expected[0] not in _TYPES:
        return ("Type de valeur invalide.", "Wrong type of value.")
    return _must_be(expected[0])


def _must_be(type_name: str) -> Messages:
    french, english = _TYPES[type_name]
    return f"Doit être de type {french}.", f"Must be {english}."


def _bound(match: re.Match[str]) -> Messages:
    french, english = _COMPARISONS[match["op"]]
    return f"Doit être {french} {match['n']}.", f"Must be {english} {match['n']}."


def _length(match: re.Match[str]) -> Messages:
    n = match["n"]
    unit_fr, unit_en = ("caractères", "characters") if match["type"] == "str" else ("éléments", "items")
    if match["op"] == ">=":
        return f"Doit contenir au moins {n} {unit_fr}.", f"Must have at least {n} {unit_en}."
    return f"Doit contenir au plus {n} {unit_fr}.", f"Must have at most {n} {unit_en}."


_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Messages]], ...] = (
    (_MISSING_FIELD, lambda _: ("Ce champ est obligatoire.", "This field is required.")),
    (_MISSING_PARAMETER, lambda _: ("Ce paramètre est obligatoire.", "This parameter is required.")),
    (re.compile(r"^'data'$"), lambda _: ("Un corps JSON est obligatoire.", "A JSON body is required.")),
    (re.compile(r"Expected `(?P<type>[^`]+)`, got `\w+`"), _wrong_type),
    (re.compile(r"Expected `(?P<type>\w+)` of length (?P<op>[<>]=) (?P<n>\d+)"), _length),
    (re.compile(r"Expected `\w+` (?P<op>[<>]=?) (?P<n>-?[\d.e+]+)"), _bound),
    (
        re.compile(r"Expected `str` matching regex (?P<pattern>.+)$"),
        lambda m: _BY_QUOTED_PATTERN.get(m["pattern"], ("Le format est invalide.", "Invalid format.")),
    ),
    (re.compile(r"Invalid RFC3339 encoded datetime"), lambda _: _must_be("datetime")),
    (re.compile(r"Invalid RFC3339 encoded date"), lambda _: _must_be("date")),
    (re.compile(r"Invalid UUID"), lambda _: _must_be("uuid")),
)


def explain(message: str, allowed: Sequence[str] | None = None) -> Messages:
    """(French, English) for one msgspec/Litestar message."""
    if message.startswith("Invalid enum value"):
        if not allowed:
            return ("La valeur choisie est invalide.", "The selected value is invalid.")
        values = ", ".join(allowed)
        return f"Valeur non permise. Valeurs possibles : {values}.", f"Not allowed. Allowed values: {values}."
    for pattern, render in _RULES:
        if match := pattern.search(message):
            return render(match)
    if not message or _LIBRARY_ENGLISH.match(message):
        return _INVALID[0], message or _INVALID[1]
    return message, message  # ours: a type decoder's refusal, already worded for the client


def field_errors(exc: ValidationException, handler: BaseRouteHandler | None) -> tuple[FieldError, ...]:
    """Field errors from a Litestar `ValidationException`; the field is always named."""
    items = exc.extra if isinstance(exc.extra, list) else [{"message": exc.detail}]
    return tuple(_field_error(item, handler) for item in items)


def _field_error(item: Mapping[str, Any], handler: BaseRouteHandler | None) -> FieldError:
    message = str(item.get("message") or "")
    key = str(item.get("key") or "").replace("[...]", "")
    in_body = item.get("source") == "body"
    if missing := _MISSING_FIELD.search(message):
        key = ".".join(part for part in (key.removeprefix("data"), missing["field"]) if part)
    elif missing := _MISSING_PARAMETER.search(message):
        key = missing["name"]
    elif key and not in_body and handler is not None:
        key = _public_name(handler, key)
    french, english = explain(message, _allowed_values(handler, key, in_body))
    return FieldError(key if key not in ("", "data") else "body", french, english)


def _public_name(handler: BaseRouteHandler, name: str) -> str:
    """A parameter's name on the wire (its alias), given its Python name."""
    definition = handler.parsed_fn_signature.parameters.get(name)
    kwarg = definition.kwarg_definition if definition else None
    if isinstance(kwarg, ParameterKwarg):
        return kwarg.name or kwarg.query or kwarg.header or kwarg.cookie or name
    return name


def _allowed_values(handler: BaseRouteHandler | None, key: str, in_body: bool) -> list[str] | None:
    """The values an enum or literal at `key` accepts (a body path or a parameter's public name)."""
    if handler is None or not key:
        return None
    parameters = handler.parsed_fn_signature.parameters
    if in_body:
        root, path = parameters.get("data"), [m.group(0) for m in _KEY_SEGMENT.finditer(key)]
    else:
        root = next((p for n, p in parameters.items() if _public_name(handler, n) == key), None)
        path = []
    if root is None:
        return None
    try:
        info = msgspec.inspect.type_info(root.annotation)
    except TypeError:
        return None
    for segment in path:
        info = _child(info, segment)
    for kind in _members(info):
        if isinstance(kind, msgspec.inspect.EnumType):
            return [str(member.value) for member in kind.cls]
        if isinstance(kind, msgspec.inspect.LiteralType):
            return [str(value) for value in kind.values]
    return None


def _members(info: Any) -> tuple[Any, ...]:
    return tuple(info.types) if isinstance(info, msgspec.inspect.UnionType) else (info,)


_COLLECTIONS = (msgspec.inspect.ListType, msgspec.inspect.SetType, msgspec.inspect.FrozenSetType)


def _child(info: Any, segment: str) -> Any:
    for kind in _members(info):
        if isinstance(kind, msgspec.inspect.StructType):
            return next((f.type for f in kind.fields if segment in (f.encode_name, f.name)), None)
        if isinstance(kind, _COLLECTIONS):
            return kind.item_type
        if isinstance(kind, msgspec.inspect.DictType):
            return kind.value_type
    return None


async def strict_json_body(request: Request[Any, Any, Any]) -> None:
    """Decode a v1 body strictly first: `"100"`, `100.0` or `1e3` is not an integer here.

    Litestar converts bodies leniently (the legacy routes rely on it); v1 documents JSON types
    and keeps to them.
    """
    body = request.route_handler.parsed_fn_signature.parameters.get("data")
    if body is None or not await request.body():
        return
    try:
        raw = await request.json()
    except SerializationException:
        return  # the handler's own decoding reports the unreadable body
    try:
        msgspec.convert(raw, body.annotation, strict=True)
    except msgspec.ValidationError as exc:
        message, _, where = str(exc).partition(" - at ")
        path = _ERROR_PATH.search(where)
        key = path["path"] if path else ""
        raise ValidationException(extra=[{"message": message, "key": key, "source": "body"}]) from None
