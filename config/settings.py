"""Typed settings built from environment variables (and `.env`), validated at start-up.

Each section is a msgspec Struct whose encoded field names *are* the environment variable
names, so `msgspec.convert` reads the environment directly and its error paths name the
offending variable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import msgspec
from dotenv import dotenv_values

BASE_DIR = Path(__file__).resolve().parent.parent

DEFAULT_SECRET_KEY = "local-insecure-secret-key-change-me-0123456789abcdef"  # noqa: S105 - refused in production
DEFAULT_PIN_PEPPER = "local-insecure-pin-pepper-change-me-0123456789abcdef"

Environment = Literal["local", "test", "production"]
SANDBOX_ENVIRONMENTS: frozenset[Environment] = frozenset({"local", "test"})
SmsDriver = Literal["log", "sandbox", "http"]
PositiveInt = Annotated[int, msgspec.Meta(ge=1)]
Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]


def _prefixed(prefix: str) -> Callable[[str], str]:
    return lambda name: f"{prefix}{name.upper()}"


class SettingsError(ValueError):
    """A configuration problem, always naming the environment variable at fault."""


class AppSettings(msgspec.Struct, frozen=True, rename=_prefixed("APP_")):
    env: Environment = "production"  # secure by default: `make run` and `make test` set their own
    name: str = "OMPAY"
    debug: bool = False
    secret_key: Annotated[str, msgspec.Meta(min_length=32)] = DEFAULT_SECRET_KEY
    url: str = ""

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def has_sandbox(self) -> bool:
        """Sandbox routes and legacy self-service cash exist only where APP_ENV says local or test."""
        return self.env in SANDBOX_ENVIRONMENTS


class ServerSettings(msgspec.Struct, frozen=True, rename=_prefixed("")):
    host: str = "127.0.0.1"
    port: Port = 8000
    web_concurrency: PositiveInt | None = None
    """Worker processes of `ompay run`; unset: one per core in production, one elsewhere."""


class DatabaseSettings(msgspec.Struct, frozen=True, rename=_prefixed("DATABASE_")):
    url: str = "postgresql://postgres@127.0.0.1:5432/ompay"
    pool_size: PositiveInt = 10
    max_overflow: Annotated[int, msgspec.Meta(ge=0)] = 10
    pool_timeout: PositiveInt = 10
    echo: bool = False
    replica_url: str = ""
    """A read replica for reports and exports; empty: they read the primary."""

    @property
    def async_url(self) -> str:
        return _asyncpg_url(self.url, "DATABASE_URL")

    @property
    def replica_async_url(self) -> str | None:
        return _asyncpg_url(self.replica_url, "DATABASE_REPLICA_URL") if self.replica_url else None


def _asyncpg_url(url: str, variable: str) -> str:
    """The URL with the asyncpg driver, whatever scheme the operator wrote."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in {"postgres", "postgresql", "postgresql+asyncpg"}:
        raise SettingsError(f"{variable}: expected a postgresql:// URL, got scheme {scheme!r}")
    return f"postgresql+asyncpg://{rest}"


class RedisSettings(msgspec.Struct, frozen=True, rename=_prefixed("REDIS_")):
    url: str = "redis://127.0.0.1:6379/0"
    connect_timeout: Annotated[float, msgspec.Meta(gt=0)] = 0.5
    socket_timeout: Annotated[float, msgspec.Meta(gt=0)] = 2.0


class QueueSettings(msgspec.Struct, frozen=True, rename=_prefixed("QUEUE_")):
    concurrency: PositiveInt = 10
    outbox_sweep_batch: PositiveInt = 500
    outbox_redispatch_after: PositiveInt = 900
    outbox_max_attempts: PositiveInt = 8
    shutdown_grace_seconds: Annotated[int, msgspec.Meta(ge=0)] = 10


class LogSettings(msgspec.Struct, frozen=True, rename=_prefixed("LOG_")):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["auto", "json", "console"] = "auto"


class HttpSettings(msgspec.Struct, frozen=True, rename=_prefixed("")):
    cors_allow_origins: str = ""
    rate_limit_per_minute: PositiveInt = 600
    auth_rate_limit_per_minute: PositiveInt = 20
    user_rate_limit_per_minute: PositiveInt = 60
    request_max_body_bytes: PositiveInt = 1_048_576

    @property
    def cors_origins(self) -> list[str]:
        return [origin.strip() for origin in self.cors_allow_origins.split(",") if origin.strip()]


class HealthSettings(msgspec.Struct, frozen=True, rename=_prefixed("HEALTH_")):
    max_outbox_backlog: PositiveInt = 1000
    max_queue_depth: PositiveInt = 5000


