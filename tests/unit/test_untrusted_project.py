"""A project file is data, never code: foreign schema objects refused, damaged rows named,
damaged pages opened read-only, non-projects never modified (real SQLite files)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from hostile_files import edit_sql
from qualcode.core.store import Project, open_untrusted
from qualcode.core.store.filecheck import check_project_file
from qualcode.core.store.handle import ProjectHandle
from qualcode.errors import ProjectError

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "projects" / "schema-0001.qualcode"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edited(sample_project_file: Path, tmp_path: Path, *statements: str,
           name: str = "hostile.qualcode") -> Path:
    """A copy of the sample project changed behind qualcode's back with plain SQL."""
    path = tmp_path / name
    shutil.copy(sample_project_file, path)
    edit_sql(path, *statements)
    return path


@pytest.mark.parametrize(("statement", "expected"), [
    ("CREATE TRIGGER pwn AFTER INSERT ON coding BEGIN UPDATE source SET text = 'PWNED'; END",
     "trigger 'pwn'"),
    ("CREATE VIEW v AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
     "SELECT n FROM r", "view 'v'"),
    ("CREATE INDEX ix_extra ON coding (note)", "index 'ix_extra'"),
    ("CREATE TABLE extra (x)", "table 'extra'"),
    ("ALTER TABLE source ADD COLUMN evil TEXT", "table 'source' is not the one"),
])
def test_schema_objects_we_did_not_create_are_refused_and_never_run(
        sample_project_file: Path, tmp_path: Path, statement: str, expected: str) -> None:
    path = edited(sample_project_file, tmp_path, statement)
    before = digest(path)
    with pytest.raises(ProjectError, match=expected):
        Project.open(path)
    with pytest.raises(ProjectError, match=expected):
        ProjectHandle.open(path)  # the fast first-paint path checks the same
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.qualcode"]  # no -wal
    conn = sqlite3.connect(path)
    assert "PWNED" not in {row[0] for row in conn.execute("SELECT text FROM source")}
    conn.close()


@pytest.mark.parametrize(("statement", "row", "column"), [
    ("UPDATE source SET meta = '{not json' WHERE id = 1", "source id 1", "meta"),
    ("UPDATE source SET meta = '[1, 2]' WHERE id = 1", "source id 1", "meta"),
    ("UPDATE source SET text = x'00ff00' WHERE id = 2", "source id 2", "text"),
    ("UPDATE segment SET start = 'ten' WHERE id = 3", "segment id 3", "start"),
    ("UPDATE coding SET created_at = '2024-13-45 99:00:00' WHERE id = 4", "coding id 4",
     "created_at"),
    ("UPDATE informant SET attributes = 'null' WHERE id = 1", "informant id 1", "attributes"),
])
def test_damaged_rows_are_named(sample_project_file: Path, tmp_path: Path, statement: str,
                                row: str, column: str) -> None:
    path = edited(sample_project_file, tmp_path, statement)
    with pytest.raises(ProjectError) as caught:
        Project.open(path)
    assert f"damaged row: {row}, column {column}" in caught.value.message
    with pytest.raises(ProjectError, match="damaged row"):
        ProjectHandle.open(path)


def test_spans_outside_the_text_are_named(sample_project_file: Path, tmp_path: Path) -> None:
    path = edited(sample_project_file, tmp_path,
                  'UPDATE coding SET "end" = 10000000 WHERE id = 7')
    with pytest.raises(ProjectError, match=r"damaged row: coding id 7: its span lies outside"):
        Project.open(path)
    reversed_ = edited(sample_project_file, tmp_path,
                       'UPDATE segment SET start = "end" + 1 WHERE id = 5', name="r.qualcode")
    with pytest.raises(ProjectError, match=r"segment id 5: its span lies outside"):
        Project.open(reversed_)


def test_references_to_missing_rows_are_named(sample_project_file: Path,
                                              tmp_path: Path) -> None:
    """A coding of a code that does not exist would drop out of every count without a word."""
    path = edited(sample_project_file, tmp_path, "UPDATE coding SET code_id = 99999 WHERE id = 3")
    with pytest.raises(ProjectError, match="damaged row: coding id 3: refers to a code that "
                                           "does not exist"):
        Project.open(path)


def test_a_file_failing_the_quick_check_opens_read_only(sample_project_file: Path,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "pages.qualcode"
    shutil.copy(sample_project_file, path)
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_coding_source_start'"
                        ).fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    offset = (root - 1) * page_size
    data[offset + 3: offset + 5] = b"\xff\xff"  # the page claims 65,535 cells
    path.write_bytes(bytes(data))
    before = digest(path)
    with Project.open(path) as project:
        assert project.read_only and "quick check" in project.read_only.text("en")
        assert any("read-only" in notice.text("en") for notice in project.notices)
        assert project.sources()  # the data can still be read
        with pytest.raises(ProjectError, match="quick check"):
            project.set_meta("ui_lang", "en")
    assert digest(path) == before


@pytest.mark.parametrize("content", [b"", b"hello, not a database\n", b"SQLite format 3\x00"])
def test_a_file_that_is_not_a_project_is_never_modified(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.qualcode"
    path.write_bytes(content)
    with pytest.raises(ProjectError):
        Project.open(path)
    with pytest.raises(ProjectError):
        ProjectHandle.open(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.qualcode"]


def test_another_programs_database_is_never_modified(tmp_path: Path) -> None:
    path = tmp_path / "other.qualcode"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(ProjectError, match="not a qualcode project"):
        Project.open(path)
    assert digest(path) == before  # not even switched to WAL


def test_a_newer_schema_is_refused_untouched(sample_project_file: Path, tmp_path: Path) -> None:
    path = edited(sample_project_file, tmp_path, "UPDATE alembic_version SET version_num = '9999'")
    before = digest(path)
    with pytest.raises(ProjectError, match=r"newer version of qualcode \(schema 9999\)"):
        Project.open(path)
    assert digest(path) == before


def test_open_read_only_for_files_that_must_not_change(sample_project_file: Path,
                                                       tmp_path: Path) -> None:
    """What merging another coder's file uses: the same checks, and nothing written."""
    path = tmp_path / "coder-b.qualcode"
    shutil.copy(sample_project_file, path)
    before = digest(path)
    with open_untrusted(path) as project:
        assert project.codings()
        with pytest.raises(ProjectError, match="read-only"):
            project.set_meta("x", "y")
    assert digest(path) == before


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.qualcode"
    os.mkfifo(fifo)
    with pytest.raises(ProjectError, match="not a regular file"):
        check_project_file(fifo)


def test_a_verified_file_is_not_scanned_again_until_it_changes(sample_project_file: Path,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "v.qualcode"
    shutil.copy(sample_project_file, path)
    check_project_file(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE source SET meta = 'oops' WHERE id = 1")  # changes size or times
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="source id 1, column meta"):
        check_project_file(path)
