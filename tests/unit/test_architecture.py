"""The house's plan, checked: packages import downwards only and never in a circle, pages/ holds page objects
that know no step numbers, and no file grows past what one concern needs.

Imports are read from the files with `ast`, every import anywhere in a module (a lazy one inside a function
included): pages/ and fixtures/ install as runbook.pages and runbook.fixtures (pyproject.toml's package-dir), so
the module names are mapped to folders the way the installed package maps them.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]

# Bottom to top. A module may import from its own package and from packages of a lower layer only.
LAYERS: dict[str, int] = {
    "runbook": 0,  # the package itself: its version
    "runbook.core": 0,
    "runbook.browser": 1,
    "runbook.qr": 1,
    "runbook.share": 2,  # shows QR codes, drawn by runbook.qr
    "runbook.capture": 2,  # --capture's recording and scrubbing, and mock --replay (serves with fixtures' plumbing)
    "runbook.fixtures": 1,
    "runbook.eyes": 2,
    "runbook.pages": 3,
    "runbook.steps": 4,
    "runbook.connect": 5,
    "runbook.verify": 5,
    "runbook.login": 5,
    "runbook.status": 5,
    "runbook.disconnect": 5,
    "runbook.cli": 6,
    "runbook.__main__": 7,
}
MAX_LINES = 400
MAX_TOP_MODULES = 10


def _folders() -> dict[str, Path]:
    """Installed package name → source folder, as pyproject.toml's setuptools tables say."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    remapped = setuptools.get("package-dir", {})
    return {package: ROOT / remapped.get(package, package.replace(".", "/")) for package in setuptools["packages"]}


def _modules() -> dict[str, Path]:
    """Every module of the installed package, by its dotted name."""
    found: dict[str, Path] = {}
    for package, folder in _folders().items():
        for path in sorted(folder.glob("*.py")):
            name = package if path.name == "__init__.py" else f"{package}.{path.stem}"
            found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project's modules that `name` imports (`from x import y` counts y when y is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return {module for module in out if module in MODULES and module != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(module: str) -> tuple[str, int]:
    """The layer a module belongs to: its longest prefix in LAYERS."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in LAYERS:
            return prefix, LAYERS[prefix]
    raise AssertionError(f"{module} is in no layer of LAYERS: add its package there")


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        _layer(module)


def test_imports_go_down_the_layers() -> None:
    wrong = []
    for module, imported in GRAPH.items():
        home, rank = _layer(module)
        for other in sorted(imported):
            their_home, their_rank = _layer(other)
            if their_home != home and their_rank >= rank:
                wrong.append(f"{module} ({home}, layer {rank}) imports {other} ({their_home}, layer {their_rank})")
    assert wrong == []


def cycles(graph: dict[str, set[str]]) -> list[str]:
    """Every circle a depth-first walk of the graph meets, as "a → b → a"."""
    found: list[str] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for other in sorted(graph.get(module, ())):
            if state.get(other) == 1:
                found.append(" → ".join([*path[path.index(other) :], other]))
            elif other not in state:
                visit(other, [*path, other])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


def test_the_cycle_check_sees_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a → b → c → a"]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_only_the_cli_imports_typer() -> None:
    users = [
        name for name, path in MODULES.items() if re.search(r"^\s*(import typer|from typer)", path.read_text(), re.M)
    ]
    assert users and all(_layer(name)[0] == "runbook.cli" for name in users), users


_STEP_NUMBER = re.compile(r"\bstep\(\s*\d|\bdisconnect_step\(|\bsteps?\s+D?\d+\b|\b[Ss]tep\s+D?\d|\bD\d\b", re.I)


def test_page_objects_know_no_step_numbers() -> None:
    pages = _folders()["runbook.pages"]
    said = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(pages.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _STEP_NUMBER.search(line)
    ]
    assert said == []


def test_pages_holds_page_objects_only() -> None:
    """Each module of pages/ defines classes (one per screen or dialog) and no functions beside them."""
    others = []
    for path in sorted(_folders()["runbook.pages"].glob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
        functions = [
            node.name for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
        ]
        if not classes or functions:
            others.append(f"{path.name}: classes {[c.name for c in classes]}, functions {functions}")
    assert others == []


@pytest.mark.parametrize("suffix", [".py", ".js"])
def test_no_file_is_longer_than_one_concern_needs(suffix: str) -> None:
    mock_markup = ROOT / "fixtures" / "static"  # the mock's own front end stands for markup we do not write
    files = [
        path
        for folder in ("runbook", "pages", "fixtures", "tests", "bench")
        for path in (ROOT / folder).rglob(f"*{suffix}")
        if not path.is_relative_to(mock_markup)
    ]
    long = [f"{path.relative_to(ROOT)}: {n}" for path in files if (n := len(path.read_text().splitlines())) > MAX_LINES]
    assert files and long == []


def test_runbook_shows_its_packages_not_a_flat_list() -> None:
    top = sorted(path.name for path in (ROOT / "runbook").glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top
