"""Probe responses."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

ComponentState = Literal["ok", "fail"]


class Liveness(msgspec.Struct, frozen=True):
    status: Literal["alive"] = "alive"


class ComponentStatus(msgspec.Struct, frozen=True):
    status: ComponentState
    detail: str


class Readiness(msgspec.Struct, frozen=True):
    status: Literal["ready", "unavailable"]
    failing: list[str]
    """The checks that make the instance unready; `audit_chain` is reported in `checks` only."""
    checks: dict[str, ComponentStatus]


class LegacyServices(msgspec.Struct, frozen=True):
    database: ComponentState
    redis: ComponentState
    queue: ComponentState


class LegacyHealth(msgspec.Struct, frozen=True):
    status: Literal["healthy", "unhealthy"]
    timestamp: datetime
    services: LegacyServices
