"""The webhook verification recipe in the README accepts what OMPAY signs, and only that."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from ompay.domain.webhooks import new_secret, signature_header

README = Path(__file__).resolve().parents[2] / "README.md"


def _documented_verify() -> Callable[[str, str, bytes], bool]:
    section = README.read_text().split("### Verifying a webhook", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code, "the README shows how to verify a signature"
    namespace: dict[str, object] = {}
    exec(code.group(1), namespace)
    return namespace["verify"]  # type: ignore[return-value]


def test_the_readme_recipe_verifies_real_signatures_during_a_rotation() -> None:
    verify = _documented_verify()
    old, new = new_secret(), new_secret()
    body = b'{"id":"evt_1","type":"payment_request.succeeded"}'
    header = signature_header([new, old], int(time.time()), body)
    assert verify(new, header, body)
    assert verify(old, header, body)
    assert not verify(new_secret(), header, body)
    assert not verify(new, header, body + b" ")
    assert not verify(new.removeprefix("whsec_"), header, body)  # the key is the whole secret


def test_the_readme_recipe_refuses_a_stale_timestamp() -> None:
    verify = _documented_verify()
    secret, body = new_secret(), b"{}"
    assert not verify(secret, signature_header([secret], int(time.time()) - 3600, body), body)