class SmsSettings(msgspec.Struct, frozen=True, rename=_prefixed("SMS_")):
    driver: SmsDriver = "sandbox"
    sender: str = "OMPAY"
    http_url: str = ""
    http_auth_header: str = ""
    http_template: str = '{"to": "{to}", "from": "{sender}", "text": "{message}"}'
    http_timeout: Annotated[float, msgspec.Meta(gt=0)] = 10.0


class AuthSettings(msgspec.Struct, frozen=True, rename=_prefixed("AUTH_")):
    """Credentials, tokens and the attempt limits that stop account takeover."""

    phone_prefixes: str = "70,75,76,77,78"
    access_token_ttl: PositiveInt = 900
    refresh_token_ttl_days: PositiveInt = 30
    otp_ttl: PositiveInt = 300
    otp_max_attempts: PositiveInt = 3
    otp_max_sends_per_hour: PositiveInt = 3
    login_max_failures: PositiveInt = 5
    login_lockout_seconds: PositiveInt = 900
    pin_max_failures: PositiveInt = 3
    pin_lockout_seconds: PositiveInt = 900
    pin_pepper: Annotated[str, msgspec.Meta(min_length=32)] = DEFAULT_PIN_PEPPER
    """The key PINs are hashed with (HMAC-SHA256): its secrecy and the lockout are a 4-digit PIN's
    protection, so it is its own secret, never derived from APP_SECRET_KEY."""
    session_cache_seconds: Annotated[float, msgspec.Meta(ge=0)] = 5.0
    """How long an API process trusts a live session without asking the database (0: never);
    revocations reach every process at once through Redis whatever this is."""
    pin_pepper_version: PositiveInt = 1
    pin_pepper_previous: str = ""
    """During a rotation, the pepper of version `pin_pepper_version - 1`: PINs hashed under it still
    verify and are rehashed under the new one at their next correct entry."""
    argon2_memory_kib: Annotated[int, msgspec.Meta(ge=8192)] = 19456
    argon2_time_cost: PositiveInt = 2
    argon2_parallelism: PositiveInt = 1
    hash_concurrency: PositiveInt = 2

    @property
    def prefixes(self) -> frozenset[str]:
        return frozenset(prefix.strip() for prefix in self.phone_prefixes.split(",") if prefix.strip())


class LedgerSettings(msgspec.Struct, frozen=True, rename=_prefixed("LEDGER_")):
    """Per-kind amount bounds (integer XOF) and the lifetimes of quotes and cash-out requests."""

    cash_in_min: PositiveInt = 100
    cash_in_max: PositiveInt = 5_000_000
    cash_out_min: PositiveInt = 100
    cash_out_max: PositiveInt = 1_000_000
    p2p_min: PositiveInt = 100
    p2p_max: PositiveInt = 1_000_000
    merchant_payment_min: PositiveInt = 100
    merchant_payment_max: PositiveInt = 1_000_000
    float_funding_max: PositiveInt = 500_000_000
    quote_ttl: PositiveInt = 300
    cash_out_ttl: PositiveInt = 600


class WebhookSettings(msgspec.Struct, frozen=True, rename=_prefixed("WEBHOOK_")):
    """Delivery to merchants' endpoints: per-attempt timeout, exponential backoff, give-up window."""

    timeout: Annotated[float, msgspec.Meta(gt=0)] = 10.0
    retry_base_seconds: Annotated[int, msgspec.Meta(ge=0)] = 60
    retry_max_delay_seconds: PositiveInt = 6 * 3600
    retry_window_seconds: Annotated[int, msgspec.Meta(ge=0)] = 3 * 24 * 3600
    secret_overlap_seconds: PositiveInt = 24 * 3600


class KycSettings(msgspec.Struct, frozen=True, rename=_prefixed("KYC_")):
    """Where identity documents are kept (a folder under the project, or an object-store URL such as
    `s3://bucket/kyc`), and the version of the key that seals new ones (older versions still open)."""

    document_store_url: str = ".data/kyc-documents"
    document_key_version: PositiveInt = 1


class ExportSettings(msgspec.Struct, frozen=True, rename=_prefixed("EXPORT_")):
    """Where exports are kept (like KYC documents: a folder or an object-store URL), the key version
    sealing new ones, and how far back a starting reporting worker catches up missed periods."""

    store_url: str = ".data/exports"
    key_version: PositiveInt = 1
    catch_up_days: PositiveInt = 35


class ScreeningSettings(msgspec.Struct, frozen=True, rename=_prefixed("SCREENING_")):
    """Sanctions and PEP screening: the score at which a name is a potential hit (policy default)."""

    hit_threshold: Annotated[float, msgspec.Meta(gt=0, le=1)] = 0.85
    rescreen_batch: PositiveInt = 5000


