"""Files sealed frame by frame: any size round-trips, and a file cut short, reordered, renamed or
altered does not open."""

from __future__ import annotations

import hashlib

import obstore
import pytest
from obstore.store import MemoryStore

from ompay.lib.object_store import FRAME, CorruptFile, EncryptedFiles, StoredFile


def files() -> EncryptedFiles:
    return EncryptedFiles(MemoryStore(), {1: b"k" * 32, 2: b"K" * 32}, current=2)


@pytest.mark.parametrize("size", [0, 1, FRAME - 1, FRAME, FRAME + 1, 3 * FRAME + 17])
async def test_any_size_round_trips_in_pieces(size: int) -> None:
    store = files()
    plaintext = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    writer = store.writer("exports/a.csv")
    for start in range(0, size, 300_001):
        await writer.write(plaintext[start : start + 300_001])
    stored = await writer.close()
    assert stored == StoredFile("exports/a.csv", hashlib.sha256(plaintext).hexdigest(), size, 2)
    assert await store.get(stored) == plaintext
    frames = [frame async for frame in store.stream(stored)]
    assert all(len(frame) <= FRAME for frame in frames)


async def test_a_file_cut_at_a_frame_boundary_or_copied_under_another_name_does_not_open() -> None:
    store = files()
    stored = await store.put("exports/b.csv", b"y" * (2 * FRAME + 5))
    sealed = bytes(await (await obstore.get_async(store.store, stored.key)).bytes_async())
    cut = sealed[: 1 + 8 + 2 * (FRAME + 16)]
    await obstore.put_async(store.store, "exports/cut.csv", cut)
    await obstore.put_async(store.store, "exports/copy.csv", sealed)
    flipped = bytearray(sealed)
    flipped[-1] ^= 1
    await obstore.put_async(store.store, "exports/flipped.csv", bytes(flipped))
    for key in ("exports/cut.csv", "exports/copy.csv", "exports/flipped.csv"):
        with pytest.raises(CorruptFile):
            await store.get(StoredFile(key, stored.sha256, stored.size, stored.key_version))
    with pytest.raises(CorruptFile):
        await store.get(StoredFile(stored.key, "0" * 64, stored.size, stored.key_version))
