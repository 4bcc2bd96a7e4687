"""The Laravel-era auth routes keep their messages, fields and status codes (LEGACY_API.md)."""

from __future__ import annotations

import itertools
from typing import Any

from httpx import AsyncClient

from tests.identity import latest_code

_numbers = itertools.count(5001)


def legacy_customer(**overrides: Any) -> dict[str, Any]:
    n = next(_numbers)
    return {
        "nom": "Fall",
        "prenom": "Moussa",
        "telephone": f"78{n:07d}",
        "password": "motdepasse1",
        "password_confirmation": "motdepasse1",
        "cni": f"SN{n:09d}",
        "sexe": "Homme",
        "date_naissance": "1985-02-03",
        **overrides,
    }


async def _activated(client: AsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
    body = legacy_customer()
    assert (await client.post("/api/auth/register", json=body)).status_code == 200
    code = await latest_code(client, body["telephone"])
    verified = await client.post("/api/auth/verify-otp", json={"telephone": body["telephone"], "otp": code})
    return body, verified.json()["data"]["tokens"]


async def test_register_answers_the_legacy_envelope(client: AsyncClient) -> None:
    response = await client.post("/api/auth/register", json=legacy_customer())
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "message": "Utilisateur créé avec succès – demande de vérification OTP",  # noqa: RUF001
        "data": {"code_marchand": None},
    }


async def test_register_validation_uses_the_legacy_field_names(client: AsyncClient) -> None:
    bad = legacy_customer(telephone="611111111", password_confirmation="different1")
    response = await client.post("/api/auth/register", json=bad)
    assert response.status_code == 422
    assert response.json()["message"] == "Données de validation invalides"
    assert list(response.json()["errors"]) == ["password_confirmation"]
    bad_phone = await client.post("/api/auth/register", json=legacy_customer(telephone="611111111"))
    assert list(bad_phone.json()["errors"]) == ["telephone"]


async def test_duplicate_phone_or_cni_is_422_on_that_field(client: AsyncClient) -> None:
    first = legacy_customer()
    await client.post("/api/auth/register", json=first)
    phone = await client.post("/api/auth/register", json=legacy_customer(telephone=first["telephone"]))
    cni = await client.post("/api/auth/register", json=legacy_customer(cni=first["cni"]))
    assert (phone.status_code, list(phone.json()["errors"])) == (422, ["telephone"])
    assert (cni.status_code, list(cni.json()["errors"])) == (422, ["cni"])


async def test_request_otp_for_an_unknown_phone(client: AsyncClient) -> None:
    response = await client.post("/api/auth/request-otp", json={"telephone": "781111111"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"telephone": ["Ce numéro de téléphone n'est pas enregistré."]}


async def test_request_otp_limit_has_the_legacy_message(client: AsyncClient) -> None:
    body = legacy_customer()
    await client.post("/api/auth/register", json=body)
    sent = await client.post("/api/auth/request-otp", json={"telephone": body["telephone"]})
    assert sent.json() == {"success": True, "message": "Code OTP envoyé par SMS"}
    await client.post("/api/auth/request-otp", json={"telephone": body["telephone"]})
    limited = await client.post("/api/auth/request-otp", json={"telephone": body["telephone"]})
    assert limited.status_code == 429
    assert limited.json() == {
        "success": False,
        "message": "Trop de tentatives. Veuillez réessayer dans une heure.",
        "errors": None,
    }


async def test_verify_otp_returns_tokens_and_refuses_a_wrong_code(client: AsyncClient) -> None:
    body = legacy_customer()
    await client.post("/api/auth/register", json=body)
    code = await latest_code(client, body["telephone"])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = await client.post("/api/auth/verify-otp", json={"telephone": body["telephone"], "otp": wrong})
    assert (refused.status_code, refused.json()["message"]) == (400, "Code OTP invalide ou expiré.")
    verified = await client.post("/api/auth/verify-otp", json={"telephone": body["telephone"], "otp": code})
    assert verified.json()["message"] == "Connexion réussie"
    tokens = verified.json()["data"]["tokens"]
    assert set(tokens) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert (tokens["token_type"], tokens["expires_in"]) == ("Bearer", 900)


async def test_login_wrong_password_then_lockout_message(client: AsyncClient) -> None:
    body, _ = await _activated(client)
    attempt = {"telephone": body["telephone"], "password": "mauvais-mdp"}
    wrong = await client.post("/api/auth/login", json=attempt)
    assert wrong.status_code == 401
    assert wrong.json() == {"success": False, "message": "Identifiants invalides.", "errors": None}
    for _ in range(4):
        locked = await client.post("/api/auth/login", json=attempt)
    assert locked.status_code == 429
    assert (
        locked.json()["message"]
        == f"Compte verrouillé. Réessayez dans {locked.headers['retry-after']} secondes."
    )


async def test_login_refresh_and_logout(client: AsyncClient) -> None:
    body, _ = await _activated(client)
    login = await client.post(
        "/api/auth/login", json={"telephone": body["telephone"], "password": body["password"]}
    )
    assert login.json()["message"] == "Connexion réussie"
    pair = login.json()["data"]
    refreshed = await client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.json()["message"] == "Token rafraîchi"
    new_pair = refreshed.json()["data"]
    headers = {"Authorization": f"Bearer {new_pair['access_token']}"}
    logout = await client.post("/api/ompay/logout", headers=headers)
    assert logout.json() == {"success": True, "message": "Déconnexion réussie"}
    again = await client.post("/api/ompay/logout", headers=headers)
    assert again.status_code == 401
    assert again.json() == {
        "success": False,
        "message": "Authentification requise",
        "errors": {"auth": "Token d'authentification manquant ou invalide"},
    }


async def test_legacy_refusals_keep_english_for_clients_that_ask_for_it(client: AsyncClient) -> None:
    body, _ = await _activated(client)
    attempt = {"telephone": body["telephone"], "password": "mauvais-mdp"}
    wrong = await client.post("/api/auth/login", json=attempt, headers={"Accept-Language": "en"})
    assert (wrong.status_code, wrong.json()["message"]) == (401, "Wrong phone number or password")
