"""Settings come from the environment, are validated at start-up and name the bad variable."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec
import pytest

from config.settings import (
    DEFAULT_PIN_PEPPER,
    DEFAULT_SECRET_KEY,
    Settings,
    SettingsError,
    describe,
    load_settings,
)

PRODUCTION_SECRET = "p" * 48
PRODUCTION_PEPPER = "q" * 48
PRODUCTION = {
    "APP_ENV": "production",
    "APP_SECRET_KEY": PRODUCTION_SECRET,
    "AUTH_PIN_PEPPER": PRODUCTION_PEPPER,
    "SMS_DRIVER": "http",
}
GATEWAY = {"SMS_HTTP_URL": "https://sms.example.sn/send", "APP_URL": "https://pay.ompay.sn"}


def test_local_defaults_describe_a_local_stack() -> None:
    settings = load_settings({"APP_ENV": "local"})
    assert settings.app.has_sandbox
    assert settings.server.port == 8000
    assert settings.db.async_url.startswith("postgresql+asyncpg://")
    assert settings.sms.driver == "sandbox"


def test_without_app_env_it_is_production_and_refuses_the_default_secret() -> None:
    with pytest.raises(SettingsError, match=r"^APP_SECRET_KEY: "):
        load_settings({})
    secrets = {"APP_SECRET_KEY": PRODUCTION_SECRET, "AUTH_PIN_PEPPER": PRODUCTION_PEPPER}
    settings = load_settings({**secrets, "SMS_DRIVER": "http", **GATEWAY})
    assert settings.app.is_production
    assert not settings.app.has_sandbox


@pytest.mark.parametrize(("env", "has_sandbox"), [("local", True), ("test", True), ("production", False)])
def test_only_local_and_test_have_a_sandbox(env: str, has_sandbox: bool) -> None:
    assert load_settings({**PRODUCTION, **GATEWAY, "APP_ENV": env}).app.has_sandbox is has_sandbox


@pytest.mark.parametrize(
    ("env", "public_url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "9001"}, "http://127.0.0.1:9001"),
        ({"PORT": "9001", "APP_URL": "https://pay.ompay.sn/"}, "https://pay.ompay.sn"),
    ],
)
def test_payment_links_follow_the_port_unless_app_url_is_set(env: dict[str, str], public_url: str) -> None:
    assert load_settings({"APP_ENV": "local", **env}).public_url == public_url


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"APP_ENV": "staging"}, "APP_ENV"),
        ({"APP_SECRET_KEY": "short"}, "APP_SECRET_KEY"),
        ({"DATABASE_POOL_SIZE": "0"}, "DATABASE_POOL_SIZE"),
        ({"DATABASE_URL": "mysql://root@localhost/ompay"}, "DATABASE_URL"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"SMS_DRIVER": "pigeon"}, "SMS_DRIVER"),
    ],
)
def test_a_bad_value_is_refused_naming_its_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError, match=rf"^{variable}: "):
        load_settings(env)


def test_values_are_converted_from_strings() -> None:
    settings = load_settings(
        {
            "APP_ENV": "local",
            "PORT": "9001",
            "APP_DEBUG": "true",
            "CORS_ALLOW_ORIGINS": "https://a.sn, https://b.sn",
        }
    )
    assert settings.server.port == 9001
    assert settings.app.debug is True
    assert settings.http.cors_origins == ["https://a.sn", "https://b.sn"]


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"SMS_DRIVER": "http", **GATEWAY}, "APP_SECRET_KEY"),
        ({**PRODUCTION, **GATEWAY, "APP_DEBUG": "1"}, "APP_DEBUG"),
        ({"APP_SECRET_KEY": PRODUCTION_SECRET, "SMS_DRIVER": "sandbox"}, "SMS_DRIVER"),
        ({"APP_SECRET_KEY": PRODUCTION_SECRET, "SMS_DRIVER": "log"}, "SMS_DRIVER"),
        ({"APP_SECRET_KEY": PRODUCTION_SECRET, "SMS_DRIVER": "http"}, "SMS_HTTP_URL"),
        ({**PRODUCTION, "SMS_HTTP_URL": "http://sms.example.sn"}, "SMS_HTTP_URL"),
        ({**PRODUCTION, **GATEWAY, "APP_URL": ""}, "APP_URL"),
        ({**PRODUCTION, **GATEWAY, "APP_URL": "http://127.0.0.1:8000"}, "APP_URL"),
        ({**PRODUCTION, **GATEWAY, "AUTH_PIN_PEPPER": DEFAULT_PIN_PEPPER}, "AUTH_PIN_PEPPER"),
        ({**PRODUCTION, **GATEWAY, "AUTH_PIN_PEPPER": PRODUCTION_SECRET}, "AUTH_PIN_PEPPER"),
        ({**PRODUCTION, **GATEWAY, "AUTH_PIN_PEPPER": "short"}, "AUTH_PIN_PEPPER"),
    ],
)
def test_production_refuses_unsafe_settings(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError, match=rf"^{variable}: "):
        load_settings({"APP_ENV": "production", **env})


def test_production_starts_with_safe_settings() -> None:
    settings = load_settings({**PRODUCTION, **GATEWAY})
    assert settings.app.is_production
    assert settings.app.secret_key != DEFAULT_SECRET_KEY


def test_dotenv_fills_gaps_but_never_overrides_the_real_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("PORT=9100\nAPP_NAME=FromDotenv\n")
    monkeypatch.setenv("PORT", "9200")
    monkeypatch.delenv("APP_NAME", raising=False)
    settings = load_settings(dotenv_path=dotenv)
    assert settings.server.port == 9200
    assert settings.app.name == "FromDotenv"


def _as_env(value: object) -> str:
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


def test_env_example_lists_every_variable_with_its_default() -> None:
    example = Path(__file__).resolve().parents[2] / ".env.example"
    declared = dict(
        line.split("=", 1) for line in example.read_text().splitlines() if line and not line.startswith("#")
    )
    default_settings = Settings(*(field.type() for field in msgspec.structs.fields(Settings)))
    defaults = {name: _as_env(value) for name, value in describe(default_settings).items()}
    assert declared == defaults


def test_exports_read_the_replica_only_when_one_is_configured() -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    from config.database import reports_engine

    primary = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:5432/ompay")
    without = load_settings({"APP_ENV": "local"}, dotenv_path=Path("/nonexistent"))
    assert reports_engine(without.db, primary) is primary
    replica_url = "postgres://reader@replica.internal:5432/ompay"
    with_replica = load_settings(
        {"APP_ENV": "local", "DATABASE_REPLICA_URL": replica_url}, dotenv_path=Path("/nonexistent")
    )
    engine = reports_engine(with_replica.db, primary)
    assert engine is not primary
    assert (engine.url.host, engine.url.username, engine.url.drivername) == (
        "replica.internal",
        "reader",
        "postgresql+asyncpg",
    )
    with pytest.raises(SettingsError, match="DATABASE_REPLICA_URL"):
        load_settings({"APP_ENV": "local", "DATABASE_REPLICA_URL": "mysql://x/y"}, dotenv_path=Path("/none"))


def test_ompay_run_uses_every_core_in_production_unless_told() -> None:
    production = {**PRODUCTION, **GATEWAY}
    assert load_settings(production).web_workers == (os.cpu_count() or 1)
    assert load_settings({**production, "WEB_CONCURRENCY": "3"}).web_workers == 3
    assert load_settings({"APP_ENV": "local"}).web_workers == 1
