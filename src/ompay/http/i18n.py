"""Response language: French unless the client asks for English."""

from __future__ import annotations

from typing import Literal

from litestar.connection import ASGIConnection

Language = Literal["fr", "en"]


def preferred_language(connection: ASGIConnection) -> Language:  # type: ignore[type-arg]
    accept = connection.headers.get("accept-language", "")
    first = accept.split(",", 1)[0].strip().lower()
    return "en" if first.startswith("en") else "fr"