class MonitoringSettings(msgspec.Struct, frozen=True, rename=_prefixed("MONITORING_")):
    """How long officers have to decide a case (`review`; `block_and_review` or worse), and how long
    an API process may apply a superseded TM-04 version inline."""

    case_sla_hours: PositiveInt = 72
    urgent_case_sla_hours: PositiveInt = 24
    rule_cache_seconds: Annotated[float, msgspec.Meta(ge=0)] = 30.0
    """How long an API process keeps the TM-04 version it counts inline payments with."""


class RetentionSettings(msgspec.Struct, frozen=True, rename=_prefixed("RETENTION_")):
    """How many years after an account is closed its holder's personal data is anonymised
    (COMPLIANCE.md "Retention and personal data": 10 years after the end of the relationship)."""

    years: PositiveInt = 10


class Settings(msgspec.Struct, frozen=True):
    app: AppSettings
    server: ServerSettings
    db: DatabaseSettings
    redis: RedisSettings
    queue: QueueSettings
    log: LogSettings
    http: HttpSettings
    health: HealthSettings
    sms: SmsSettings
    auth: AuthSettings
    ledger: LedgerSettings
    webhook: WebhookSettings
    kyc: KycSettings
    exports: ExportSettings
    screening: ScreeningSettings
    monitoring: MonitoringSettings
    retention: RetentionSettings

    @property
    def web_workers(self) -> int:
        if self.server.web_concurrency is not None:
            return self.server.web_concurrency
        return (os.cpu_count() or 1) if self.app.is_production else 1

    @property
    def public_url(self) -> str:
        """Where people reach this server (payment links): APP_URL, else the address it listens on."""
        return (self.app.url or f"http://{self.server.host}:{self.server.port}").rstrip("/")


SectionT = TypeVar("SectionT", bound=msgspec.Struct)


def _section(env: Mapping[str, str], section: type[SectionT]) -> SectionT:
    try:
        return msgspec.convert(env, section, strict=False)
    except msgspec.ValidationError as exc:
        message, _, path = str(exc).partition(" - at `$.")
        variable = path.rstrip("`") or section.__name__
        raise SettingsError(f"{variable}: {message}") from exc


def _refuse_unsafe_production(settings: Settings) -> None:
    if not settings.app.is_production:
        return
    if settings.app.secret_key == DEFAULT_SECRET_KEY:
        raise SettingsError("APP_SECRET_KEY: the default secret cannot be used in production")
    if settings.app.debug:
        raise SettingsError("APP_DEBUG: debug mode cannot be enabled in production")
    if settings.sms.driver != "http":
        raise SettingsError(f"SMS_DRIVER: the {settings.sms.driver!r} driver cannot be used in production")
    if not settings.sms.http_url.startswith("https://"):
        raise SettingsError("SMS_HTTP_URL: production needs the https:// URL of the SMS gateway")
    if not settings.app.url.startswith("https://"):
        raise SettingsError("APP_URL: production needs the public https:// URL that payment links point to")
    if settings.auth.pin_pepper in {DEFAULT_PIN_PEPPER, settings.app.secret_key}:
        raise SettingsError(
            "AUTH_PIN_PEPPER: production needs its own secret, not the default nor APP_SECRET_KEY"
        )


def load_settings(env: Mapping[str, str] | None = None, dotenv_path: Path | None = None) -> Settings:
    """Build and validate settings; real environment variables win over `.env`."""
    if env is None:
        dotenv_file = dotenv_path or BASE_DIR / ".env"
        file_values = {k: v for k, v in dotenv_values(dotenv_file).items() if v is not None}
        env = {**file_values, **os.environ}
    env = {name: value for name, value in env.items() if value != ""}  # empty means unset
    settings = Settings(
        app=_section(env, AppSettings),
        server=_section(env, ServerSettings),
        db=_section(env, DatabaseSettings),
        redis=_section(env, RedisSettings),
        queue=_section(env, QueueSettings),
        log=_section(env, LogSettings),
        http=_section(env, HttpSettings),
        health=_section(env, HealthSettings),
        sms=_section(env, SmsSettings),
        auth=_section(env, AuthSettings),
        ledger=_section(env, LedgerSettings),
        webhook=_section(env, WebhookSettings),
        kyc=_section(env, KycSettings),
        exports=_section(env, ExportSettings),
        screening=_section(env, ScreeningSettings),
        monitoring=_section(env, MonitoringSettings),
        retention=_section(env, RetentionSettings),
    )
    settings.db.async_url  # noqa: B018 - validates DATABASE_URL eagerly
    settings.db.replica_async_url  # noqa: B018
    _refuse_unsafe_production(settings)
    return settings


@cache
def get_settings() -> Settings:
    """The process-wide settings, loaded once."""
    return load_settings()


def describe(settings: Settings) -> dict[str, Any]:
    """Settings as a flat `{VARIABLE: value}` map (for `.env.example` checks and diagnostics)."""
    flat: dict[str, Any] = {}
    for section in msgspec.structs.astuple(settings):
        flat.update(msgspec.to_builtins(section))
    return flat
