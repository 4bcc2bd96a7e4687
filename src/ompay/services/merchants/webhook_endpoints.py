"""A merchant's webhook endpoints: URL rules, event filters, secrets (shown once, sealed, rotatable)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from config.settings import Settings
from ompay.domain.errors import NotFound, invalid_field
from ompay.domain.webhooks import EVENT_TYPES, checked_url, new_secret
from ompay.integrations.webhook_http import ensure_public_target
from ompay.lib.crypto import Sealer
from ompay.models import WebhookEndpoint
from ompay.models.base import new_id
from ompay.repositories.webhooks import WebhookEndpointRepository
from ompay.services.unit_of_work import UnitOfWork


class WebhookEndpointService:
    def __init__(self, uow: UnitOfWork, sealer: Sealer, settings: Settings) -> None:
        self.uow = uow
        self.sealer = sealer
        self.settings = settings
        self.endpoints = WebhookEndpointRepository(session=uow.session)

    async def create(
        self, merchant_id: UUID, url: str, events: list[str], description: str | None
    ) -> tuple[WebhookEndpoint, str]:
        """The signing secret is returned once and stored sealed: the merchant must keep it."""
        secret = new_secret()
        endpoint = WebhookEndpoint(
            id=new_id(),
            merchant_id=merchant_id,
            url=await self._checked(url),
            events=_checked_events(events),
            description=description,
            secret_sealed=self.sealer.seal(secret),
        )
        self.uow.session.add(endpoint)
        await self.uow.commit()
        return endpoint, secret

    async def live(self, merchant_id: UUID) -> list[WebhookEndpoint]:
        """Disabled endpoints receive nothing and are not listed."""
        return list(await self.endpoints.live(merchant_id))

    async def get(self, merchant_id: UUID, endpoint_id: UUID) -> WebhookEndpoint:
        """One of the merchant's live endpoints; anyone else's is simply not found."""
        endpoint = await self.endpoints.get_one_or_none(
            id=endpoint_id, merchant_id=merchant_id, disabled_at=None
        )
        if endpoint is None:
            raise NotFound()
        return endpoint

    async def update(
        self,
        merchant_id: UUID,
        endpoint_id: UUID,
        url: str | None,
        events: list[str] | None,
        description: str | None,
    ) -> WebhookEndpoint:
        """A new URL passes the same checks as a new endpoint's."""
        endpoint = await self.get(merchant_id, endpoint_id)
        if url is not None:
            endpoint.url = await self._checked(url)
        if events is not None:
            endpoint.events = _checked_events(events)
        if description is not None:
            endpoint.description = description
        await self.uow.commit()
        return endpoint

    async def disable(self, merchant_id: UUID, endpoint_id: UUID) -> None:
        """Stop deliveries; past attempts stay in the log."""
        endpoint = await self.get(merchant_id, endpoint_id)
        endpoint.disabled_at = datetime.now(UTC)
        await self.uow.commit()

    async def rotate_secret(self, merchant_id: UUID, endpoint_id: UUID) -> tuple[WebhookEndpoint, str]:
        """A new secret; the old one keeps signing alongside it for the overlap (24 h by default)."""
        endpoint = await self.get(merchant_id, endpoint_id)
        secret = new_secret()
        endpoint.previous_secret_sealed = endpoint.secret_sealed
        endpoint.previous_secret_expires_at = datetime.now(UTC) + timedelta(
            seconds=self.settings.webhook.secret_overlap_seconds
        )
        endpoint.secret_sealed = self.sealer.seal(secret)
        await self.uow.commit()
        return endpoint, secret

    def secrets_in_use(self, endpoint: WebhookEndpoint) -> list[str]:
        """The current secret, then the previous one while its overlap lasts."""
        secrets = [self.sealer.unseal(endpoint.secret_sealed)]
        expires = endpoint.previous_secret_expires_at
        if endpoint.previous_secret_sealed and expires and expires > datetime.now(UTC):
            secrets.append(self.sealer.unseal(endpoint.previous_secret_sealed))
        return secrets

    async def _checked(self, url: str) -> str:
        production = self.settings.app.is_production
        checked = checked_url(url, production=production)
        if production:
            await ensure_public_target(checked)
        return checked


def _checked_events(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown:
        raise invalid_field(
            "events", f"Événements inconnus : {', '.join(unknown)}.", f"Unknown events: {', '.join(unknown)}."
        )
    return sorted(set(events))
