"""The audit hash chain: `hash = sha256(prev_hash || canonical_json(event))`.

Canonical JSON is msgspec's encoding with sorted keys and UTC ISO timestamps, so the same
event always hashes to the same bytes in any process.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec

GENESIS_HASH = "0" * 64

_encoder = msgspec.json.Encoder(order="sorted")


@dataclass(frozen=True, slots=True)
class ChainLink:
    """The hashed content of one audit event plus its stored chain fields."""

    seq: int
    content: dict[str, Any]
    prev_hash: str
    hash: str


def canonical_json(content: dict[str, Any]) -> bytes:
    return _encoder.encode({k: _normalise(v) for k, v in content.items()})


def _normalise(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def link_hash(prev_hash: str, content: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(content)).hexdigest()


def link_is_valid(link: ChainLink, expected_prev: str) -> bool:
    """A link is valid when it follows the expected hash and its own hash covers its content."""
    return link.prev_hash == expected_prev and link.hash == link_hash(link.prev_hash, link.content)
