"""Shared fixtures: real project files on disk (SQLite), built from the bundled data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from qualcode.core.store import Project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default interface language (an app or a CLI command sets it
    for the whole process, and tests share worker processes)."""
    from qualcode import i18n

    i18n.set_language("id")
    yield
    i18n.set_language("id")


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
