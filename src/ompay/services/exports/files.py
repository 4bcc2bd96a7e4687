"""Writes each report query as a CSV file and a JSON Lines file, batch by batch as rows arrive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from config.settings import BASE_DIR, Settings
from ompay.domain.export_format import FileDigest, csv_lines, json_lines
from ompay.lib.object_store import EncryptedFiles, SealedWriter, StoredFile, sealed_store
from ompay.repositories.reports import ReportQuery, ReportReader


def export_files(settings: Settings) -> EncryptedFiles:
    """The encrypted export store: key versions derived from APP_SECRET_KEY, the newest sealing."""
    exports = settings.exports
    return sealed_store(exports.store_url, BASE_DIR, settings.app.secret_key, "exports", exports.key_version)


@dataclass(frozen=True, slots=True)
class WrittenFile:
    digest: FileDigest
    stored: StoredFile

    def record(self) -> dict[str, Any]:
        """What the export row keeps of the file: enough to find, open and check it."""
        return {
            "name": self.digest.name,
            "rows": self.digest.rows,
            "size": self.stored.size,
            "sha256": self.stored.sha256,
            "key": self.stored.key,
            "key_version": self.stored.key_version,
        }


def stored_file(record: dict[str, Any]) -> StoredFile:
    """The object behind one file of an export record."""
    return StoredFile(record["key"], record["sha256"], record["size"], record["key_version"])


class _Output:
    def __init__(self, files: EncryptedFiles, folder: str, name: str) -> None:
        self.name = name
        self.writer: SealedWriter = files.writer(f"{folder}/{name}")
        self.rows = 0

    async def write(self, chunk: bytes, rows: int) -> None:
        """Rows are counted here, as they are written, for the manifest."""
        await self.writer.write(chunk)
        self.rows += rows

    async def close(self) -> WrittenFile:
        """Completes the upload; the digest describes exactly the bytes stored."""
        stored = await self.writer.close()
        return WrittenFile(FileDigest(self.name, self.rows, stored.size, stored.sha256), stored)


async def write_query(
    files: EncryptedFiles, reader: ReportReader, query: ReportQuery, folder: str
) -> list[WrittenFile]:
    """The CSV starts with its header line; both files hold every row, in the query's order."""
    csv_file = _Output(files, folder, f"{query.name}.csv")
    json_file = _Output(files, folder, f"{query.name}.jsonl")
    started = False
    async for columns, rows in reader.stream(query):
        if not started:
            await csv_file.write(csv_lines([columns]), 0)
            started = True
        await csv_file.write(csv_lines(rows), len(rows))
        await json_file.write(json_lines(columns, rows), len(rows))
    return [await csv_file.close(), await json_file.close()]


async def write_manifest(files: EncryptedFiles, folder: str, manifest: bytes) -> WrittenFile:
    """Written last, beside the files it describes; its own digest is kept on the export record."""
    output = _Output(files, folder, "manifest.json")
    await output.write(manifest, 0)
    return await output.close()
