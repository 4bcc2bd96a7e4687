"""Adding a version of versioned policy data (tier limits, monitoring rules), one way for all."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from advanced_alchemy.exceptions import DuplicateKeyError

from ompay.domain.actors import Actor
from ompay.domain.errors import Conflict
from ompay.services.unit_of_work import UnitOfWork

RowT = TypeVar("RowT")


class AddsRows(Protocol[RowT]):
    async def add(self, data: RowT) -> RowT:
        """The repository's insert (advanced-alchemy's `add`)."""
        ...


async def commit_version(
    uow: UnitOfWork,
    rows: AddsRows[RowT],
    row: RowT,
    actor: Actor,
    action: str,
    target: tuple[str, str],
    changes: dict[str, Any],
) -> RowT:
    """Insert the version, audited, and commit; an officer adding the same version number at the
    same moment gets a 409 rather than overwriting or being overwritten."""
    try:
        await rows.add(row)
    except DuplicateKeyError as exc:
        raise Conflict() from exc
    target_type, target_id = target
    uow.audit.record(action, actor, target_type=target_type, target_id=target_id, changes=changes)
    await uow.commit()
    return row
