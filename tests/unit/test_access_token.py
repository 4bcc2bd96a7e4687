"""Remembered access tokens still expire on time and stay bound to the secret that verified them."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from litestar.exceptions import NotAuthorizedException

from ompay.http.auth import AccessToken

SECRET = "s" * 32
OTHER_SECRET = "o" * 32


def _encoded(lifetime: timedelta) -> str:
    token = AccessToken(exp=datetime.now(UTC) + lifetime, sub="user-1", jti="j1", extras={"sid": "s1"})
    return token.encode(SECRET, "HS256")


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    encoded = _encoded(timedelta(seconds=1))
    assert AccessToken.decode(encoded, SECRET, "HS256").sub == "user-1"
    time.sleep(1.1)
    with pytest.raises(NotAuthorizedException):
        AccessToken.decode(encoded, SECRET, "HS256")


def test_a_token_remembered_under_one_secret_is_not_accepted_under_another() -> None:
    encoded = _encoded(timedelta(minutes=5))
    assert AccessToken.decode(encoded, SECRET, "HS256").sub == "user-1"
    with pytest.raises(NotAuthorizedException):
        AccessToken.decode(encoded, OTHER_SECRET, "HS256")
