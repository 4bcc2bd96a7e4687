"""Which function performs each outbox topic's side effect."""

from __future__ import annotations

from collections.abc import Callable

from ompay.services.outbox import OutboxHandler

OUTBOX_HANDLERS: dict[str, OutboxHandler] = {}


def outbox_handler(topic: str) -> Callable[[OutboxHandler], OutboxHandler]:
    """Register the function that performs a topic's side effect (one per topic)."""

    def register(handler: OutboxHandler) -> OutboxHandler:
        if topic in OUTBOX_HANDLERS:
            raise ValueError(f"outbox topic {topic!r} already has a handler")
        OUTBOX_HANDLERS[topic] = handler
        return handler

    return register


def handler_for(topic: str) -> OutboxHandler:
    try:
        return OUTBOX_HANDLERS[topic]
    except KeyError:
        raise LookupError(f"no outbox handler for topic {topic!r}") from None
