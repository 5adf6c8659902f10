"""The shape of the package's imports, read from the source with ``ast`` (nothing is imported).

- (a) the modules of ``arshjul`` import each other without a cycle: every import looks down
  (scenario → instance → cpsat → plan → exporters; cli and commands on top);
- (b) only ``arshjul.cpsat`` imports OR-Tools;
- (c) no ``import`` runs inside a function, except of an optional extra (Dask), which may be
  missing;
- (d) a module is imported by name at run time (``importlib.import_module``) in two places
  only, each for start-up time: the CLI's lazy command registry and the package's PEP 562
  ``__getattr__`` (:data:`DYNAMIC_IMPORTS`);
- (e) ``arshjul validate``, ``check`` and ``report``, run as a planner runs them, never load
  OR-Tools.

A module's *top-level* imports are the ones that run when it is imported: those in its body,
in a class body, or under ``if`` / ``try`` / ``with`` at the top, but not under
``if TYPE_CHECKING:``.  An edge goes to the module that an import statement runs:
``from .x import name`` to ``arshjul.x``; ``from . import x`` to ``arshjul.x`` when that is a
module.  Importing a submodule also runs its package's ``__init__``; those implicit edges are
left out (Python handles a package importing its own submodules).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import yaml

import arshjul
from arshjul.cli import COMMANDS, main
from arshjul.scenario import from_data
from conftest import base, merge, solve_checked

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC / "arshjul"

OPTIONAL_EXTRAS = frozenset({"dask", "distributed"})
"""Top-level packages that may be imported inside a function: extras a user may not have."""

DYNAMIC_IMPORTS = {
    "arshjul.cli": "the lazy command group imports a command's module when that command runs, "
    "so a command that never solves never loads OR-Tools (arshjul.cli.COMMANDS is the registry)",
    "arshjul._entry": "the entry point imports the CLI inside its Ctrl-C guard, so Ctrl-C while "
    "click and the rest still load is one line, not a traceback",
    "arshjul": "PEP 562 __getattr__: `import arshjul` loads nothing, arshjul.solve loads the solver "
    "on first use (arshjul._WHERE is the registry)",
}
"""Modules allowed to call ``importlib.import_module`` (or ``__import__``), and why."""


def _module_files() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _module_files()
TREES = {name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, path in MODULES.items()}


def _where(module: str, node: ast.stmt) -> str:
    return f"{MODULES[module].relative_to(SRC.parent)}:{node.lineno}"


def _absolute(module: str, node: ast.ImportFrom) -> str:
    """The absolute name of the module in ``from <module> import …``."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Every module name an import statement names (``from p import m``: ``p.m`` if a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = _absolute(module, node)
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements that run when the module is imported."""
    for stmt in body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            yield stmt
        elif isinstance(stmt, ast.If):
            if not _is_type_checking(stmt.test):
                yield from _top_level(stmt.body)
            yield from _top_level(stmt.orelse)
        elif isinstance(stmt, ast.Try | ast.TryStar):
            for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody):
                yield from _top_level(block)
        elif isinstance(stmt, ast.With | ast.ClassDef):
            yield from _top_level(stmt.body)


def import_graph() -> dict[str, set[str]]:
    """Module → the ``arshjul`` modules its top-level imports run."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, tree in TREES.items():
        for node in _top_level(tree.body):
            graph[name].update(m for m in _imported(name, node) if m in MODULES and m != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (``a → b → … → a``) through each strongly connected group of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan; the package has a few dozen modules, recursion is fine
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)

    out = []
    for group in groups:
        start = min(group)
        paths = {start: [start]}
        queue = [start]
        while queue:  # breadth first inside the group, back to the start
            node = queue.pop(0)
            for nxt in sorted(graph[node] & group):
                if nxt == start:
                    out.append([*paths[node], start])
                    queue = []
                    break
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    queue.append(nxt)
    return sorted(out)


def function_imports() -> list[str]:
    """``file:line: statement`` for every import inside a function (optional extras left out)."""
    found: set[tuple[str, int, str]] = set()
    for name, tree in TREES.items():
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                extra = isinstance(node, ast.Import) or node.level == 0
                if extra and all(m.split(".")[0] in OPTIONAL_EXTRAS for m in _imported(name, node)):
                    continue
                found.add((str(MODULES[name].relative_to(SRC.parent)), node.lineno, ast.unparse(node)))
    return [f"{path}:{line}: {text}" for path, line, text in sorted(found)]


# -- the rules -------------------------------------------------------------------------------------


