"""Shared fixtures: real project files on disk (SQLite), built from the bundled data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from qualcode.core.store import Project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """An empty project file with the Sobandi and Siagian codebooks."""
    from qualcode.core.codebooks import find_codebook, load_codebook

    proj = Project.create(tmp_path / "test.qualcode")
    for key in ("sobandi-2008", "siagian-2014"):
        proj.import_codebook(load_codebook(find_codebook(key)))
    yield proj
    proj.close()


@pytest.fixture(scope="session")
def sample_project_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample project, built once per test session (do not modify: copy it)."""
    from qualcode.core.sample import build_sample_project

    path = tmp_path_factory.mktemp("sample") / "sample.qualcode"
    build_sample_project(path, echo=lambda *_: None).close()
    return path


@pytest.fixture
def sample_project(sample_project_file: Path, tmp_path: Path) -> Iterator[Project]:
    """A private copy of the sample project, safe to change."""
    target = tmp_path / "sample.qualcode"
    shutil.copy(sample_project_file, target)
    proj = Project.open(target)
    yield proj
    proj.close()


# ---- reliability counts -------------------------------------------------------------------------
# The reliability tests (fuzzing, hostile project files, kill -9) record what they tried with
# `record_counts`; the counts are printed at the end of the run (also under pytest-xdist,
# which carries `user_properties` from the workers).
def fuzz_examples(default: int) -> int:
    """How many examples a fuzz test runs: `default`, or QUALCODE_FUZZ_EXAMPLES for a long run."""
    import os

    return int(os.environ.get("QUALCODE_FUZZ_EXAMPLES", default))


@pytest.fixture
def record_counts(record_property):  # type: ignore[no-untyped-def]
    """record_counts("fuzz import", tried=..., tracebacks=..., hangs=..., lost=...)."""

    def record(name: str, **counts: int) -> None:
        shown = ", ".join(f"{key.replace('_', ' ')}={value}" for key, value in counts.items())
        record_property("reliability", f"{name}: {shown}")

    return record


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    lines = [value for key in ("passed", "failed") for report in terminalreporter.stats.get(key, [])
             if getattr(report, "when", "") == "call"
             for name, value in getattr(report, "user_properties", []) if name == "reliability"]
    if lines:
        terminalreporter.write_sep("-", "reliability counts")
        for line in sorted(lines):
            terminalreporter.write_line(line)
