"""Nothing secret or personal reaches the logs in clear."""

from __future__ import annotations

import io
import json

import pytest
import structlog

from config.logging import configure_logging, get_logger
from config.settings import LogSettings
from ompay.lib.masking import REDACTED, mask_data, mask_tail, mask_text

PHONE = "+221771234567"
OTP = "493817"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl"
API_KEY = "ompay_sk_live_9f8e7d6c5b4a3210"
PASSWORD = "Sup3r-secret!"


def test_partial_masking_keeps_only_the_tail() -> None:
    assert mask_tail(PHONE) == "*" * 11 + "67"
    assert mask_tail("12") == "**"


@pytest.mark.parametrize("phone", [PHONE, "221771234567", "00221771234567", "771234567"])
def test_phone_numbers_in_free_text_are_masked(phone: str) -> None:
    masked = mask_text(f"SMS sent to {phone} today")
    assert phone not in masked
    assert masked.endswith("67 today")


def test_tokens_and_api_keys_in_free_text_are_redacted() -> None:
    masked = mask_text(f"Authorization: Bearer {JWT} key={API_KEY}")
    assert JWT not in masked
    assert API_KEY not in masked


def test_sensitive_keys_are_masked_at_any_depth() -> None:
    masked = mask_data(
        {"user": {"telephone": PHONE, "otp": OTP, "password": PASSWORD}, "items": [{"pin": "4821"}]}
    )
    assert masked == {
        "user": {"telephone": "*" * 11 + "67", "otp": REDACTED, "password": REDACTED},
        "items": [{"pin": REDACTED}],
    }


@pytest.mark.parametrize("output_format", ["json", "console"])
def test_logged_secrets_never_appear_in_clear(output_format: str) -> None:
    stream = io.StringIO()
    configure_logging(LogSettings(level="INFO", format=output_format), stream=stream)  # type: ignore[arg-type]
    try:
        logger = get_logger("test")
        structlog.contextvars.bind_contextvars(telephone=PHONE)
        logger.info("otp issued", phone=PHONE, otp=OTP, access_token=JWT, api_key=API_KEY, password=PASSWORD)
        logger.info(f"free text with {PHONE} and Bearer {JWT} and {API_KEY}")
        logger.warning("stdlib path", extra={"refresh_token": "rt_123456789"})
        import logging

        logging.getLogger("third.party").warning("calling %s with %s", PHONE, API_KEY)
    finally:
        structlog.contextvars.clear_contextvars()
        configure_logging(LogSettings(level="WARNING"))
    output = stream.getvalue()
    for secret in (PHONE, "771234567", OTP, JWT, API_KEY, PASSWORD):
        assert secret not in output, f"{secret!r} leaked into logs"
    assert "otp issued" in output
    if output_format == "json":
        first = json.loads(output.splitlines()[0])
        assert first["otp"] == REDACTED
        assert first["phone"].endswith("67")
