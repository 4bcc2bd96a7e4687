"""The hosted payment page in real headless Chromium, against the real server process."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient

from tests import support
from tests.e2e.conftest import OMPAY, running, wait_for
from tests.identity import bearer
from tests.merchant_support import PIN, funded_customer, merchant_with_key

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make test installs it)")
async def test_the_page_turns_to_success_without_reload_when_the_customer_pays() -> None:
    from playwright.async_api import async_playwright, expect

    port = support.free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "PORT": str(port),
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "RATE_LIMIT_PER_MINUTE": "100000",
    }
    with running([OMPAY, "run"], env):
        wait_for(f"{base}/health/live")
        async with AsyncClient(base_url=base, timeout=30) as api, async_playwright() as playwright:
            _, headers, _ = await merchant_with_key(api)
            customer, tokens = await funded_customer(api, 10_000)
            created = await api.post(
                "/api/v1/merchant/payment-requests",
                json={"amount": 5000, "customer_phone": customer["phone"]},
                headers=headers,
            )
            request = created.json()
            assert request["payment_url"] == f"{base}/pay/{request['id']}", (
                "follows PORT when APP_URL is unset"
            )
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            page = await browser.new_page(viewport={"width": 390, "height": 844})
            await page.goto(request["payment_url"])
            await expect(page.locator("#amount")).to_have_text("5 000 F CFA")
            await expect(page.locator(".qr svg")).to_be_visible()
            card, drawn = await _box(page, ".card"), await _box(page, ".qr svg path")
            assert abs(_centre(drawn) - _centre(card)) < 2, (card, drawn)
            assert drawn["width"] > 150, "the QR code fills its 220 px box"
            await expect(page.locator("#code")).to_have_text(request["payment_code"])
            await expect(page.locator("#status")).to_have_text("En attente de paiement…")
            await page.evaluate("window.stillTheSamePage = true")

            approved = await api.post(
                f"/api/v1/payment-requests/{request['id']}/approve", json={"pin": PIN}, headers=bearer(tokens)
            )
            assert approved.status_code == 200, approved.text

            await expect(page.locator("#status")).to_have_text("Paiement réussi ✓", timeout=15_000)
            assert await page.evaluate("window.stillTheSamePage === true")
            await expect(page.locator(".qr")).to_be_hidden()
            await browser.close()


async def _box(page: Any, selector: str) -> dict[str, float]:
    box: dict[str, float] = await page.locator(selector).bounding_box()
    return box


def _centre(box: dict[str, float]) -> float:
    return box["x"] + box["width"] / 2