def test_the_scan_sees_the_package() -> None:
    assert {"arshjul", "arshjul.scenario", "arshjul.cpsat", "arshjul.cpsat.solve"} <= set(MODULES)
    graph = import_graph()
    assert "arshjul.scenario" in graph["arshjul.instance"]  # from .scenario import …
    assert "arshjul.swedish" in graph["arshjul.instance"]  # from . import swedish
    assert "arshjul.instance" in graph["arshjul.cpsat.model"]  # from ..instance import …


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]  # a self-import is not an edge of import_graph
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_scenario_and_variants_import_each_other_in_neither_direction() -> None:
    graph = import_graph()
    assert "arshjul.variants" not in graph["arshjul.scenario"]
    assert "arshjul.variants" not in graph["arshjul.extends"]
    assert "arshjul.scenario" not in graph["arshjul.extends"]
    own = ("src/arshjul/scenario.py:", "src/arshjul/variants.py:", "src/arshjul/extends.py:")
    assert not [f for f in function_imports() if f.startswith(own)]


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" → ".join(c) for c in found)


def test_only_cpsat_imports_ortools() -> None:
    offenders = []
    for name, tree in TREES.items():
        if name == "arshjul.cpsat" or name.startswith("arshjul.cpsat."):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and any(
                m.split(".")[0] == "ortools" for m in _imported(name, node)
            ):
                offenders.append(f"{_where(name, node)}: {ast.unparse(node)}")
    assert not offenders, "OR-Tools imported outside arshjul.cpsat:\n" + "\n".join(offenders)
    assert any(
        isinstance(n, ast.ImportFrom) and (n.module or "").startswith("ortools")
        for n in ast.walk(TREES["arshjul.cpsat.model"])
    ), "the scan should see cpsat's own OR-Tools import"


def test_no_imports_inside_functions() -> None:
    found = function_imports()
    assert not found, "imports inside functions:\n" + "\n".join(found)


def dynamic_imports() -> list[str]:
    """``module: call`` for every ``importlib.import_module(…)`` / ``__import__(…)`` call."""
    found = []
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            fn = node.func
            called = fn.attr if isinstance(fn, ast.Attribute) else fn.id if isinstance(fn, ast.Name) else ""
            if called in ("import_module", "__import__"):
                found.append(f"{name}: {ast.unparse(node)}")
    return found


def test_modules_are_imported_by_name_only_where_allowed() -> None:
    offenders = [f for f in dynamic_imports() if f.split(":")[0] not in DYNAMIC_IMPORTS]
    assert not offenders, "importlib.import_module outside the allow-list:\n" + "\n".join(offenders)
    assert {f.split(":")[0] for f in dynamic_imports()} == set(DYNAMIC_IMPORTS)  # no stale entry


def test_the_command_registry_names_every_command_once() -> None:
    ctx = click.Context(main)
    for name, where in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert isinstance(command, click.Command), where
        assert command.name == name, f"{where} is called {command.name!r}, registered as {name!r}"
    module_commands = set()
    for module in {w.split(":")[0] for w in COMMANDS.values()}:
        tree = TREES[module]
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and ast.unparse(d.func) in ("click.command", "click.group")
                for d in node.decorator_list
            ):
                module_commands.add(f"{module}:{node.name}")
    assert module_commands == set(COMMANDS.values()), "a command module's command is not registered"


def test_the_package_names_load_lazily_and_all_resolve() -> None:
    for name in arshjul.__all__:
        assert getattr(arshjul, name) is not None
    with pytest.raises(AttributeError):
        _ = arshjul.no_such_name  # type: ignore[attr-defined]


NO_SOLVER = """
import atexit, sys
HEAVY = ("ortools", "arshjul.cpsat", "arshjul.api")  # numpy comes with openpyxl
def loaded():
    print("loaded:", *sorted(m for m in HEAVY if m in sys.modules), file=sys.stderr)
atexit.register(loaded)
from arshjul.cli import run
sys.argv = ["arshjul", *sys.argv[1:]]
run()
"""


@pytest.fixture(scope="module")
def saved_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    data = merge(
        base(), hosts=[{"id": "vinnova", "name": "Vinnova", "themes": [{"id": "halsa", "name": "Hälsa"}]}]
    )
    folder = tmp_path_factory.mktemp("no-solver")
    source = folder / "tiny.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    plan = folder / "plan.json"
    plan.write_text(solve_checked(from_data(data, str(source))).to_json(), encoding="utf-8")
    return source, plan


@pytest.mark.parametrize("command", ["validate", "check", "report", "calendar", "schema"])
def test_commands_that_never_solve_never_load_ortools(
    command: str, saved_plan: tuple[Path, Path], tmp_path: Path
) -> None:
    source, plan = saved_plan
    args = {
        "validate": [str(source)],
        "check": [str(source), str(plan)],
        "report": [str(plan), "-o", str(tmp_path / "report")],
        "calendar": [str(source)],
        "schema": [],
    }[command]
    done = subprocess.run(
        [sys.executable, "-c", NO_SOLVER, command, *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "loaded:", done.stderr
