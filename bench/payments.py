"""Payment requests end to end: the merchant creates one, the customer approves it with their PIN.

A Python load generator (httpx, one task per client) because each pair needs the id the first
call returns; wrk scripts cannot chain calls per connection cleanly.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time

import httpx

from ompay.domain.actors import Actor
from ompay.domain.merchants import Scope
from ompay.models import KycTier, User, UserRole, UserStatus
from ompay.repositories.users import UserRepository
from ompay.services.compliance.persons import open_person
from ompay.services.container import Services
from ompay.services.merchants.onboarding import MerchantProfile
from routes.console_support import run_with_services

OWNER_PHONE = "+221750000001"
PIN = "4821"


def merchant_api_key() -> str:
    """An approved bench merchant (owned by a user who is not a payer) and a fresh API key."""

    async def create(services: Services) -> str:
        users = UserRepository(session=services.uow.session)
        owner = await users.by_phone(OWNER_PHONE)
        if owner is None:
            person = await open_person(services.uow.session, KycTier.TIER1, None)
            owner = await users.add(
                User(person_id=person.id, role=UserRole.CUSTOMER, status=UserStatus.ACTIVE, first_name="Bench",
                     last_name="Owner", phone=OWNER_PHONE, password_hash="x")
            )  # fmt: skip
        merchants = services.merchant_service
        merchant = await merchants.merchants.of_member(owner.id)
        if merchant is None:
            merchant = await merchants.open(
                MerchantProfile("Bench SARL", "Bench", "bench"), owner.id, Actor.system("bench")
            )
            await services.uow.commit()
            merchant = await merchants.approve(merchant.id, Actor.system("bench"))
        scopes = [Scope.PAYMENTS_WRITE, Scope.PAYMENTS_READ]
        return (await services.api_key_service.issue(merchant, "bench", scopes, None, owner.id)).secret

    return run_with_services(create)


async def drive(
    base: str, api_key: str, users: list[tuple[str, str]], clients: int, seconds: int
) -> dict[str, float]:
    """`clients` concurrent merchant+customer pairs for `seconds`; pair latency in ms."""
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    merchant = {"Authorization": f"Bearer {api_key}"}

    async def client_loop(http: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            token, phone = random.choice(users)
            started = time.perf_counter()
            created = await http.post(
                "/api/v1/merchant/payment-requests",
                json={"amount": 100, "customer_phone": phone},
                headers=merchant,
            )
            if created.status_code != 201:
                errors += 1
                continue
            approved = await http.post(
                f"/api/v1/payment-requests/{created.json()['id']}/approve",
                json={"pin": PIN},
                headers={"Authorization": f"Bearer {token}"},
            )
            if approved.status_code != 200:
                errors += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        started = time.monotonic()
        await asyncio.gather(*(client_loop(http) for _ in range(clients)))
        elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) if latencies else 0.0,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] if latencies else 0.0,
        "errors": float(errors),
    }
