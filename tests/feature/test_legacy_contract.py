"""Every legacy route answers with the status and message the Laravel app (Alou66/OMPay) gave.

`CONTRACT` lists each route of the original `routes/api.php` with its success and main refusals.
`source` says where the expected answer comes from: the Laravel class that produced it, or
LEGACY_API.md where that document overrides the original (it wins where they disagree).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from httpx import AsyncClient, Response
from litestar import Litestar

from tests import support
from tests.feature.test_legacy_auth import legacy_customer
from tests.identity import bearer, latest_code
from tests.merchant_support import funded_customer, merchant_with_key, onboard

VALIDATION = "Données de validation invalides"
UNAUTHENTICATED = "Authentification requise"
INSUFFICIENT = "Solde insuffisant pour effectuer cette opération"
UNKNOWN_PHONE = "781234999"
NOT_MY_ACCOUNT = "0190c8a4-7d6e-7000-8000-000000000000"


@dataclass
class World:
    """Customers and merchants the contract's calls act on; `alice` is funded, `bob` is not."""

    client: AsyncClient
    alice: dict[str, Any]
    alice_tokens: dict[str, Any]
    bob: dict[str, Any]
    bob_tokens: dict[str, Any]
    pending: dict[str, Any]
    merchant_code: str
    inactive_merchant_code: str
    owner_tokens: dict[str, Any]

    def alice_auth(self) -> dict[str, str]:
        return bearer(self.alice_tokens)

    def bob_auth(self) -> dict[str, str]:
        return bearer(self.bob_tokens)

    async def post(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
        return await self.client.post(path, json=body, headers=headers)

    async def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return await self.client.get(path, headers=headers)


Call = Callable[[World], Awaitable[Response]]


@dataclass(frozen=True)
class Case:
    route: str
    situation: str
    status: int
    message: str | re.Pattern[str]
    source: str
    call: Call
    fields: tuple[str, ...] = ()


async def _activated(client: AsyncClient, **overrides: Any) -> tuple[dict[str, Any], Response]:
    body = legacy_customer(**overrides)
    assert (await client.post("/api/auth/register", json=body)).status_code == 200
    code = await latest_code(client, body["telephone"])
    return body, await client.post("/api/auth/verify-otp", json={"telephone": body["telephone"], "otp": code})


async def _build_world(client: AsyncClient) -> World:
    alice, alice_verified = await _activated(client)
    bob, bob_verified = await _activated(client)
    pending = legacy_customer()
    assert (await client.post("/api/auth/register", json=pending)).status_code == 200
    merchant, _, owner_tokens = await merchant_with_key(client)
    other_owner, _ = await funded_customer(client, 0)
    inactive = await onboard(client, other_owner["phone"], approve=False, trade_name="Chez Awa")
    world = World(
        client,
        alice,
        alice_verified.json()["data"]["tokens"],
        bob,
        bob_verified.json()["data"]["tokens"],
        pending,
        merchant["code"],
        inactive["code"],
        owner_tokens,
    )
    funded = await world.post("/api/ompay/deposit", {"amount": 20_000}, world.alice_auth())
    assert funded.status_code == 200, funded.text
    return world


async def _login(w: World, customer: dict[str, Any], password: str | None = None) -> Response:
    body = {"telephone": customer["telephone"], "password": password or customer["password"]}
    return await w.post("/api/auth/login", body)


async def _locked_login(w: World) -> Response:
    for _ in range(5):
        await _login(w, w.pending, "mauvais-mdp")
    return await _login(w, w.pending, "mauvais-mdp")


async def _fourth_code_in_the_hour(w: World) -> Response:
    """Registration sent the first code, the success case above the second."""
    await w.post("/api/auth/request-otp", {"telephone": w.pending["telephone"]})
    return await w.post("/api/auth/request-otp", {"telephone": w.pending["telephone"]})


async def _first_sign_in_by_code(w: World) -> Response:
    _, verified = await _activated(w.client)
    return verified


async def _wrong_code(w: World) -> Response:
    return await w.post("/api/auth/verify-otp", {"telephone": w.pending["telephone"], "otp": "000000"})


async def _logout_of_a_new_session(w: World) -> Response:
    tokens = (await _login(w, w.alice)).json()["data"]
    return await w.post("/api/ompay/logout", {}, bearer(tokens))


async def _own_account_history(w: World) -> Response:
    account_id = (await w.get("/api/ompay/balance", w.alice_auth())).json()["data"]["compte_id"]
    return await w.get(f"/api/ompay/transactions/{account_id}", w.alice_auth())


def _transfer(to: Callable[[World], str], amount: Any, sender: str = "alice") -> Call:
    async def call(w: World) -> Response:
        headers = w.alice_auth() if sender == "alice" else w.bob_auth()
        return await w.post("/api/ompay/transfer", {"recipient_telephone": to(w), "amount": amount}, headers)

    return call


def _pay(code: Callable[[World], str], amount: Any, payer: str = "alice") -> Call:
    async def call(w: World) -> Response:
        headers = {"alice": w.alice_auth, "bob": w.bob_auth, "owner": lambda: bearer(w.owner_tokens)}[payer]()
        return await w.post("/api/paiement/marchand", {"code_marchand": code(w), "montant": amount}, headers)

    return call


CONTRACT: tuple[Case, ...] = (
    Case(
        "POST /api/auth/register",
        "new customer",
        200,
        "Utilisateur créé avec succès – demande de vérification OTP",  # noqa: RUF001 - the original's dash
        "OmpayController::register (success is 200, never 201)",
        lambda w: w.post("/api/auth/register", legacy_customer()),
    ),
    Case(
        "POST /api/auth/register",
        "phone already registered",
        422,
        VALIDATION,
        "Auth\\RegisterRequest (telephone.unique)",
        lambda w: w.post("/api/auth/register", legacy_customer(telephone=w.alice["telephone"])),
        ("telephone",),
    ),
    Case(
        "POST /api/auth/register",
        "invalid type_compte",
        422,
        VALIDATION,
        "Auth\\RegisterRequest (type_compte.in)",
        lambda w: w.post("/api/auth/register", legacy_customer(type_compte="premium")),
        ("type_compte",),
    ),
    Case(
        "POST /api/auth/request-otp",
        "registered phone",
        200,
        "Code OTP envoyé par SMS",
        "OmpayController::requestOTP",
        lambda w: w.post("/api/auth/request-otp", {"telephone": w.pending["telephone"]}),
    ),
    Case(
        "POST /api/auth/request-otp",
        "unknown phone",
        422,
        VALIDATION,
        "Auth\\RequestOTPRequest (telephone.exists)",
        lambda w: w.post("/api/auth/request-otp", {"telephone": UNKNOWN_PHONE}),
        ("telephone",),
    ),
    Case(
        "POST /api/auth/request-otp",
        "fourth code within the hour",
        429,
        "Trop de tentatives. Veuillez réessayer dans une heure.",
        "LEGACY_API.md (the original answered 400 with this message)",
        _fourth_code_in_the_hour,
    ),
    Case(
        "POST /api/auth/verify-otp",
        "right code",
        200,
        "Connexion réussie",
        "OmpayController::verifyOTP",
        _first_sign_in_by_code,
    ),
    Case(
        "POST /api/auth/verify-otp",
        "wrong code",
        400,
        "Code OTP invalide ou expiré.",
        "AuthService::verifyOTP via OmpayController::verifyOTP",
        _wrong_code,
    ),
    Case(
        "POST /api/auth/verify-otp",
        "code that is not 6 digits",
        422,
        VALIDATION,
        "Auth\\VerifyOTPRequest (otp.size, otp.regex)",
        lambda w: w.post("/api/auth/verify-otp", {"telephone": w.pending["telephone"], "otp": "12a"}),
        ("otp",),
    ),
    Case(
        "POST /api/auth/login",
        "right password",
        200,
        "Connexion réussie",
        "OmpayController::login",
        lambda w: _login(w, w.alice),
    ),
    Case(
        "POST /api/auth/login",
        "wrong password",
        401,
        "Identifiants invalides.",
        "AuthService::authenticate via OmpayController::login",
        lambda w: _login(w, w.alice, "mauvais-mdp"),
    ),
    Case(
        "POST /api/auth/login",
        "account not activated yet",
        401,
        "Compte non activé. Veuillez vérifier votre numéro de téléphone.",
        "AuthService::authenticate via OmpayController::login",
        lambda w: _login(w, w.pending),
    ),
    Case(
        "POST /api/auth/login",
        "after 5 wrong passwords",
        429,
        re.compile(r"Compte verrouillé\. Réessayez dans \d+ secondes\."),
        "LEGACY_API.md (the original answered 401 with this message)",
        _locked_login,
    ),
    Case(
        "POST /api/auth/login",
        "missing password",
        422,
        VALIDATION,
        "Auth\\LoginRequest (password.required)",
        lambda w: w.post("/api/auth/login", {"telephone": w.alice["telephone"]}),
        ("password",),
    ),
    Case(
        "POST /api/auth/refresh",
        "valid refresh token",
        200,
        "Token rafraîchi",
        "OmpayController::refreshToken",
        lambda w: w.post("/api/auth/refresh", {"refresh_token": w.bob_tokens["refresh_token"]}),
    ),
    Case(
        "POST /api/auth/refresh",
        "unknown refresh token",
        400,
        "Refresh token invalide ou expiré.",
        "AuthService::refreshToken via OmpayController::refreshToken",
        lambda w: w.post("/api/auth/refresh", {"refresh_token": "inconnu"}),
    ),
    Case(
        "POST /api/auth/refresh",
        "missing refresh token",
        422,
        VALIDATION,
        "Auth\\RefreshTokenRequest (refresh_token.required)",
        lambda w: w.post("/api/auth/refresh", {}),
        ("refresh_token",),
    ),
    Case(
        "POST /api/ompay/logout",
        "signed in",
        200,
        "Déconnexion réussie",
        "OmpayController::logout",
        _logout_of_a_new_session,
    ),
    Case(
        "POST /api/ompay/logout",
        "no token",
        401,
        UNAUTHENTICATED,
        "Exceptions\\Handler (AuthenticationException)",
        lambda w: w.post("/api/ompay/logout", {}),
    ),
    Case(
        "GET /api/ompay/balance",
        "signed in",
        200,
        "Solde récupéré avec succès",
        "OmpayController::getBalance",
        lambda w: w.get("/api/ompay/balance", w.alice_auth()),
    ),
    Case(
        "GET /api/ompay/balance",
        "no token",
        401,
        UNAUTHENTICATED,
        "Exceptions\\Handler (AuthenticationException)",
        lambda w: w.get("/api/ompay/balance"),
    ),
    Case(
        "POST /api/ompay/deposit",
        'numeric string "1000"',
        200,
        "Dépôt effectué avec succès",
        "OmpayController::deposit, DepositRequest (amount numeric)",
        lambda w: w.post("/api/ompay/deposit", {"amount": "1000"}, w.alice_auth()),
    ),
    Case(
        "POST /api/ompay/deposit",
        "fractional amount",
        422,
        VALIDATION,
        "LEGACY_API.md (whole XOF; the original accepted 100.5)",
        lambda w: w.post("/api/ompay/deposit", {"amount": 100.5}, w.alice_auth()),
        ("amount",),
    ),
    Case(
        "POST /api/ompay/deposit",
        "above 5 000 000",
        422,
        VALIDATION,
        "DepositRequest (amount.max)",
        lambda w: w.post("/api/ompay/deposit", {"amount": 5_000_001}, w.alice_auth()),
        ("amount",),
    ),
    Case(
        "POST /api/ompay/withdraw",
        "amount 1000.0",
        200,
        "Retrait effectué avec succès",
        "OmpayController::withdraw",
        lambda w: w.post("/api/ompay/withdraw", {"amount": 1000.0}, w.alice_auth()),
    ),
    Case(
        "POST /api/ompay/withdraw",
        "more than the balance",
        400,
        INSUFFICIENT,
        "InsufficientFundsException via OmpayController::withdraw",
        lambda w: w.post("/api/ompay/withdraw", {"amount": 10_000}, w.bob_auth()),
    ),
    Case(
        "POST /api/ompay/withdraw",
        "below 100",
        422,
        VALIDATION,
        "WithdrawRequest (amount.min)",
        lambda w: w.post("/api/ompay/withdraw", {"amount": 99}, w.alice_auth()),
        ("amount",),
    ),
    Case(
        "POST /api/ompay/transfer",
        "to another customer",
        200,
        "Transfert effectué avec succès",
        "OmpayController::transfer",
        _transfer(lambda w: w.bob["telephone"], 2500),
    ),
    Case(
        "POST /api/ompay/transfer",
        "to oneself",
        400,
        "Impossible de transférer vers son propre compte",
        "TransactionService::transfer via OmpayController::transfer",
        _transfer(lambda w: w.alice["telephone"], 500),
    ),
    Case(
        "POST /api/ompay/transfer",
        "to an unknown phone",
        404,
        "Utilisateur destinataire introuvable",
        "LEGACY_API.md 404; message of TransactionService::transfer",
        _transfer(lambda w: UNKNOWN_PHONE, 500),
    ),
    Case(
        "POST /api/ompay/transfer",
        "to an account not activated yet",
        400,
        "Le compte destinataire n'est pas actif",
        "TransactionService::transfer via OmpayController::transfer",
        _transfer(lambda w: w.pending["telephone"], 500),
    ),
    Case(
        "POST /api/ompay/transfer",
        "more than the balance",
        400,
        INSUFFICIENT,
        "InsufficientFundsException via OmpayController::transfer",
        _transfer(lambda w: w.alice["telephone"], 10_000, sender="bob"),
    ),
    Case(
        "POST /api/ompay/transfer",
        "non-numeric amount",
        422,
        VALIDATION,
        "TransferRequest (amount numeric)",
        _transfer(lambda w: w.bob["telephone"], "mille"),
        ("amount",),
    ),
    Case(
        "GET /api/ompay/history",
        "signed in",
        200,
        "Historique récupéré avec succès",
        "OmpayController::getHistory",
        lambda w: w.get("/api/ompay/history", w.alice_auth()),
    ),
    Case(
        "GET /api/ompay/history",
        "no token",
        401,
        UNAUTHENTICATED,
        "Exceptions\\Handler (AuthenticationException)",
        lambda w: w.get("/api/ompay/history"),
    ),
    Case(
        "GET /api/ompay/transactions/{compteId}",
        "own account",
        200,
        "Historique récupéré avec succès",
        "OmpayController::getTransactions",
        _own_account_history,
    ),
    Case(
        "GET /api/ompay/transactions/{compteId}",
        "someone else's or no account",
        404,
        "Compte non trouvé ou accès non autorisé.",
        "GetTransactionsAction via OmpayController::getTransactions",
        lambda w: w.get(f"/api/ompay/transactions/{NOT_MY_ACCOUNT}", w.alice_auth()),
    ),
    Case(
        "POST /api/paiement/marchand",
        "approved merchant",
        200,
        "Paiement effectué avec succès",
        "PaiementController::payerMarchand",
        _pay(lambda w: w.merchant_code, 1000),
    ),
    Case(
        "POST /api/paiement/marchand",
        "unknown merchant code",
        422,
        VALIDATION,
        "PaiementMarchandRequest (code_marchand.exists)",
        _pay(lambda w: "MCH00000000", 1000),
        ("code_marchand",),
    ),
    Case(
        "POST /api/paiement/marchand",
        "merchant not active",
        400,
        "Le compte marchand n'est pas actif",
        "PaiementService::payerMarchand via PaiementController",
        _pay(lambda w: w.inactive_merchant_code, 1000),
    ),
    Case(
        "POST /api/paiement/marchand",
        "own merchant account",
        400,
        "Impossible de payer son propre compte marchand",
        "PaiementService::payerMarchand via PaiementController",
        _pay(lambda w: w.merchant_code, 1000, payer="owner"),
    ),
    Case(
        "POST /api/paiement/marchand",
        "more than the balance",
        400,
        INSUFFICIENT,
        "InsufficientFundsException via PaiementController",
        _pay(lambda w: w.merchant_code, 10_000, payer="bob"),
    ),
    Case(
        "POST /api/paiement/marchand",
        "below 100",
        422,
        VALIDATION,
        "PaiementMarchandRequest (montant.min)",
        _pay(lambda w: w.merchant_code, 50),
        ("montant",),
    ),
    Case(
        "GET /api/dashboard",
        "signed in",
        200,
        "Dashboard utilisateur",
        "OmpayController::dashboard",
        lambda w: w.get("/api/dashboard", w.alice_auth()),
    ),
    Case(
        "GET /api/dashboard",
        "no token",
        401,
        UNAUTHENTICATED,
        "Exceptions\\Handler (AuthenticationException)",
        lambda w: w.get("/api/dashboard"),
    ),
)


def _difference(case: Case, response: Response) -> str | None:
    """What differs from the contract, or None."""
    body = response.json()
    expected_keys = {"success", "message", "data"} if case.status == 200 else {"success", "message", "errors"}
    message_ok = (
        case.message.fullmatch(body.get("message", ""))
        if isinstance(case.message, re.Pattern)
        else body.get("message") == case.message
    )
    fields_ok = not case.fields or list(body.get("errors") or {}) == list(case.fields)
    if (
        response.status_code == case.status
        and message_ok
        and fields_ok
        and body.get("success") is (case.status == 200)
        and set(body) <= expected_keys
        and "message" in body
    ):
        return None
    return f"{case.route} ({case.situation}; {case.source}): got {response.status_code} {body}"


async def test_every_legacy_route_answers_as_the_laravel_app() -> None:
    """One world, every case in order; the request limits are lifted (tested on their own below)."""
    async with support.app_with_env(
        AUTH_RATE_LIMIT_PER_MINUTE="1000", USER_RATE_LIMIT_PER_MINUTE="1000"
    ) as client:
        world = await _build_world(client)
        differences = [_difference(case, await case.call(world)) for case in CONTRACT]
    assert [difference for difference in differences if difference] == []


def _legacy_routes(app: Litestar) -> set[str]:
    routes = set()
    for route in app.routes:
        if route.path.startswith("/api/") and not route.path.startswith("/api/v1"):
            for method in route.methods - {"HEAD", "OPTIONS"}:
                routes.add(f"{method} {route.path.rstrip('/')}")
    return routes


def test_the_contract_lists_every_legacy_route() -> None:
    """On an app of its own: other tests add probe routes to the shared one."""
    from ompay.app import create_app

    listed = {re.sub(r"\{compteId\}", "{compte_id:uuid}", case.route) for case in CONTRACT}
    assert _legacy_routes(create_app()) == listed


async def test_sign_in_routes_throttled_per_ip_answer_the_original_message() -> None:
    async with support.app_with_env(AUTH_RATE_LIMIT_PER_MINUTE="2") as client:
        for _ in range(2):
            await client.post("/api/auth/login", json={"telephone": UNKNOWN_PHONE, "password": "x"})
        throttled = await client.post("/api/auth/request-otp", json={"telephone": UNKNOWN_PHONE})
    assert throttled.status_code == 429
    assert throttled.json() == {
        "success": False,
        "message": "Trop de tentatives OTP. Veuillez réessayer dans une minute.",
        "errors": None,
    }
    assert int(throttled.headers["retry-after"]) > 0
