"""Layering (docs/architecture.md): what may import what, file sizes, module names; the static
checks pass."""

from __future__ import annotations

import ast
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import qualcode.core

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "qualcode"

# (importing package, forbidden prefixes, allowed exceptions) — docs/architecture.md
RULES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("qualcode.core", ("qualcode.tui", "qualcode.cli", "qualcode.launch", "textual", "typer"),
     ()),
    ("qualcode.i18n", ("qualcode.tui", "qualcode.cli", "qualcode.core", "textual", "typer"), ()),
    ("qualcode.cli", ("qualcode.tui", "textual"), ()),  # the UI starts through qualcode.launch
    ("qualcode.tui", ("qualcode.cli", "qualcode.launch", "typer"), ()),
    ("qualcode.core.store.read", ("sqlalchemy", "sqlmodel", "alembic", "pandas"), ()),
]


def module_name(path: Path) -> str:
    """`src/qualcode/core/store/read.py` -> `qualcode.core.store.read`."""
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, module: str) -> set[str]:
    """Every module a source imports, at the top or inside functions (relative ones resolved)."""
    found: set[str] = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def violations(module: str, imported: set[str]) -> list[str]:
    """The import rules `module` breaks."""
    problems = []
    for owner, forbidden, allowed in RULES:
        if module != owner and not module.startswith(owner + "."):
            continue
        for name in sorted(imported):
            if any(name == f or name.startswith(f + ".") for f in forbidden) and not any(
                    name == a or name.startswith(a + ".") for a in allowed):
                problems.append(f"{module} imports {name}")
    return problems


def test_the_import_rules_hold() -> None:
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        module = module_name(path)
        problems += violations(module, imports_of(path.read_text(encoding="utf-8"), module))
    assert problems == []


@pytest.mark.parametrize(("module", "source"), [
    ("qualcode.core.analysis.query", "def f():\n    from qualcode.tui.app import QualcodeApp\n"),
    ("qualcode.core.export.docx", "import typer\n"),
    ("qualcode.cli.render", "from qualcode.tui import keymap\n"),
    ("qualcode.tui.screens.home", "from qualcode.cli.common import console\n"),
    ("qualcode.core.store.read", "from sqlalchemy import select\n"),
    ("qualcode.core.analysis.query", "from ...tui import app\n"),
])
def test_a_broken_rule_is_found(module: str, source: str) -> None:
    assert violations(module, imports_of(source, module))


def test_read_loads_without_sqlalchemy() -> None:
    code = ("import sys\nimport qualcode.core.store.read\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'sqlmodel', 'pandas', 'textual')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_no_file_over_500_lines() -> None:
    long = [f"{p.relative_to(ROOT)}: {n}" for p in sorted(
        [*SRC.rglob("*.py"), *(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")])
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500]
    assert long == []


def test_no_core_module_is_named_for_its_caller() -> None:
    callers = ("tui", "cli", "screen", "widget", "textual", "typer", "ui_")
    named = [str(p.relative_to(SRC)) for p in (SRC / "core").rglob("*.py")
             if any(c in p.stem for c in callers)]
    assert named == []


def test_core_never_imports_textual() -> None:
    modules = [m.name for m in pkgutil.walk_packages(qualcode.core.__path__, "qualcode.core.")
               if ".migrations" not in m.name]
    code = ("import sys, importlib\n"
            f"for name in {modules!r}:\n    importlib.import_module(name)\n"
            "print('TEXTUAL' if any(m.split('.')[0] == 'textual' for m in sys.modules) else 'OK')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "OK"


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    found = str(exe) if exe.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (it is a dev dependency)")
    return found


def test_ruff_clean() -> None:
    result = subprocess.run([_tool("ruff"), "check", "src", "tests", "benchmarks"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_clean() -> None:
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
