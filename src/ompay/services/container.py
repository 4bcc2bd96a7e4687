"""The service container: how every service is built, for requests, jobs and console commands alike.

A `Platform` is what a process builds once (settings, the security kit, the job dispatcher,
Redis, the hot-path reads). `Services` builds each service of one unit of work on first use
and keeps it, so the services of one request share one transaction and one money kit. The
HTTP dependency providers are generated from this class: a new service is one property here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cached_property

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from config.database import hot_read_engine, reports_engine
from config.settings import Settings
from ompay.lib.object_store import EncryptedFiles
from ompay.lib.queue import JobDispatcher
from ompay.lib.redis import create_redis
from ompay.lib.session_cache import LiveSessionCache
from ompay.repositories.hot_reads import HotReads
from ompay.repositories.refusals import LimitRefusalLog
from ompay.services.audit import RequestContext
from ompay.services.compliance.cases import CaseService
from ompay.services.compliance.checks import KycCheckService
from ompay.services.compliance.documents import KycDocumentService, document_files
from ompay.services.compliance.expiry import KycExpiryService
from ompay.services.compliance.freezes import FreezeService
from ompay.services.compliance.guardianship import GuardianshipService
from ompay.services.compliance.kyb import KybService
from ompay.services.compliance.monitoring import MonitoringService
from ompay.services.compliance.monitoring_rules import MonitoringRuleService
from ompay.services.compliance.rescreening import RescreeningService
from ompay.services.compliance.review import KycReviewService
from ompay.services.compliance.screening import ScreeningService
from ompay.services.compliance.screening_lists import ScreeningListService
from ompay.services.compliance.tiers import TierService
from ompay.services.exports.access import ExportService
from ompay.services.exports.files import export_files
from ompay.services.exports.generation import ExportGenerationService
from ompay.services.exports.requests import ExportRequestService
from ompay.services.exports.schedule import ExportScheduleService
from ompay.services.health import HealthService
from ompay.services.identity.auth import AuthService
from ompay.services.identity.closure import AccountClosureService
from ompay.services.identity.personal_data import PersonalDataService
from ompay.services.identity.pin import PinService
from ompay.services.identity.registration import RegistrationService
from ompay.services.identity.retention import RetentionService
from ompay.services.identity.security import Security
from ompay.services.identity.sessions import SessionService
from ompay.services.identity.users import UserService
from ompay.services.ledger.admin import LedgerAdminService
from ompay.services.ledger.cash_out import CashOutService
from ompay.services.ledger.limits import amount_bounds
from ompay.services.ledger.money import MoneyService
from ompay.services.ledger.money_kit import MoneyKit
from ompay.services.ledger.quotes import QuoteService
from ompay.services.ledger.wallet import WalletService
from ompay.services.merchants.api_keys import ApiKeyService
from ompay.services.merchants.onboarding import MerchantService
from ompay.services.merchants.payments.customer import CustomerPaymentService
from ompay.services.merchants.payments.merchant import MerchantPaymentService
from ompay.services.merchants.refunds import RefundService
from ompay.services.merchants.webhook_delivery import WebhookDeliveryService
from ompay.services.merchants.webhook_endpoints import WebhookEndpointService
from ompay.services.notifications import NotificationService
from ompay.services.sandbox import SandboxService
from ompay.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Platform:
    """What every unit of work of a process shares."""

    settings: Settings
    security: Security
    dispatcher: JobDispatcher
    redis: Redis
    hot_reads: HotReads
    documents: EncryptedFiles
    exports: EncryptedFiles
    reports: AsyncEngine
    """Where exports read: a replica when one is configured."""
    refusals: LimitRefusalLog

    @classmethod
    def build(
        cls, settings: Settings, redis: Redis, dispatcher: JobDispatcher, engine: AsyncEngine
    ) -> Platform:
        """Built once per process: the security kit's keys are derived here, not per request."""
        security = Security.build(
            settings, redis, LiveSessionCache(redis, settings.auth.session_cache_seconds)
        )
        hot_reads = HotReads(hot_read_engine(settings.db), settings.monitoring.rule_cache_seconds)
        files = (document_files(settings), export_files(settings))
        reports = reports_engine(settings.db, engine)
        refusals = LimitRefusalLog(engine)
        return cls(settings, security, dispatcher, redis, hot_reads, *files, reports, refusals)


@asynccontextmanager
async def short_lived_services(
    session: AsyncSession,
    settings: Settings,
    dispatcher: JobDispatcher,
    engine: AsyncEngine,
    context: RequestContext | None = None,
) -> AsyncIterator[Services]:
    """The services of one job or command over `session`, on a platform of its own.

    Jobs and commands may each run on their own event loop, so their Redis client is opened and
    closed with them rather than shared like the API process's.
    """
    redis = create_redis(settings.redis)
    try:
        platform = Platform.build(settings, redis, dispatcher, engine)
        yield Services(UnitOfWork(session, dispatcher, settings.queue, context), platform)
    finally:
        await redis.aclose()


