"""The package's shape: its modules import one another one way, and the linter reads them all."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, name: str, known: set[str]) -> set[str]:
    """The package's modules ``path`` imports anywhere (in functions too), except under
    ``if TYPE_CHECKING:``, which only the type checker runs."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    start = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*start, *([base] if base else [])])
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    visit([n for n in inner if isinstance(n, ast.stmt)])
            for handler in getattr(node, "handlers", None) or ():
                visit(handler.body)

    visit(ast.parse(path.read_text("utf-8")).body)
    return (found & known) - {name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round about (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(paths)
    return {name: _imported(path, name, known) for name, path in paths.items()}


def test_the_reading_of_imports_finds_a_cycle_where_there_is_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    modules = _graph()
    assert "sitegen.build" in modules["sitegen.cli"] or "sitegen.oneshot" in modules["sitegen.cli"]
    assert "sitegen.outputs" in modules["sitegen.outputs.feeds"]  # a relative-free `from sitegen.outputs import`


def test_no_two_modules_import_each_other_even_inside_functions() -> None:
    """Data flows one way: a module imported late (inside a function, to keep start-up
    light) must not hide a cycle."""
    graph = _graph()
    assert _cycles(graph) == []
    for front in ("sitegen.watch", "sitegen.serve", "sitegen.status", "sitegen.oneshot", "sitegen.build"):
        assert "sitegen.cli" not in graph[front], f"{front} imports the command line"


def test_the_linter_reads_every_module_of_the_package() -> None:
    """pyproject's exclusions are anchored: ``content`` excludes the site's content folder,
    not sitegen/content/."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        if __import__("os").environ.get("SITEGEN_STRICT"):
            pytest.fail("ruff is not installed")
        pytest.skip("ruff is not installed")
    listed = subprocess.run([ruff, "check", "--show-files", "sitegen"], cwd=PACKAGE.parent, capture_output=True,
                            text=True, check=False).stdout
    shown = {Path(line.strip()).resolve() for line in listed.splitlines() if line.strip().endswith(".py")}
    every = {p.resolve() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    assert every and every <= shown, sorted(str(p) for p in every - shown)
