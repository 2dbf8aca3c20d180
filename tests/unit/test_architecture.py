"""Layering: the core never imports the UI; the static checks pass."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import qualcode.core

ROOT = Path(__file__).resolve().parents[2]


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