class Services:
    """Every service of one unit of work, built on first use and kept for the unit's lifetime."""

    def __init__(self, uow: UnitOfWork, platform: Platform) -> None:
        self.uow = uow
        self.platform = platform

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The services a handler may ask for by name."""
        return tuple(name for name, member in vars(cls).items() if isinstance(member, cached_property))

    @property
    def _security(self) -> Security:
        return self.platform.security

    @property
    def _settings(self) -> Settings:
        return self.platform.settings

    @cached_property
    def health_service(self) -> HealthService:
        return HealthService(
            self.uow.session, self.platform.redis, self.platform.dispatcher, self._settings.health
        )

    @cached_property
    def sandbox_service(self) -> SandboxService:
        return SandboxService(self.uow.session)

    @cached_property
    def auth_service(self) -> AuthService:
        return AuthService(self.uow, self._security)

    @cached_property
    def registration_service(self) -> RegistrationService:
        return RegistrationService(
            self.uow, self._security, self.guardianship_service, self.screening_service
        )

    @cached_property
    def session_service(self) -> SessionService:
        return SessionService(self.uow, self._security)

    @cached_property
    def pin_service(self) -> PinService:
        return PinService(self.uow, self._security)

    @cached_property
    def user_service(self) -> UserService:
        return UserService(self.uow, self._security)

    @cached_property
    def personal_data_service(self) -> PersonalDataService:
        return PersonalDataService(self.uow)

    @cached_property
    def account_closure_service(self) -> AccountClosureService:
        return AccountClosureService(self.uow, self.session_service)

    @cached_property
    def retention_service(self) -> RetentionService:
        return RetentionService(self.uow, self.platform.documents, self._settings.retention.years)

    @cached_property
    def api_key_service(self) -> ApiKeyService:
        return ApiKeyService(self.uow, self._security)

    @cached_property
    def notification_service(self) -> NotificationService:
        return NotificationService(self.uow, self._security.sealer, self._settings.sms)

    @cached_property
    def money_kit(self) -> MoneyKit:
        return MoneyKit.build(self.uow, self._security, self.screening_service, self.platform.refusals)

    @cached_property
    def money_service(self) -> MoneyService:
        return MoneyService.build(self.money_kit)

    @cached_property
    def wallet_service(self) -> WalletService:
        return WalletService(self.uow, self.platform.hot_reads)

    @cached_property
    def quote_service(self) -> QuoteService:
        ledger = self._settings.ledger
        return QuoteService(self.uow, amount_bounds(ledger), ledger.quote_ttl)

    @cached_property
    def cash_out_service(self) -> CashOutService:
        return CashOutService(self.money_kit, self.notification_service, self._settings.ledger.cash_out_ttl)

    @cached_property
    def ledger_admin_service(self) -> LedgerAdminService:
        return LedgerAdminService(self.uow, amount_bounds(self._settings.ledger), self.platform.refusals)

    @cached_property
    def tier_service(self) -> TierService:
        return TierService(self.uow)

    @cached_property
    def kyc_document_service(self) -> KycDocumentService:
        return KycDocumentService(self.uow, self.platform.documents)

    @cached_property
    def kyc_check_service(self) -> KycCheckService:
        return KycCheckService(self.uow, self.screening_service)

    @cached_property
    def guardianship_service(self) -> GuardianshipService:
        return GuardianshipService(self.uow, self.pin_service, self.notification_service)

    @cached_property
    def kyc_expiry_service(self) -> KycExpiryService:
        return KycExpiryService(self.uow, self.tier_service, self.notification_service)

    @cached_property
    def kyb_service(self) -> KybService:
        """Merchants whose checks pass are approved automatically outside production only."""
        auto_approve = not self._settings.app.is_production
        return KybService(self.uow, self.screening_service, self.merchant_service, auto_approve)

    @cached_property
    def freeze_service(self) -> FreezeService:
        return FreezeService(self.uow, self.export_request_service)

    @cached_property
    def screening_service(self) -> ScreeningService:
        return ScreeningService(
            self.uow, self.freeze_service, self.platform.redis, self._settings.screening.hit_threshold
        )

    @cached_property
    def rescreening_service(self) -> RescreeningService:
        batch = self._settings.screening.rescreen_batch
        return RescreeningService(self.uow, self.screening_service, self.platform.dispatcher, batch)

    @cached_property
    def case_service(self) -> CaseService:
        return CaseService(self.uow, self._settings.monitoring, self.export_request_service)

    @cached_property
    def export_request_service(self) -> ExportRequestService:
        return ExportRequestService(self.uow)

    @cached_property
    def export_service(self) -> ExportService:
        return ExportService(
            self.uow,
            self.platform.exports,
            self.export_request_service,
            self.export_generation_service,
            self.merchant_service,
        )

    @cached_property
    def export_generation_service(self) -> ExportGenerationService:
        return ExportGenerationService(self.uow, self.platform.exports, self.platform.reports)

    @cached_property
    def export_schedule_service(self) -> ExportScheduleService:
        return ExportScheduleService(self.uow, self.export_request_service)

    @cached_property
    def monitoring_service(self) -> MonitoringService:
        return MonitoringService(self.uow, self.case_service, self.platform.hot_reads)

    @cached_property
    def monitoring_rule_service(self) -> MonitoringRuleService:
        return MonitoringRuleService(self.uow, self.platform.hot_reads)

    @cached_property
    def screening_list_service(self) -> ScreeningListService:
        return ScreeningListService(self.uow, self.platform.redis)

    @cached_property
    def kyc_review_service(self) -> KycReviewService:
        return KycReviewService(
            self.uow, self.platform.documents, self.tier_service, self.notification_service
        )

    @cached_property
    def merchant_service(self) -> MerchantService:
        return MerchantService(self.uow)

    @cached_property
    def merchant_payment_service(self) -> MerchantPaymentService:
        return MerchantPaymentService(self.money_kit)

    @cached_property
    def customer_payment_service(self) -> CustomerPaymentService:
        return CustomerPaymentService(self.money_kit)

    @cached_property
    def refund_service(self) -> RefundService:
        return RefundService(self.merchant_payment_service, self.notification_service)

    @cached_property
    def webhook_endpoint_service(self) -> WebhookEndpointService:
        return WebhookEndpointService(self.uow, self._security.sealer, self._settings)

    @cached_property
    def webhook_delivery_service(self) -> WebhookDeliveryService:
        return WebhookDeliveryService(self.webhook_endpoint_service, self.platform.dispatcher)
