"""Every public service method says why it exists (docs/ARCHITECTURE.md, convention 6)."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "src" / "ompay" / "services"
Function = ast.FunctionDef | ast.AsyncFunctionDef


def _public_functions(tree: ast.Module) -> list[tuple[str, Function]]:
    found: list[tuple[str, Function]] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            found += [
                (f"{node.name}.{member.name}", member)
                for member in node.body
                if isinstance(member, Function) and not member.name.startswith("_")
            ]
        elif isinstance(node, Function) and not node.name.startswith("_"):
            found.append((node.name, node))
    return found


def _is_property(function: Function) -> bool:
    return any("property" in ast.unparse(decorator) for decorator in function.decorator_list)


def test_every_public_service_method_has_a_docstring() -> None:
    undocumented = [
        f"{path.relative_to(SERVICES)}: {name}"
        for path in sorted(SERVICES.rglob("*.py"))
        for name, function in _public_functions(ast.parse(path.read_text()))
        if not _is_property(function) and ast.get_docstring(function) is None
    ]
    assert undocumented == []
