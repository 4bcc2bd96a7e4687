"""Legacy amounts keep Laravel's `numeric` leniency but stay whole XOF within their bounds."""

from __future__ import annotations

import re

import pytest

from ompay.schemas.legacy_amounts import DepositAmount, TransferAmount


@pytest.mark.parametrize("raw", [1000, 1000.0, "1000", "1000.0", "1e3", " 1000 ", "+1000"])
def test_numeric_forms_of_a_whole_amount_are_accepted(raw: object) -> None:
    amount = TransferAmount.parse(raw)
    assert (amount, type(amount)) == (1000, TransferAmount)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (100.5, "Le montant doit être un nombre entier de FCFA (sans décimales)."),
        ("100.5", "Le montant doit être un nombre entier de FCFA (sans décimales)."),
        ("mille", "Le montant doit être un nombre."),
        ("1_000", "Le montant doit être un nombre."),
        ("NaN", "Le montant doit être un nombre."),
        ("Infinity", "Le montant doit être un nombre."),
        ("", "Le montant doit être un nombre."),
        (True, "Le montant doit être un nombre."),
        ([1000], "Le montant doit être un nombre."),
        (None, "Le montant est obligatoire."),
        (99, "Le montant minimum est de 100 FCFA."),
        ("-1000", "Le montant minimum est de 100 FCFA."),
        (1_000_001, "Le montant maximum est de 1 000 000 FCFA."),
        ("1e999999999", "Le montant maximum est de 1 000 000 FCFA."),
    ],
)
def test_refusals_are_worded_as_the_laravel_app_did(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        TransferAmount.parse(raw)


def test_each_amount_type_has_its_own_ceiling() -> None:
    assert DepositAmount.parse(5_000_000) == 5_000_000
    with pytest.raises(ValueError, match="maximum est de 5 000 000 FCFA"):
        DepositAmount.parse(5_000_001)
