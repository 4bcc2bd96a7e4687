"""Every document the code or the docs cite (`LEDGER.md`, `bench/README.md`, ...) is in the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DESIGN = ROOT / "docs" / "design"
SOURCES = ("src", "config", "routes", "jobs", "database", "tests", "bench", "docker", "docs")
CITATION = re.compile(r"(?<![\w/.-])((?:[\w-]+/)*[A-Z][\w-]*\.md)\b")


def _citing_files() -> list[Path]:
    files = [ROOT / "Makefile", ROOT / "README.md", ROOT / "pyproject.toml"]
    for folder in SOURCES:
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in {".py", ".md", ".yaml", ".lua", ""}]
    return [p for p in files if p.is_file() and "__pycache__" not in p.parts]


def _resolves(citation: str, citing: Path, documents: set[str]) -> bool:
    """A path exists from the root or the citing file; a bare name is any document of that name."""
    if "/" in citation:
        return (ROOT / citation).is_file() or (citing.parent / citation).is_file()
    return citation in documents


def test_every_cited_document_exists() -> None:
    citing_files = _citing_files()
    documents = {p.name for p in citing_files if p.suffix == ".md"}
    missing = [
        f"{citing.relative_to(ROOT)} cites {citation}"
        for citing in citing_files
        for citation in CITATION.findall(citing.read_text(errors="ignore"))
        if not _resolves(citation, citing, documents)
    ]
    assert not missing, missing
    assert (DESIGN / "LEDGER.md").is_file()
    assert (DESIGN / "LEGACY_API.md").is_file()
    assert (ROOT / "bench" / "README.md").is_file()
