"""Console output that must not be missed: a secret shown once, framed so it stands out."""

from __future__ import annotations


def boxed(*lines: str) -> str:
    width = max(len(line) for line in lines)
    rule = "─" * (width + 2)
    return "\n".join([f"┌{rule}┐", *(f"│ {line.ljust(width)} │" for line in lines), f"└{rule}┘"])


def api_key_box(trade_name: str, merchant_code: str, secret: str) -> str:
    """A new merchant API key: printed once, never stored in clear, so say so next to it."""
    return boxed(f"API key for {trade_name} ({merchant_code}), shown only this once:", secret)
