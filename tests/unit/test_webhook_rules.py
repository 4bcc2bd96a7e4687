"""Webhook rules that need no I/O: URLs, SSRF targets, backoff, the signature header."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from ompay.domain.errors import ValidationFailed
from ompay.domain.webhooks import checked_url, is_forbidden_address, retry_delay, signature_header
from ompay.integrations.webhook_http import ensure_public_target


def test_production_wants_https_elsewhere_http_is_fine() -> None:
    assert checked_url("http://shop.example.sn/hook", production=False) == "http://shop.example.sn/hook"
    with pytest.raises(ValidationFailed):
        checked_url("http://shop.example.sn/hook", production=True)
    with pytest.raises(ValidationFailed):
        checked_url("https://user:pw@shop.example.sn/hook", production=True)


@pytest.mark.parametrize(
    ("address", "forbidden"),
    [("127.0.0.1", True), ("10.1.2.3", True), ("192.168.1.1", True), ("169.254.169.254", True),
     ("::1", True), ("fd00::1", True), ("41.82.10.4", False), ("2001:4860:4860::8888", False)],
)  # fmt: skip
def test_internal_addresses_are_forbidden_targets(address: str, forbidden: bool) -> None:
    assert is_forbidden_address(address) is forbidden


async def test_a_host_resolving_to_loopback_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        await ensure_public_target("https://localhost/hook")


def test_backoff_doubles_up_to_its_cap() -> None:
    assert [retry_delay(n, 60, 3600) for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_the_header_carries_one_signature_per_live_secret() -> None:
    header = signature_header(["new", "old"], 1_700_000_000, b'{"a":1}')
    expected = [hmac.new(s, b'1700000000.{"a":1}', hashlib.sha256).hexdigest() for s in (b"new", b"old")]
    assert header == f"t=1700000000,v1={expected[0]},v1={expected[1]}"
