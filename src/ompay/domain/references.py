"""Human references: money movements `OMP-YYYYMMDD-XXXXXXXX` (Crockford base32), account numbers."""

from __future__ import annotations

import secrets
from datetime import datetime

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def entry_reference(at: datetime) -> str:
    """Eight random Crockford characters (40 bits) per day: unguessable, easy to read aloud."""
    suffix = "".join(secrets.choice(CROCKFORD) for _ in range(8))
    return f"OMP-{at:%Y%m%d}-{suffix}"


def account_number() -> str:
    """A human account number (legacy `numero_compte`): `OM` + 10 digits."""
    return f"OM{secrets.randbelow(10**10):010d}"
