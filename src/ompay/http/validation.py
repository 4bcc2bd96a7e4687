"""Turn msgspec/Litestar validation messages into field errors a person can read (fr/en)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ompay.domain.errors import FieldError
from ompay.http.i18n import Language

_TYPE_EN = {
    "int": "an integer",
    "str": "a string",
    "bool": "a boolean",
    "float": "a number",
    "object": "an object",
}
_TYPE_FR = {"int": "nombre entier", "str": "texte", "bool": "booléen", "float": "nombre", "object": "objet"}
_MISSING = re.compile(r"Object missing required field `(?P<field>[^`]+)`")
_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[str, str]]], ...] = (
    (
        re.compile(r"Expected `(?P<type>\w+)`, got `(?P<got>\w+)`"),
        lambda m: (
            f"Doit être de type {_TYPE_FR.get(m['type'], m['type'])}.",
            f"Must be {_TYPE_EN.get(m['type'], m['type'])}.",
        ),
    ),
    (
        re.compile(r"Expected `\w+` >= (?P<n>[\d.]+)"),
        lambda m: (f"Doit être supérieur ou égal à {m['n']}.", f"Must be greater than or equal to {m['n']}."),
    ),
    (
        re.compile(r"Expected `\w+` <= (?P<n>[\d.]+)"),
        lambda m: (f"Doit être inférieur ou égal à {m['n']}.", f"Must be less than or equal to {m['n']}."),
    ),
    (
        re.compile(r"Expected `str` of length >= (?P<n>\d+)"),
        lambda m: (f"Doit contenir au moins {m['n']} caractères.", f"Must be at least {m['n']} characters."),
    ),
    (
        re.compile(r"Expected `str` of length <= (?P<n>\d+)"),
        lambda m: (f"Doit contenir au plus {m['n']} caractères.", f"Must be at most {m['n']} characters."),
    ),
    (
        re.compile(r"Expected `str` matching regex"),
        lambda m: ("Le format est invalide.", "Invalid format."),
    ),
    (
        re.compile(r"Invalid enum value"),
        lambda m: ("La valeur choisie est invalide.", "The selected value is invalid."),
    ),
)


def translate(message: str, language: Language) -> str:
    if _MISSING.search(message):
        return "Ce champ est obligatoire." if language == "fr" else "This field is required."
    for pattern, render in _RULES:
        if match := pattern.search(message):
            french, english = render(match)
            return french if language == "fr" else english
    return message


def field_errors(extra: Iterable[Mapping[str, Any]] | Any, language: Language) -> tuple[FieldError, ...]:
    """Field errors from Litestar's `ValidationException.extra`; the field is always named."""
    if not isinstance(extra, list):
        return (FieldError("body", translate(str(extra or ""), language) or "Invalid body"),)
    errors = []
    for item in extra:
        message = str(item.get("message", ""))
        key = str(item.get("key") or "")
        if missing := _MISSING.search(message):
            key = ".".join(part for part in (key.removeprefix("data").strip("."), missing["field"]) if part)
        errors.append(FieldError(key or "body", translate(message, language)))
    return tuple(errors)
