"""Importing sanctions, PEP and watch lists: each new file becomes a new version of its list."""

from __future__ import annotations

import hashlib

from redis.asyncio import Redis

from ompay.domain.actors import Actor
from ompay.domain.errors import invalid_field
from ompay.domain.screening import blocking_keys, document_key
from ompay.domain.screening_lists import ListEntry, ListFormat, UnreadableList, read_entries
from ompay.models import ScreeningEntry, ScreeningListVersion
from ompay.models.base import new_id
from ompay.repositories.screening import ScreeningListRepository
from ompay.services.compliance.screening import LISTS_IN_FORCE
from ompay.services.compliance.topics import LIST_IMPORTED
from ompay.services.unit_of_work import UnitOfWork

_FORMAT_TOPIC = {ListFormat.UN_XML: "sanction"}


class ScreeningListService:
    def __init__(self, uow: UnitOfWork, redis: Redis) -> None:
        self.uow = uow
        self.redis = redis
        self.lists = ScreeningListRepository(session=uow.session)

    async def import_list(
        self, list_name: str, list_format: ListFormat, content: bytes, actor: Actor, topic: str | None = None
    ) -> tuple[ScreeningListVersion, bool]:
        """A new version of `list_name` from `content`, audited, and everyone re-screened against it
        in the background; the same file again adds nothing (returns the version it already is,
        and False). An unreadable file imports nothing.

        Entries without topics of their own get `topic`, else the format's (the UN list is a
        sanctions list); `sanction` is what makes an exact ID number freeze at once.
        """
        digest = hashlib.sha256(content).hexdigest()
        if (same := await self.lists.version_with_hash(list_name, digest)) is not None:
            return same, False
        try:
            entries = read_entries(list_format, content)
        except UnreadableList as exc:
            raise invalid_field("file", f"Liste illisible : {exc}", f"Unreadable list: {exc}") from exc
        version = ScreeningListVersion(
            id=new_id(),
            list_name=list_name,
            version=await self.lists.next_version(list_name),
            list_format=list_format.value,
            sha256=digest,
            entry_count=len(entries),
            imported_by=actor.id or "system",
        )
        self.uow.session.add(version)
        await self.uow.session.flush()  # its entries reference it
        topics = (topic or _FORMAT_TOPIC.get(list_format, "poi"),)
        self.uow.session.add_all(_row(version, entry, topics) for entry in entries)
        self.uow.outbox.add(LIST_IMPORTED, {"list_version_id": str(version.id)})
        self.uow.audit.record(
            "screening.list_imported",
            actor,
            target_type="screening_list",
            target_id=f"{list_name}/v{version.version}",
            changes={"sha256": digest, "entries": len(entries), "format": list_format.value},
        )
        await self.uow.commit()
        await self.redis.delete(LISTS_IN_FORCE)  # payees are screened against the new version
        return version, True


def _row(version: ScreeningListVersion, entry: ListEntry, default_topics: tuple[str, ...]) -> ScreeningEntry:
    party = entry.party
    keys = set().union(*(blocking_keys(name) for name in party.names))
    return ScreeningEntry(
        list_version_id=version.id,
        reference=entry.reference[:80],
        kind=entry.kind,
        names=list(party.names),
        blocking_keys=sorted(keys),
        birth_dates=list(party.birth_dates),
        id_numbers=sorted({document_key(number) for number in party.id_numbers}),
        topics=list(entry.topics or default_topics),
    )
