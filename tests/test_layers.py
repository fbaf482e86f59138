"""The house by stages: gather ← scoring ← ideas ← brief ← workbench, cli on top, shared modules below.

Read from the source with `ast` (no import runs): a stage may import only itself, the stages
before it and the shared modules; the shared modules import only each other; no two modules
import each other, directly or round a longer cycle (imports inside functions included).
Every module says what it is in its first line, and stays small enough to read.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reviewlib import paths

PACKAGE = paths.PROJECT_ROOT / "reviewlib"
STAGES = ("gather", "scoring", "ideas", "brief", "workbench")
SHARED = {"reviewlib", "reviewlib.paths", "reviewlib.errors", "reviewlib.terms", "reviewlib.text"}
SHARED |= {"reviewlib.files", "reviewlib.terminal", "reviewlib.collector"}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The reviewlib modules `name` imports anywhere in its source."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "reviewlib"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "reviewlib":
                continue
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in MODULES else node.module)
    return found - {name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _rank(module: str) -> int:
    """0 shared, 1–5 the stages in order, 6 the command line."""
    if module in SHARED:
        return 0
    if module == "reviewlib.cli":
        return len(STAGES) + 1
    stage = module.split(".")[1]
    assert stage in STAGES, f"{module} is neither shared, a stage's module nor the cli"
    return STAGES.index(stage) + 1


def test_every_module_is_shared_in_a_stage_or_the_cli():
    for module in MODULES:
        _rank(module)


def test_no_stage_imports_a_later_one():
    wrong = [
        f"{module} imports {other}"
        for module, others in GRAPH.items()
        for other in sorted(others)
        if _rank(other) > _rank(module)
    ]
    assert not wrong, "\n".join(wrong)


def test_no_modules_import_each_other_in_a_cycle():
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for other in sorted(GRAPH.get(module, ())):
            if state.get(other) == 1:
                cycles.append([*trail[trail.index(other) :], other])
            elif other not in state:
                visit(other, [*trail, other])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(" → ".join(c) for c in cycles)


def test_the_layers_test_sees_a_wrong_import(tmp_path):
    """The rule itself: a gather module importing a brief module breaks it."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from reviewlib.brief.slices import Slice\n", encoding="utf-8")
    found = _imports("reviewlib.gather.bad", bad)
    assert found == {"reviewlib.brief.slices"}
    assert _rank("reviewlib.brief.slices") > _rank("reviewlib.gather.review")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_says_what_it_is_and_stays_short(module):
    path = MODULES[module]
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstring = ast.get_docstring(tree)
    assert docstring and docstring.strip(), f"{module} has no docstring saying what it is"
    assert len(source.splitlines()) <= MAX_MODULE_LINES, (
        f"{module} is over {MAX_MODULE_LINES} lines"
    )
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{module}: functions over {MAX_FUNCTION_LINES} lines: {', '.join(long)}"


def test_the_readme_lists_every_module_where_it_is():
    """README's "What is where" has a line for every module, under its stage's folder."""
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## What is where", 1)[1].split("```", 2)[1]
    folder, listed = "", set()
    for line in block.splitlines():
        words = line.split()
        if not words:
            continue
        if line.startswith("  ") and not line.startswith("    ") and words[0].endswith("/"):
            folder = words[0]
        elif line.startswith("    ") and words[0].endswith(".py"):
            listed.add(f"reviewlib/{folder}{words[0]}")
        elif line.startswith("  ") and words[0].endswith(".py"):
            listed.add(f"reviewlib/{words[0]}")
    modules = {
        str(p.relative_to(PACKAGE.parent))
        for p in PACKAGE.rglob("*.py")
        if not (p.name == "__init__.py" and p.parent != PACKAGE)
    }
    assert modules - listed == set(), "not in README's What is where"
    assert listed - modules == set(), "in README's What is where but not in reviewlib/"


def test_the_front_door_is_not_shadowed_by_a_stage_folder():
    """`from reviewlib import score` is the function even once every module is imported."""
    import importlib
    import types

    import reviewlib

    for module in MODULES:
        importlib.import_module(module)
    for name in reviewlib.__all__:
        value = getattr(reviewlib, name)
        assert not isinstance(value, types.ModuleType), f"reviewlib.{name} is a module"


def test_what_a_kernel_imports_for_briefs_leaves_out_the_exporter():
    """A kernel imports the briefs' code while it starts (`kernel.WARM_UP`), at every build
    that starts one: the exporter, nbformat and jsonschema are the build's, not the kernel's, and
    scipy is for pooling ideas, which a kernel reads from the cache."""
    import subprocess
    import sys

    from reviewlib.brief.kernel import WARM_UP

    code = WARM_UP + "import sys\nprint(' '.join(sorted(sys.modules)))\n"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(run.stdout.split())
    assert "reviewlib.brief.sections" in loaded
    assert not {"reviewlib.brief.export", "nbformat", "jsonschema", "papermill", "scipy"} & loaded
