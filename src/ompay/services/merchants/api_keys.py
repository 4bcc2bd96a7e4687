"""Merchant API keys: issued once in clear, kept as keyed hashes, scoped, revocable, rotatable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.errors import NotFound, PermissionDenied
from ompay.domain.merchants import Scope, ip_allowed, key_hint, new_api_key
from ompay.lib.crypto import keyed_hash
from ompay.models import ApiKey, Merchant, MerchantStatus
from ompay.models.base import new_id
from ompay.repositories.merchants import ApiKeyRepository
from ompay.services.identity.security import Security
from ompay.services.unit_of_work import UnitOfWork

TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class IssuedKey:
    key: ApiKey
    secret: str


@dataclass(frozen=True, slots=True)
class MerchantCaller:
    """A merchant's server, authenticated by one of its API keys."""

    merchant_id: UUID
    merchant_active: bool
    key_id: UUID
    scopes: frozenset[str]

    @property
    def actor(self) -> Actor:
        return Actor("api_key", str(self.key_id))


class IpNotAllowed(PermissionDenied):
    code = "IP_NOT_ALLOWED"
    message_fr = "Cette clé d'API n'est pas autorisée depuis cette adresse IP"
    message_en = "This API key is not allowed from this IP address"


class ApiKeyService:
    def __init__(self, uow: UnitOfWork, security: Security) -> None:
        self.uow = uow
        self.security = security
        self.keys = ApiKeyRepository(session=uow.session)

    async def issue(
        self,
        merchant: Merchant,
        name: str,
        scopes: list[Scope],
        allowed_ips: list[str] | None,
        user_id: UUID,
        actor: Actor | None = None,
    ) -> IssuedKey:
        """A key created for `user_id`; `actor` is who asked when it is not that user (the console)."""
        issued = self._new_key(merchant.id, name, [scope.value for scope in scopes], allowed_ips, user_id)
        self._audit("api_key.created", issued.key, actor or Actor("user", str(user_id)))
        await self.uow.commit()
        return issued

    async def rotate(self, merchant: Merchant, key_id: UUID, grace: timedelta, user_id: UUID) -> IssuedKey:
        """A new secret with the same name and rights; the old one keeps working for `grace`."""
        old = await self._own(merchant, key_id)
        issued = self._new_key(merchant.id, old.name, old.scopes, old.allowed_ips, user_id)
        old.expires_at = datetime.now(UTC) + grace
        if not grace:
            old.revoked_at = old.expires_at
        self._audit("api_key.rotated", old, Actor("user", str(user_id)), {"replaced_by": str(issued.key.id)})
        await self.uow.commit()
        return issued

    async def revoke(self, merchant: Merchant, key_id: UUID, user_id: UUID) -> None:
        """Takes effect on the next call: keys are checked against the database on every request."""
        key = await self._own(merchant, key_id)
        key.revoked_at = datetime.now(UTC)
        self._audit("api_key.revoked", key, Actor("user", str(user_id)))
        await self.uow.commit()

    async def of_merchant(self, merchant: Merchant) -> list[ApiKey]:
        """The merchant's keys, shown by prefix only: the secret exists nowhere after it is issued."""
        return list(await self.keys.of_merchant(merchant.id))

    async def authenticate(self, secret: str, client_ip: str | None) -> MerchantCaller | None:
        """The caller behind a key, or None when the key is unknown, revoked or past its grace."""
        found = await self.keys.usable(keyed_hash(self.security.keys.api_key, secret))
        if found is None:
            return None
        key, merchant = found
        if not ip_allowed(client_ip, key.allowed_ips):
            raise IpNotAllowed()
        if key.last_used_at is None or key.last_used_at < datetime.now(UTC) - TOUCH_EVERY:
            await self.keys.touch(key.id)  # at most once a minute: reads must not all write
            await self.uow.commit()
        return MerchantCaller(
            merchant_id=merchant.id,
            merchant_active=merchant.status == MerchantStatus.ACTIVE,
            key_id=key.id,
            scopes=frozenset(key.scopes),
        )

    def _new_key(
        self, merchant_id: UUID, name: str, scopes: list[str], allowed_ips: list[str] | None, user_id: UUID
    ) -> IssuedKey:
        secret = new_api_key()
        key = ApiKey(
            id=new_id(),
            merchant_id=merchant_id,
            name=name,
            hint=key_hint(secret),
            key_hash=keyed_hash(self.security.keys.api_key, secret),
            scopes=scopes,
            allowed_ips=allowed_ips or None,
            created_by=user_id,
        )
        self.uow.session.add(key)
        return IssuedKey(key, secret)

    async def _own(self, merchant: Merchant, key_id: UUID) -> ApiKey:
        key = await self.keys.get_one_or_none(id=key_id, merchant_id=merchant.id, revoked_at=None)
        if key is None:
            raise NotFound()
        return key

    def _audit(self, action: str, key: ApiKey, actor: Actor, extra: dict[str, str] | None = None) -> None:
        changes = {"name": key.name, "hint": key.hint, **(extra or {})}
        self.uow.audit.record(action, actor, target_type="api_key", target_id=str(key.id), changes=changes)
