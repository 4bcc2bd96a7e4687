"""Responses converted from what they show, rather than mapped field by field.

A response whose fields are attributes of its source under the same names derives from
`Resource` and is built with `X.of(source)`. A response whose shape differs (legacy bodies that
mirror the Laravel JSON, masked views, computed fields) keeps an explicit `of` of its own.
"""

from __future__ import annotations

from typing import Any, Self

import msgspec


class Resource(msgspec.Struct, frozen=True):
    @classmethod
    def of(cls, source: Any) -> Self:
        """Read each field from the attribute of the same name (models, snapshots, dataclasses)."""
        return msgspec.convert(source, cls, from_attributes=True)
