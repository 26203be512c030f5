"""The package's layering: streamlit only under review/ui/, and no import loop anywhere.

Imports inside functions count too: a loop dodged by a late import is still a loop in the
design (the modules cannot be understood or changed apart).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "review"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")
            if "migrations" not in p.parts}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The review.* modules ``path`` imports (``from pkg import sub`` counts as ``pkg.sub``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            skip.update(id(n) for n in ast.walk(node))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "review")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            if base.split(".")[0] != "review":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    # a submodule importing its own parent package only runs the parent's __init__
    return {m for m in found if m in known and not name.startswith(m + ".")}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, name, known) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None (depth-first search)."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = GREY
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if colour.get(nxt) == GREY:
                return stack[stack.index(nxt):] + [nxt]
            if colour.get(nxt) == WHITE:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        colour[node] = BLACK
        return None

    for start in sorted(graph):
        if colour[start] == WHITE:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_no_import_loop_in_the_package() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import loop: " + " -> ".join(cycle)


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
    ({"a": {"a"}}, ["a", "a"]),
])
def test_the_cycle_finder_finds_loops(graph: dict, expected: list | None) -> None:
    assert find_cycle(graph) == expected


def test_a_late_import_loop_is_found(tmp_path: Path) -> None:
    """A loop dodged with an import inside a function still counts."""
    one = tmp_path / "one.py"
    one.write_text("from review.two import x\n")
    two = tmp_path / "two.py"
    two.write_text("def f():\n    from review.one import y\n")
    known = {"review.one", "review.two"}
    graph = {"review.one": _imports(one, "review.one", known),
             "review.two": _imports(two, "review.two", known)}
    assert find_cycle(graph) == ["review.one", "review.two", "review.one"]


def test_only_the_ui_imports_streamlit() -> None:
    offenders = []
    for name, path in _modules().items():
        if name.startswith("review.ui"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "streamlit" for n in names):
                offenders.append(name)
    assert offenders == []


PACKAGE_LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("lang", "text"),
    ("segment", "metrics", "quality", "retranslate"),
    ("accounts",),
    ("db",),
    ("checks", "formats", "dashboard", "jobs"),
    ("ranking",),
    ("services",),
    ("worker", "seed"),
    ("cli", "ui"),
    ("__main__",),
)
"""The packages of ``review/`` from the bottom up: a package imports only from layers below
its own, so no two packages depend on each other (docs/architecture.md draws this)."""


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for module, imported in graph.items():
        mine = out.setdefault(package_of(module), set())
        mine.update(package_of(m) for m in imported if package_of(m) != package_of(module))
    return out


def test_no_package_cycle_and_every_arrow_points_down() -> None:
    packages = package_graph(import_graph())
    packages.pop("review", None)  # the package's own __init__
    assert find_cycle(packages) is None, "package cycle: " + " -> ".join(
        find_cycle(packages) or [])
    layer = {name: i for i, names in enumerate(PACKAGE_LAYERS) for name in names}
    unplaced = sorted(set(packages) - set(layer))
    assert not unplaced, f"place the new package(s) {unplaced} in PACKAGE_LAYERS"
    upward = sorted(f"{a} -> {b}" for a, deps in packages.items() for b in deps
                    if layer[b] >= layer[a])
    assert upward == [], f"imports that do not point down a layer: {upward}"


def test_a_package_cycle_is_found() -> None:
    graph = {"review.a.x": {"review.b.y"}, "review.b.y": set(), "review.b.z": {"review.a.w"},
             "review.a.w": set()}
    assert find_cycle(package_graph(graph)) == ["a", "b", "a"]
