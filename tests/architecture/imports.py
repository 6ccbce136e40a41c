"""Every import in a source tree, read with the ast module (inside functions too), and kopdesk's layer rules over them.

The rules (docs: README, "How the code is laid out"):

- ``kopdesk.models`` (the domain and its services) imports neither ``kopdesk.reports`` nor ``kopdesk.ui`` nor
  ``kopdesk.cli`` nor PySide6;
- ``kopdesk.reports`` holds renderers only: data in, bytes or a file out. It imports neither ``kopdesk.ui`` nor
  ``kopdesk.cli`` nor PySide6, and nothing that reaches the database (SQLAlchemy, ``kopdesk.models.db``, the ORM
  modules, the services); what it draws comes as plain data from ``kopdesk.models.documents``;
- only ``kopdesk.ui`` imports PySide6; ``kopdesk.cli`` never imports ``kopdesk.ui``;
- the packages form no import cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Import:
    """One import statement's target, as the absolute dotted name it resolves to."""

    module: str  # the importing module, dotted
    target: str  # what it imports: "pkg.mod" or "pkg.mod.name" for ``from pkg.mod import name``
    path: Path
    line: int
    local: bool  # inside a function or method

    def __str__(self) -> str:
        where = "in a function" if self.local else "at module level"
        return f"{self.path}:{self.line} {self.module} imports {self.target} ({where})"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join(base + ([name] if name else []))


def imports_of(root: Path, path: Path) -> Iterator[Import]:
    """The imports of one file, module level and inside functions alike."""
    module = module_name(root, path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def walk(node: ast.AST, local: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            inner = local or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(module, alias.name, path, child.lineno, local)
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(module, path.name == "__init__.py", child.level, child.module)
                for alias in child.names:
                    yield Import(module, f"{base}.{alias.name}" if base else alias.name, path, child.lineno, local)
            elif isinstance(child, ast.Call) and _is_dynamic_import(child):
                arg = child.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield Import(module, arg.value, path, child.lineno, local)
            yield from walk(child, inner)

    yield from walk(tree, False)


def _is_dynamic_import(call: ast.Call) -> bool:
    f = call.func
    named = (isinstance(f, ast.Attribute) and f.attr == "import_module") or (
        isinstance(f, ast.Name) and f.id in ("import_module", "__import__"))
    return named and bool(call.args)


def all_imports(root: Path, package: str = "kopdesk") -> list[Import]:
    found: list[Import] = []
    for path in sorted((root / package).rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue  # Alembic scripts: run by Alembic, imported by nothing
        found.extend(imports_of(root, path))
    return found


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


# (importer prefix, forbidden target prefixes, why)
RULES: list[tuple[str, tuple[str, ...], str]] = [
    ("kopdesk.models", ("kopdesk.reports", "kopdesk.ui", "kopdesk.cli", "kopdesk.launcher", "PySide6", "shiboken6"),
     "the domain draws no documents and knows no window or command line"),
    ("kopdesk.reports", ("kopdesk.ui", "kopdesk.cli", "kopdesk.launcher", "PySide6", "shiboken6"),
     "renderers know no window or command line"),
    ("kopdesk.reports", ("sqlalchemy", "alembic", "psycopg", "kopdesk.models.db", "kopdesk.models.services",
                         "kopdesk.models.base", "kopdesk.models.migrate", "kopdesk.models.queries",
                         "kopdesk.models.cooperative", "kopdesk.models.office", "kopdesk.models.certificate",
                         "kopdesk.models.teguran", "kopdesk.models.supervision", "kopdesk.models.health",
                         "kopdesk.models.rat", "kopdesk.models.region", "kopdesk.models.user",
                         "kopdesk.models.audit", "kopdesk.models.lookup"),
     "renderers take plain data (kopdesk.models.documents), never a session, a table or a service"),
    ("kopdesk.cli", ("kopdesk.ui", "PySide6", "shiboken6"), "the command line runs without Qt"),
    ("kopdesk.paths", ("kopdesk.models", "kopdesk.reports", "kopdesk.ui", "kopdesk.cli", "PySide6"),
     "paths is the bottom of the graph"),
]
QT_ALLOWED = ("kopdesk.ui",)


def violations(imports: Iterable[Import]) -> list[str]:
    bad: list[str] = []
    for imp in imports:
        for importer, forbidden, why in RULES:
            if _under(imp.module, importer) and any(_under(imp.target, f) for f in forbidden):
                bad.append(f"{imp}: {why}")
        if (_under(imp.target, "PySide6") or _under(imp.target, "shiboken6")) and not any(
                _under(imp.module, p) for p in QT_ALLOWED):
            bad.append(f"{imp}: only kopdesk.ui imports Qt")
    return sorted(set(bad))


def package_of(name: str, depth: int) -> str | None:
    parts = name.split(".")
    if parts[0] != "kopdesk" or len(parts) < 2:
        return None
    return ".".join(parts[: min(depth, len(parts))])


def package_cycles(imports: Iterable[Import], packages: Iterable[str]) -> list[list[str]]:
    """Cycles in the graph of the given packages (an edge: some module of A imports something of B)."""
    pkgs = sorted(packages, key=len, reverse=True)

    def owner(name: str) -> str | None:
        return next((p for p in pkgs if _under(name, p)), None)

    edges: dict[str, set[str]] = {p: set() for p in pkgs}
    for imp in imports:
        a, b = owner(imp.module), owner(imp.target)
        if a and b and a != b and not _under(a, b) and not _under(b, a):
            edges[a].add(b)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(p: str) -> None:
        state[p] = 1
        stack.append(p)
        for q in sorted(edges[p]):
            if state.get(q) == 1:
                cycles.append([*stack[stack.index(q):], q])
            elif q not in state:
                visit(q)
        stack.pop()
        state[p] = 2

    for p in sorted(edges):
        if p not in state:
            visit(p)
    return cycles
