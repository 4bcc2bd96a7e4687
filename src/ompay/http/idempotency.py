"""The `Idempotency-Key` header of money-moving POSTs, and the replay marker on responses."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import msgspec
from litestar import Request, Response

from ompay.domain.errors import invalid_field
from ompay.services.ledger.posting import Idempotency, Posted

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


async def provide_idempotency(request: Request[Any, Any, Any]) -> Idempotency | None:
    """The key and a hash of what it was first used for: method, path and the (canonical) JSON body."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _VALID_KEY.match(key):
        raise invalid_field(HEADER, "Clé d'idempotence invalide (1 à 255 caractères visibles).")
    body = await request.body()
    try:
        canonical = msgspec.json.encode(msgspec.json.decode(body), order="sorted") if body else b""
    except msgspec.DecodeError:
        canonical = body
    digest = hashlib.sha256(f"{request.method} {request.url.path}\n".encode() + canonical).hexdigest()
    return Idempotency(key=key, request_hash=digest)


def with_replay_marker(posted: Posted, body: Any, status_code: int = 201) -> Response[Any]:
    return replayable(body, posted.replayed, status_code)


def replayable(body: Any, replayed: bool, status_code: int = 201) -> Response[Any]:
    """`body`, marked `Idempotent-Replayed: true` when it answers a retry."""
    headers = {REPLAYED_HEADER: "true"} if replayed else {}
    return Response(body, status_code=status_code, headers=headers)
