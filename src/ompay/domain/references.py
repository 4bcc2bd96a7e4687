"""Human references for money movements: `OMP-YYYYMMDD-XXXXXXXX` (Crockford base32)."""

from __future__ import annotations

import secrets
from datetime import datetime

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def entry_reference(at: datetime) -> str:
    """Eight random Crockford characters (40 bits) per day: unguessable, easy to read aloud."""
    suffix = "".join(secrets.choice(CROCKFORD) for _ in range(8))
    return f"OMP-{at:%Y%m%d}-{suffix}"
