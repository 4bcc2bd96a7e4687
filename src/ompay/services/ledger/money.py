"""Money movements people ask for: P2P transfers, agent cash-in, float funding."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.ledger import Leg, RecipientInactive
from ompay.domain.ledger_errors import RecipientNotFound, SelfTransfer
from ompay.lib.masking import mask_tail
from ompay.models import AccountKind, AccountStatus, EntryKind, User, UserStatus
from ompay.services.compliance.screening import ScreeningSubject
from ompay.services.ledger.money_kit import MoneyKit
from ompay.services.ledger.posting import EntryRequest, Idempotency, Posted
from ompay.services.ledger.quotes import QuoteService


@dataclass(frozen=True, slots=True)
class RecipientPreview:
    masked_name: str
    can_receive: bool


def masked_name(user: User) -> str:
    """`Aminata D.` — enough for the sender to recognise, not to learn a full identity."""
    return f"{user.first_name} {user.last_name[:1]}."


class MoneyService:
    def __init__(self, kit: MoneyKit, quote_ttl: int = 300) -> None:
        self.kit = kit
        self.quote_ttl = quote_ttl

    @classmethod
    def build(cls, kit: MoneyKit) -> MoneyService:
        """Configured from the settings the security kit carries."""
        return cls(kit, kit.security.settings.ledger.quote_ttl)

    @cached_property
    def quotes(self) -> QuoteService:
        return QuoteService(self.kit.uow, self.kit.bounds, self.quote_ttl)

    async def preview_recipient(self, phone: str) -> RecipientPreview:
        """Lets a sender check a recipient before paying; shows a masked name, never a balance."""
        recipient = await self.kit.customer(phone)
        wallet = await self.kit.accounts.owned(recipient.id, AccountKind.CUSTOMER_WALLET)
        can_receive = (
            recipient.status == UserStatus.ACTIVE
            and wallet is not None
            and wallet.status == AccountStatus.ACTIVE
        )
        return RecipientPreview(masked_name(recipient), can_receive)

    async def transfer(
        self,
        sender_id: UUID,
        recipient_phone: str,
        amount: int,
        pin: str | None,
        idempotency: Idempotency | None,
        description: str | None = None,
        quote_id: UUID | None = None,
    ) -> Posted:
        """P2P: the sender's PIN, then one entry: sender -(amount+fee), recipient +amount, fees +fee.

        `pin=None` is only for the legacy route, whose contract authorises by bearer token alone
        (a locked PIN still refuses).
        """
        self.kit.bounds.check_amount(EntryKind.P2P_TRANSFER, amount)
        recipient = await self.kit.customer(recipient_phone)
        if recipient.id == sender_id:
            raise SelfTransfer()
        await self.kit.check_pin(sender_id, pin)
        await self.kit.screened_payee(ScreeningSubject.of_customer(recipient), RecipientInactive())
        wallets = await self.kit.accounts.owned_by([sender_id, recipient.id], AccountKind.CUSTOMER_WALLET)
        if sender_id not in wallets or recipient.id not in wallets:
            raise RecipientNotFound()
        sender_wallet, recipient_wallet = wallets[sender_id], wallets[recipient.id]
        if quote_id is None:
            fee = await self.kit.fees.fee_for(EntryKind.P2P_TRANSFER, amount)
        else:
            fee = await self.quotes.honour(quote_id, sender_id, EntryKind.P2P_TRANSFER, amount)
        legs = [Leg(sender_wallet.id, -(amount + fee)), Leg(recipient_wallet.id, amount)]
        if fee:
            legs.append(Leg(await self.kit.system_account(AccountKind.FEE_REVENUE), fee))
        return await self.kit.ledger.post(
            EntryRequest(
                kind=EntryKind.P2P_TRANSFER,
                amount=amount,
                fee=fee,
                legs=tuple(legs),
                initiator=Actor("user", str(sender_id)),
                debtor=sender_wallet.id,
                idempotency=idempotency,
                description=description,
                details={"recipient_phone": mask_tail(recipient.phone, 4)},
            )
        )

    async def agent_cash_in(
        self, agent_id: UUID, customer_phone: str, amount: int, idempotency: Idempotency | None
    ) -> Posted:
        """Cash handed to an agent becomes e-money: agent float -amount, customer wallet +amount."""
        self.kit.bounds.check_amount(EntryKind.CASH_IN, amount)
        customer = await self.kit.customer(customer_phone)
        float_account = await self.kit.account(agent_id, AccountKind.AGENT_FLOAT)
        wallet = await self.kit.account(customer.id, AccountKind.CUSTOMER_WALLET)
        return await self.kit.ledger.post(
            EntryRequest(
                kind=EntryKind.CASH_IN,
                amount=amount,
                legs=(Leg(float_account.id, -amount), Leg(wallet.id, amount)),
                initiator=Actor("user", str(agent_id)),
                debtor=float_account.id,
                idempotency=idempotency,
                details={"customer_id": str(customer.id)},
            )
        )

    async def fund_float(
        self, admin: Actor, agent_id: UUID, amount: int, idempotency: Idempotency | None
    ) -> Posted:
        """E-money issued against the trust account: issuance -amount, agent float +amount."""
        self.kit.bounds.check_amount(EntryKind.FLOAT_FUNDING, amount)
        float_account = await self.kit.account(agent_id, AccountKind.AGENT_FLOAT)
        issuance = await self.kit.system_account(AccountKind.EMONEY_ISSUANCE)
        return await self.kit.ledger.post(
            EntryRequest(
                kind=EntryKind.FLOAT_FUNDING,
                amount=amount,
                legs=(Leg(issuance, -amount), Leg(float_account.id, amount)),
                initiator=admin,
                debtor=issuance,
                idempotency=idempotency,
                details={"agent_id": str(agent_id)},
            )
        )

    async def self_service_cash(
        self, user_id: UUID, amount: int, kind: EntryKind, description: str | None
    ) -> Posted:
        """Legacy deposit (cash_in) or withdrawal (cash_out) straight against e-money issuance.

        Money from nowhere: its routes exist only in a sandbox environment (local, test). The
        legacy contract carries no PIN, but a locked PIN still refuses.
        """
        self.kit.bounds.check_amount(kind, amount)
        await self.kit.check_pin(user_id, None)
        wallet = await self.kit.account(user_id, AccountKind.CUSTOMER_WALLET)
        sign = 1 if kind == EntryKind.CASH_IN else -1
        return await self._against_issuance(
            wallet.id, sign * amount, kind, Actor("user", str(user_id)), description, "legacy_self_service"
        )

    async def sandbox_fund(self, phone: str, amount: int) -> Posted:
        """Sandbox e-money for a test wallet (the route does not exist in production).

        The faucet is not held to KYC limits, so an integrator can fund a test wallet at will;
        what the wallet does with the money afterwards is.
        """
        wallet = await self.kit.account((await self.kit.customer(phone)).id, AccountKind.CUSTOMER_WALLET)
        return await self._against_issuance(
            wallet.id, amount, EntryKind.CASH_IN, Actor.system("sandbox"), "Sandbox", "sandbox", capped=False
        )

    async def _against_issuance(
        self,
        wallet_id: UUID,
        amount: int,
        kind: EntryKind,
        initiator: Actor,
        description: str | None,
        channel: str,
        capped: bool = True,
    ) -> Posted:
        """Move `amount` (signed, seen from the wallet) between a wallet and e-money issuance."""
        issuance = await self.kit.system_account(AccountKind.EMONEY_ISSUANCE)
        return await self.kit.ledger.post(
            EntryRequest(
                kind=kind,
                amount=abs(amount),
                legs=(Leg(issuance, -amount), Leg(wallet_id, amount)),
                initiator=initiator,
                debtor=wallet_id,
                description=description,
                details={"channel": channel},
                capped=capped,
            )
        )
