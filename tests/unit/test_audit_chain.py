"""The audit hash chain: deterministic, and any change to a link is detected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from ompay.domain.audit_chain import GENESIS_HASH, ChainLink, canonical_json, link_hash, link_is_valid

CONTENT = {
    "id": "e1",
    "action": "user.login",
    "occurred_at": datetime(2026, 1, 1, tzinfo=UTC),
    "changes": {"a": 1},
}


def _link(prev: str, content: dict[str, object], seq: int = 1) -> ChainLink:
    return ChainLink(seq=seq, content=content, prev_hash=prev, hash=link_hash(prev, content))


def test_canonical_json_ignores_key_order_and_timezone_representation() -> None:
    reordered = dict(reversed(list(CONTENT.items())))
    dakar_equivalent = {
        **CONTENT,
        "occurred_at": datetime(2026, 1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
    }
    assert canonical_json(CONTENT) == canonical_json(reordered) == canonical_json(dakar_equivalent)


def test_a_link_is_valid_only_after_its_predecessor() -> None:
    link = _link(GENESIS_HASH, CONTENT)
    assert link_is_valid(link, GENESIS_HASH)
    assert not link_is_valid(link, "f" * 64)


@given(
    st.dictionaries(st.sampled_from(["action", "actor_id", "target_id"]), st.text(max_size=20), min_size=1)
)
def test_any_change_to_the_content_breaks_the_link(changes: dict[str, str]) -> None:
    link = _link(GENESIS_HASH, CONTENT)
    tampered = ChainLink(link.seq, {**CONTENT, **changes}, link.prev_hash, link.hash)
    assert link_is_valid(tampered, GENESIS_HASH) == (tampered.content == CONTENT)
