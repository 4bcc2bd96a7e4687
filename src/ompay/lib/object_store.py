"""Files kept outside the database, encrypted at rest: an object store behind `obstore`.

A local folder by default (`.data/`), any S3-compatible store by URL in production. Each file
is sealed with AES-256-GCM under a versioned key (the version is recorded beside the file, so
a rotated key still opens old files); the object's name is bound in as associated data, so a
file copied under another name does not open. The SHA-256 of the plaintext is returned for the
record and checked again on every read.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import obstore
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from obstore.store import LocalStore, ObjectStore, from_url

_NONCE_BYTES = 12


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


class EncryptedFiles:
    def __init__(self, store: ObjectStore, keys: Mapping[int, bytes], current: int) -> None:
        self.store = store
        self.keys = keys
        self.current = current

    async def put(self, key: str, plaintext: bytes) -> StoredFile:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = nonce + AESGCM(self.keys[self.current]).encrypt(nonce, plaintext, key.encode())
        await obstore.put_async(self.store, key, sealed)
        return StoredFile(key, hashlib.sha256(plaintext).hexdigest(), len(plaintext), self.current)

    async def get(self, stored: StoredFile) -> bytes:
        sealed = bytes(await (await obstore.get_async(self.store, stored.key)).bytes_async())
        nonce, ciphertext = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
        try:
            plaintext = AESGCM(self.keys[stored.key_version]).decrypt(nonce, ciphertext, stored.key.encode())
        except Exception as exc:
            raise CorruptFile(stored.key) from exc
        if hashlib.sha256(plaintext).hexdigest() != stored.sha256:
            raise CorruptFile(stored.key)
        return plaintext

    async def delete(self, key: str) -> None:
        """Idempotent: a file already gone is not an error (S3 does not report one either)."""
        with suppress(FileNotFoundError):  # a local folder reports it
            await obstore.delete_async(self.store, key)
