"""Files kept outside the database, encrypted at rest: an object store behind `obstore`.

A local folder by default (`.data/`), any S3-compatible store by URL in production. Each file
is sealed with AES-256-GCM under a versioned key (the version is recorded beside the file, so
a rotated key still opens old files), in frames of at most 1 MiB so that files larger than
memory (exports) stream in and out. Each frame's nonce carries its number and its associated
data the object's name and whether it is the last frame: a file copied under another name,
reordered, or cut short does not open. The SHA-256 of the plaintext is returned for the record
and checked again at the end of every read.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import obstore
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from obstore.store import LocalStore, ObjectStore, from_url

from ompay.lib.crypto import derive_key

FRAME = 1 << 20
_TAG = 16
_PREFIX = 8
_FORMAT = b"\x01"


@dataclass(frozen=True, slots=True)
class StoredFile:
    key: str
    sha256: str
    size: int
    key_version: int


class CorruptFile(ValueError):
    """A stored file does not decrypt, or its hash does not match the record."""


def open_store(url: str, base_dir: Path) -> ObjectStore:
    """`s3://…`, `memory://` or `file:///…` by URL; a plain path is a local folder under `base_dir`."""
    if "://" in url:
        return from_url(url)
    folder = base_dir / url
    folder.mkdir(parents=True, exist_ok=True)
    return LocalStore(folder)


def sealed_store(url: str, base_dir: Path, secret: str, purpose: str, current: int) -> EncryptedFiles:
    """A store whose key versions 1..`current` derive from `secret`, the newest sealing new files."""
    keys = {n: derive_key(secret, f"{purpose}-v{n}") for n in range(1, current + 1)}
    return EncryptedFiles(open_store(url, base_dir), keys, current)


def _nonce(prefix: bytes, number: int) -> bytes:
    return prefix + number.to_bytes(4, "big")


def _associated(key: str, last: bool) -> bytes:
    return key.encode() + (b"\x00last" if last else b"\x00more")


class SealedWriter:
    """Seals plaintext written in pieces of any size; `close` completes the upload."""

    def __init__(self, store: ObjectStore, key: str, cipher: AESGCM, version: int) -> None:
        self.key = key
        self._cipher = cipher
        self._version = version
        self._prefix = os.urandom(_PREFIX)
        self._frames = 0
        self._pending = bytearray()
        self._hash = hashlib.sha256()
        self._size = 0
        self._upload = obstore.open_writer_async(store, key)
        self._started = False

    async def write(self, plaintext: bytes) -> None:
        self._hash.update(plaintext)
        self._size += len(plaintext)
        self._pending += plaintext
        while len(self._pending) > FRAME:
            await self._seal(bytes(self._pending[:FRAME]), last=False)
            del self._pending[:FRAME]

    async def close(self) -> StoredFile:
        await self._seal(bytes(self._pending), last=True)
        await self._upload.close()
        return StoredFile(self.key, self._hash.hexdigest(), self._size, self._version)

    async def _seal(self, frame: bytes, *, last: bool) -> None:
        if not self._started:
            await self._upload.write(_FORMAT + self._prefix)
            self._started = True
        nonce = _nonce(self._prefix, self._frames)
        await self._upload.write(self._cipher.encrypt(nonce, frame, _associated(self.key, last)))
        self._frames += 1


class EncryptedFiles:
    def __init__(self, store: ObjectStore, keys: Mapping[int, bytes], current: int) -> None:
        self.store = store
        self.keys = keys
        self.current = current

    def writer(self, key: str) -> SealedWriter:
        return SealedWriter(self.store, key, AESGCM(self.keys[self.current]), self.current)

    async def put(self, key: str, plaintext: bytes) -> StoredFile:
        writer = self.writer(key)
        await writer.write(plaintext)
        return await writer.close()

    async def stream(self, stored: StoredFile) -> AsyncIterator[bytes]:
        """The plaintext frame by frame; raises `CorruptFile` at the first frame that does not open
        and, after the last one, if the whole does not hash to the record."""
        cipher = AESGCM(self.keys[stored.key_version])
        result = await obstore.get_async(self.store, stored.key)
        buffer, frames, digest = bytearray(), 0, hashlib.sha256()
        prefix: bytes | None = None
        async for chunk in result.stream(min_chunk_size=FRAME + _TAG):
            buffer += chunk
            if prefix is None and len(buffer) > _PREFIX:
                if buffer[:1] != _FORMAT:
                    raise CorruptFile(stored.key)
                prefix, buffer = bytes(buffer[1 : 1 + _PREFIX]), buffer[1 + _PREFIX :]
            while prefix is not None and len(buffer) > FRAME + _TAG:
                frame = self._open(cipher, stored, prefix, frames, bytes(buffer[: FRAME + _TAG]), last=False)
                del buffer[: FRAME + _TAG]
                frames += 1
                digest.update(frame)
                yield frame
        if prefix is None:
            raise CorruptFile(stored.key)
        frame = self._open(cipher, stored, prefix, frames, bytes(buffer), last=True)
        digest.update(frame)
        if digest.hexdigest() != stored.sha256:
            raise CorruptFile(stored.key)
        yield frame

    async def get(self, stored: StoredFile) -> bytes:
        return b"".join([frame async for frame in self.stream(stored)])

    async def delete(self, key: str) -> None:
        """Idempotent: a file already gone is not an error (S3 does not report one either)."""
        with suppress(FileNotFoundError):  # a local folder reports it
            await obstore.delete_async(self.store, key)

    @staticmethod
    def _open(
        cipher: AESGCM, stored: StoredFile, prefix: bytes, number: int, sealed: bytes, *, last: bool
    ) -> bytes:
        try:
            return cipher.decrypt(_nonce(prefix, number), sealed, _associated(stored.key, last))
        except Exception as exc:
            raise CorruptFile(stored.key) from exc
