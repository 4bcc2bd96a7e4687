"""How amounts are written for people: whole francs, thousands grouped by spaces (`200 000`)."""

from __future__ import annotations


def grouped(amount: int) -> str:
    """`1 000 000`, as receipts, SMS and messages in Senegal write amounts."""
    return f"{amount:,}".replace(",", " ")
