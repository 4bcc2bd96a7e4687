"""Bad input gets a 422 naming the public field, in the client's language (v1 and legacy)."""

from __future__ import annotations

import re
from typing import Any, get_args

import pytest
from httpx import AsyncClient, Response
from litestar import Litestar
from litestar.params import ParameterKwarg

from ompay.schemas.fields import PATTERN_MESSAGES, RequestBody
from tests.identity import active_customer, bearer, new_customer, register
from tests.merchant_support import PIN, funded_customer, merchant_with_key

EN = {"Accept-Language": "en"}
NO_CONTROL = "Ne doit être ni vide ni contenir de caractère de contrôle."
FULL_WIDTH_PIN = "\uff14\uff18\uff12\uff11"  # 4821 in full-width digits
ENGLISH = re.compile(r"Expected|Invalid|Object|missing|got `|body")


def problem_errors(response: Response, status: int = 422) -> dict[str, str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def legacy_errors(response: Response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["success"] is False
    errors: dict[str, list[str]] = body["errors"]
    return errors


def legacy_registration(**overrides: Any) -> dict[str, Any]:
    v1 = new_customer()
    return {
        "nom": "Diop",
        "prenom": "Awa",
        "telephone": v1["phone"],
        "password": "password-123",
        "password_confirmation": "password-123",
        "cni": v1["national_id"],
        "sexe": "Femme",
        "date_naissance": "1990-05-17",
        **overrides,
    }


@pytest.mark.parametrize("field", ["first_name", "last_name", "national_id", "phone"])
async def test_a_nul_character_in_registration_is_a_422_naming_the_field(
    client: AsyncClient, field: str
) -> None:
    _, response = await register(client, **{field: new_customer()[field][:4] + "\u0000" + "12345"})
    assert problem_errors(response) == {field: NO_CONTROL}


async def test_a_nul_character_in_a_password_or_email_is_a_422(client: AsyncClient) -> None:
    _, password = await register(client, password="correct\u0000horse")
    assert problem_errors(password) == {"password": "Ne doit pas contenir de caractère de contrôle."}
    _, email = await register(client, email="a\u0000@b.sn")
    assert problem_errors(email) == {"email": "Adresse e-mail invalide."}
    login = await client.post(
        "/api/v1/auth/login", json={"phone": "771234567", "password": "x\u0000"}, headers=EN
    )
    assert problem_errors(login) == {"password": "Must not contain control characters."}


async def test_a_nul_character_in_a_legacy_body_is_a_422_in_the_envelope(client: AsyncClient) -> None:
    registration = await client.post("/api/auth/register", json=legacy_registration(nom="Di\u0000op"))
    assert legacy_errors(registration) == {"nom": [NO_CONTROL]}
    login = await client.post(
        "/api/auth/login", json={"telephone": "77123\u00004567", "password": "x"}, headers=EN
    )
    assert legacy_errors(login) == {"telephone": ["Must not be blank or contain control characters."]}


async def test_nul_characters_in_money_and_merchant_bodies_are_422s(client: AsyncClient) -> None:
    _, key, _ = await merchant_with_key(client)
    for body, field in [
        ({"amount": 1000, "description": "caf\u0000e"}, "description"),
        ({"amount": 1000, "client_reference": "CMD\u000042"}, "client_reference"),
        ({"amount": 1000, "metadata": {"order": "4\u00002"}}, "metadata"),
        ({"amount": 1000, "metadata": {"ord\u0000er": "42"}}, "metadata"),
    ]:
        response = await client.post("/api/v1/merchant/payment-requests", json=body, headers=key)
        assert set(problem_errors(response)) == {field}, body
    webhook = await client.post(
        "/api/v1/merchant/webhook-endpoints", json={"url": "https://shop.example.sn/\u0000"}, headers=key
    )
    assert problem_errors(webhook) == {"url": NO_CONTROL}


async def test_nul_characters_in_query_filters_and_path_keys_are_422s(client: AsyncClient) -> None:
    _, key, owner = await merchant_with_key(client)
    by_reference = await client.get(
        "/api/v1/merchant/payment-requests", params={"client_reference": "CMD\u0000"}, headers=key
    )
    assert problem_errors(by_reference) == {"client_reference": NO_CONTROL}
    events = await client.get("/api/v1/merchant/events", params={"type": "payment\u0000"}, headers=key)
    assert problem_errors(events) == {"type": NO_CONTROL}
    one = await client.get("/api/v1/wallet/transactions/abc%00", headers=bearer(owner))
    assert problem_errors(one) == {"key": NO_CONTROL}


@pytest.mark.parametrize("amount", ["100", "1e3", 100.0, 1e3], ids=repr)
async def test_v1_amounts_are_strict_integers(client: AsyncClient, amount: Any) -> None:
    _, tokens = await active_customer(client)
    body = {"kind": "p2p_transfer", "amount": amount}
    french = await client.post("/api/v1/quotes", json=body, headers=bearer(tokens))
    english = await client.post("/api/v1/quotes", json=body, headers={**bearer(tokens), **EN})
    assert problem_errors(french) == {"amount": "Doit être de type nombre entier."}
    assert problem_errors(english) == {"amount": "Must be an integer."}
    whole = await client.post("/api/v1/quotes", json={**body, "amount": 1000}, headers=bearer(tokens))
    assert whole.status_code == 201, whole.text


async def test_text_is_trimmed_and_a_blank_name_is_refused(client: AsyncClient) -> None:
    _, response = await register(client, first_name="  Aminata ", last_name=" Diop")
    assert response.status_code == 201, response.text
    user = response.json()["user"]
    assert (user["first_name"], user["last_name"]) == ("Aminata", "Diop")
    _, blank = await register(client, first_name="   ")
    assert problem_errors(blank) == {"first_name": NO_CONTROL}
    legacy = await client.post("/api/auth/register", json=legacy_registration(prenom=" "))
    assert legacy_errors(legacy) == {"prenom": [NO_CONTROL]}


async def test_full_width_digits_are_a_422_that_costs_no_pin_attempt(client: AsyncClient) -> None:
    _, tokens = await funded_customer(client, 0)
    for _ in range(5):  # more than the 3 wrong PINs that lock
        response = await client.put(
            "/api/v1/me/pin", json={"current_pin": FULL_WIDTH_PIN, "new_pin": "1357"}, headers=bearer(tokens)
        )
        assert problem_errors(response) == {"current_pin": "Doit être composé de 4 chiffres (0-9)."}
    changed = await client.put(
        "/api/v1/me/pin", json={"current_pin": PIN, "new_pin": "1357"}, headers=bearer(tokens)
    )
    assert changed.status_code == 204, changed.text


async def test_full_width_digits_in_codes_and_phones_are_422s(client: AsyncClient) -> None:
    code = await client.post("/api/v1/auth/otp/verify", json={"phone": "771234567", "code": "\uff11" * 6})
    assert problem_errors(code) == {"code": "Doit être composé de 6 chiffres (0-9)."}
    _, phone = await register(client, phone="77\uff11\uff12\uff13\uff14\uff15\uff16\uff17")
    assert list(problem_errors(phone)) == ["phone"]


async def test_errors_name_the_public_query_parameter(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    wrong = await client.get(
        "/api/v1/wallet/transactions", params={"from": "yesterday"}, headers=bearer(tokens)
    )
    assert list(problem_errors(wrong)) == ["from"]
    missing = await client.get(
        "/api/v1/wallet/statement", params={"to": "2026-01-31T00:00:00Z"}, headers=bearer(tokens)
    )
    assert problem_errors(missing) == {"from": "Ce paramètre est obligatoire."}
    english = await client.get(
        "/api/v1/wallet/statement", params={"to": "2026-01-31T00:00:00Z"}, headers={**bearer(tokens), **EN}
    )
    assert problem_errors(english) == {"from": "This parameter is required."}


async def test_a_missing_body_is_named_and_explained(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    missing = await client.post("/api/v1/quotes", headers=bearer(tokens))
    assert problem_errors(missing) == {"body": "Un corps JSON est obligatoire."}


async def test_an_enum_error_lists_the_allowed_values(client: AsyncClient) -> None:
    _, sex = await register(client, sex="robot")
    assert problem_errors(sex) == {"sex": "Valeur non permise. Valeurs possibles : male, female."}
    _, tokens = await active_customer(client)
    kind = await client.get(
        "/api/v1/wallet/transactions", params={"direction": "up"}, headers={**bearer(tokens), **EN}
    )
    assert problem_errors(kind) == {"direction": "Not allowed. Allowed values: credit, debit."}
    legacy = await client.post("/api/auth/register", json=legacy_registration(sexe="X"))
    [message] = legacy_errors(legacy)["sexe"]
    assert message == "Valeur non permise. Valeurs possibles : " + ", ".join(sorted(["Homme", "Femme"])) + "."


async def test_french_answers_carry_no_english_validation_text(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    headers = bearer(tokens)
    cases = [
        ("/api/v1/auth/register", {**new_customer(), "birth_date": "1990-13-01"}),
        ("/api/v1/auth/register", {**new_customer(), "first_name": "x" * 101}),
        ("/api/v1/auth/register", {"phone": "771234567"}),
        ("/api/v1/auth/register", [1]),
        ("/api/v1/quotes", {"kind": "p2p_transfer", "amount": 0}),
        ("/api/v1/quotes", {"kind": "p2p_transfer", "amount": 10**12}),
        ("/api/v1/transfers", {"recipient_phone": "771234567", "amount": 100, "pin": PIN, "quote_id": "x"}),
        ("/api/v1/transfers", {"recipient_phone": "771234567", "amount": 100, "pin": PIN, "description": 5}),
        ("/api/v1/auth/logout", {"everywhere": "yes"}),
        ("/api/v1/merchant/api-keys", {"name": "server", "scopes": []}),
    ]
    for path, body in cases:
        errors = problem_errors(await client.post(path, json=body, headers=headers))
        assert not any(ENGLISH.search(message) for message in errors.values()), (path, errors)


async def test_a_customer_token_on_a_merchant_route_is_told_an_api_key_is_needed(client: AsyncClient) -> None:
    _, tokens = await active_customer(client)
    french = await client.get("/api/v1/merchant/balance", headers=bearer(tokens))
    english = await client.get("/api/v1/merchant/payment-requests", headers={**bearer(tokens), **EN})
    for response in (french, english):
        assert response.status_code == 401
        assert response.json()["code"] == "API_KEY_REQUIRED"
    assert "clé d'API" in french.json()["detail"]
    assert "API key" in english.json()["detail"]
    revoked = await client.get("/api/v1/merchant/balance", headers={"Authorization": "Bearer ompay_sk_nope"})
    assert (revoked.status_code, revoked.json()["code"]) == (401, "API_KEY_INVALID")


def test_every_request_body_and_text_parameter_goes_through_the_shared_text_rules(app: Litestar) -> None:
    """A new route cannot forget them: bodies are `RequestBody`s and text parameters carry a pattern."""
    unguarded = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []) if route.path.startswith("/api") else []:
            for name, parameter in handler.parsed_fn_signature.parameters.items():
                types = (parameter.annotation, *get_args(parameter.annotation))
                if name == "data":
                    if not any(isinstance(t, type) and issubclass(t, RequestBody) for t in types):
                        unguarded.append(f"{route.path} body")
                elif str in types:
                    kwarg = parameter.kwarg_definition
                    if not isinstance(kwarg, ParameterKwarg) or kwarg.pattern not in PATTERN_MESSAGES:
                        unguarded.append(f"{route.path} {name}")
    assert unguarded == []
