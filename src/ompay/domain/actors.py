"""Who did something: recorded on audit events and journal entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ActorType = Literal["user", "api_key", "merchant", "system"]


@dataclass(frozen=True, slots=True)
class Actor:
    type: ActorType
    id: str | None = None

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls("system", name)
