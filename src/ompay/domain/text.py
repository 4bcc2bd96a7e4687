"""What client text may contain: no C0/C1 control character (Postgres refuses NUL outright)."""

from __future__ import annotations

# The body of a regex character class, shared by the request schemas' patterns.
CONTROL_CHARACTERS = r"\x00-\x1f\x7f-\x9f"
