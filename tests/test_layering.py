"""The layers of docs/ARCHITECTURE.md, enforced: every import points down (or stays in its own layer), and no two
modules import each other (directly or round a longer loop) — lazy imports inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "fazhi_desktop"

# Rank of each layer: a module may import its own layer and any lower one. Layers of one rank never import each
# other (storage ↔ office, exchange ↔ reports), except runtime → domain (the child reports a UserError).
RANKS = {"runtime": 0, "domain": 0, "storage": 1, "office": 1, "services": 2, "logs": 2, "exchange": 3,
         "reports": 3, "cli": 4, "gui": 4, "__main__": 5, "__init__": 0}
SIDEWAYS = {("runtime", "domain"), ("cli", "gui")}
# The front ends use the storage layer only for the database handle they are given.
FRONT_END_STORAGE = {"fazhi_desktop.storage.database"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if "generated" in rel.parts or "migrations" in rel.parts:
            continue
        name = ".".join(("fazhi_desktop", *rel.with_suffix("").parts)).removesuffix(".__init__")
        out[name] = path
    return out


def _runtime_nodes(tree: ast.AST):
    """Every node but those under ``if TYPE_CHECKING:`` (imports for type hints never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            yield from (n for child in node.orelse for n in ast.walk(child))
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name in modules:
                found.add(name)
    return found


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_import_points_down():
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        here = _layer(name)
        for target in _imports(path, modules):
            there = _layer(target)
            if here == there or target == "fazhi_desktop":
                continue
            if (here, there) in SIDEWAYS:
                if here == "cli" and target != "fazhi_desktop.gui.shell.app":
                    wrong.append(f"{name} -> {target} (the command line opens only the window's entry point)")
                continue
            if RANKS[there] >= RANKS[here]:
                wrong.append(f"{name} -> {target}")
            elif here in ("gui", "cli") and there == "storage" and target not in FRONT_END_STORAGE:
                wrong.append(f"{name} -> {target} (front ends reach storage through services)")
    assert wrong == []


def test_no_import_cycles():
    modules = _modules()
    graph = {name: {t for t in _imports(path, modules) if t != name and t != "fazhi_desktop"}
             for name, path in modules.items()}
    # A package's __init__ importing its own modules is not a loop between files.
    graph = {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in graph.items()}
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_nothing_outside_the_gui_imports_qt():
    qt_users = []
    for name, path in _modules().items():
        if _layer(name) == "gui":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
                qt_users.append(name)
    assert qt_users == []


def _jobs(tree: ast.AST):
    """The job handed to each ``workers.run``/``workers.call`` (third argument): its lambda, or the function of that
    name defined in the caller's own body (many callers name theirs ``job``)."""
    for caller in ast.walk(tree):
        if not isinstance(caller, ast.FunctionDef):
            continue
        local = {d.name: d for d in caller.body if isinstance(d, ast.FunctionDef)}
        for node in ast.walk(caller):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("run", "call") and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "workers" and len(node.args) >= 3):
                job = node.args[2]
                if isinstance(job, ast.Name):
                    job = local.get(job.id)
                if isinstance(job, (ast.Lambda, ast.FunctionDef)):
                    yield node.lineno, job


def test_a_background_job_reads_no_widget():
    """A job runs on the pool thread with plain values (gui/shell/workers.py): one that closes over ``self`` reads a
    widget from there, and keeps it referenced from that thread."""
    found = []
    for path in (PACKAGE / "gui").rglob("*.py"):
        for line, job in _jobs(ast.parse(path.read_text(encoding="utf-8"))):
            own = {a.arg for a in job.args.args}
            if "self" not in own and any(isinstance(n, ast.Name) and n.id == "self" for n in ast.walk(job)):
                found.append(f"{path.relative_to(PACKAGE)}:{line}")
    assert sorted(set(found)) == []
