"""The request class of the app: a body too deeply nested to decode is a client error."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import SerializationException


class ApiRequest(Request[Any, Any, Any]):
    async def json(self) -> Any:
        """msgspec gives up on deep nesting with a RecursionError; Litestar expects a decode error."""
        try:
            return await super().json()
        except RecursionError as exc:
            raise SerializationException("JSON nested too deeply") from exc
