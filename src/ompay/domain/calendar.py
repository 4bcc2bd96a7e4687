"""Business time: days, months and limits are counted in Africa/Dakar time (UTC+0, no DST)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

DAKAR = ZoneInfo("Africa/Dakar")
