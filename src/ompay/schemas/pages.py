"""Cursor pages (PRODUCT.md lists): `{"data": [...], "has_more", "next_cursor"}`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Generic, Protocol, TypeVar
from uuid import UUID

import msgspec
from litestar.params import QueryParameter

T = TypeVar("T")

PageLimit = Annotated[int, QueryParameter(ge=1, le=100)]
Cursor = Annotated[UUID | None, QueryParameter(description="The `next_cursor` of the previous page")]


class HasId(Protocol):
    @property
    def id(self) -> UUID: ...


RowT = TypeVar("RowT", bound=HasId)


class CursorPage(msgspec.Struct, Generic[T], frozen=True):
    data: list[T]
    has_more: bool
    next_cursor: UUID | None

    @classmethod
    def of(cls, rows: Sequence[RowT], limit: int, present: Callable[[RowT], T]) -> CursorPage[T]:
        """`rows` were fetched with one extra beyond `limit`: its presence means there is more."""
        shown = rows[:limit]
        has_more = len(rows) > limit
        return cls([present(row) for row in shown], has_more, shown[-1].id if has_more and shown else None)


def as_is(row: T) -> T:
    """For rows that are already what the page shows."""
    return row
