"""Shared fixtures: real project files on disk (SQLite), built from the bundled data."""

from __future__ import annotations

import os
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
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """English text, in this process and in the commands a test runs (LANG=en_US.UTF-8): for
    tests that read what a message says rather than which language it is in."""
    from qualcode import i18n

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    i18n.set_language("en")


def _with_codebooks(target: str | Path) -> Project:
    from qualcode.core.codebooks import find_codebook, load_codebook

    proj = Project.create(target)
    for key in ("sobandi-2008", "siagian-2014"):
        proj.import_codebook(load_codebook(find_codebook(key)))
    return proj  # type: ignore[no-any-return]


# QUALCODE_TEST_ENGINE=postgresql runs every test that uses `project` or `sample_project` on
# the PostgreSQL server instead of a file (a portability check; the default run keeps files
# and covers PostgreSQL through `any_project` and the team tests).
ON_SERVER = os.environ.get("QUALCODE_TEST_ENGINE") == "postgresql"


@pytest.fixture
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Project]:
    """An empty project file with the Sobandi and Siagian codebooks."""
    target = request.getfixturevalue("pg_url") if ON_SERVER else tmp_path / "test.qualcode"
    proj = _with_codebooks(target)
    yield proj
    proj.close()


@pytest.fixture
def sqlite_project(tmp_path: Path) -> Iterator[Project]:
    """The same, for tests that check the SQLite file itself (wherever `project` is overridden)."""
    proj = _with_codebooks(tmp_path / "test.qualcode")
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
def sample_project(request: pytest.FixtureRequest, sample_project_file: Path,
                   tmp_path: Path) -> Iterator[Project]:
    """A private copy of the sample project, safe to change."""
    if ON_SERVER:
        from qualcode.core.store.transfer import copy_project

        url = request.getfixturevalue("pg_url")
        copy_project(sample_project_file, url)
        proj = Project.open(url)
        yield proj
        proj.close()
        return
    target = tmp_path / "sample.qualcode"
    shutil.copy(sample_project_file, target)
    proj = Project.open(target)
    yield proj
    proj.close()


# ---- PostgreSQL ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A PostgreSQL server for this test process (one cluster per xdist worker).

    Fails (never skips) with the reason when no server can be started.
    """
    import os

    from pg_server import ENV_URL, ServerUnavailable, start_cluster

    given = os.environ.get(ENV_URL)
    if given:
        yield given
        return
    try:
        cluster = start_cluster()
    except ServerUnavailable as exc:
        pytest.fail(f"PostgreSQL is needed for this test: {exc}", pytrace=False)
    try:
        yield cluster.url()
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_admin_url: str) -> str:
    """The URL of a new, empty database on the test server."""
    from pg_server import new_database

    return new_database(pg_admin_url)


@pytest.fixture(params=["sqlite", "postgresql"])
def project_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new project goes: an SQLite file, or a database on the PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "test.qualcode")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def any_project(project_target: str) -> Iterator[Project]:
    """An empty project with the Sobandi and Siagian codebooks, on each engine in turn."""
    proj = _with_codebooks(project_target)
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
