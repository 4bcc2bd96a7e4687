"""Versioned policy data (tier limits, monitoring rules): a change is a new version, never an edit."""

from __future__ import annotations

from datetime import datetime

from ompay.domain.errors import invalid_field


def effective_from(requested: datetime | None, now: datetime) -> datetime:
    """Now, or later; never earlier: starting in the past would change how past movements were judged."""
    start = requested or now
    if start < now:
        raise invalid_field(
            "effective_from", "La date d'effet ne peut pas être passée.", "Must not be in the past."
        )
    return start
