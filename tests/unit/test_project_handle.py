"""A project handle reads at once without SQLAlchemy and loads the store in the background."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qualcode.core.store import Project
from qualcode.core.store import read as store_read
from qualcode.core.store.handle import ProjectHandle
from qualcode.core.store.read import SqliteReader
from qualcode.errors import ProjectError


@pytest.fixture
def copy(sample_project_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "handle.qualcode"
    shutil.copy(sample_project_file, target)
    return target


def test_reading_needs_no_sqlalchemy(copy: Path) -> None:
    """The first frame's reads run on the standard library alone (checked in a fresh process)."""
    code = textwrap.dedent(f"""
        import sys
        from qualcode.core.store import read as store_read
        from qualcode.core.store.handle import ProjectHandle
        handle = ProjectHandle.open({str(copy)!r})
        sid = store_read.find_source_id(handle.reader, "01-kepala")
        data = store_read.load_transcript(handle.reader, sid)
        codes = store_read.code_rows(handle.reader)
        loaded = [m for m in ("sqlalchemy", "sqlmodel", "pydantic") if m in sys.modules]
        print(len(data.segments), len(codes), handle.ready, loaded)
        handle.close()
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    segments, codes, ready, loaded = done.stdout.split(maxsplit=3)
    assert int(segments) > 50 and int(codes) > 10
    assert ready == "False" and loaded.strip() == "[]"


def test_background_load_gives_the_store(copy: Path) -> None:
    handle = ProjectHandle.open(copy)
    try:
        assert isinstance(handle.reader, SqliteReader) and not handle.ready
        handle.start_loading()
        project = handle.project  # waits for the thread
        assert handle.ready and handle.error is None
        assert handle.reader is project.reader  # reads go through the store from now on
        sid = project.get_source("01-kepala").id
        assert sid is not None
        coding = project.apply_code(sid, 0, 10, "SOB-1", coder="t")
        assert coding.id in {c.id for c in store_read.coding_spans(handle.reader, sid)}
    finally:
        handle.close()


def test_project_without_start_loads_on_demand(copy: Path) -> None:
    handle = ProjectHandle.open(copy)
    try:
        assert handle.project.get_meta("created_by")
    finally:
        handle.close()


def test_a_failed_background_load_is_reported(copy: Path, tmp_path: Path) -> None:
    handle = ProjectHandle(reader=SqliteReader(copy), target=tmp_path / "gone.qualcode")
    handle.start_loading()
    with pytest.raises(ProjectError, match="no such project file"):
        _ = handle.project
    assert isinstance(handle.error, ProjectError) and not handle.ready
    handle.close()


@pytest.mark.parametrize("damage", ["missing", "folder", "text", "newer"])
def test_bad_files_fail_at_open_with_the_usual_errors(copy: Path, tmp_path: Path,
                                                     damage: str) -> None:
    target = copy
    expected = {"missing": "no such project file", "folder": "is a folder",
                "text": "not an SQLite database", "newer": "newer version of qualcode"}[damage]
    if damage == "missing":
        target = tmp_path / "missing.qualcode"
    elif damage == "folder":
        target = tmp_path
    elif damage == "text":
        copy.write_text("just some notes\n", encoding="utf-8")
    else:
        with sqlite3.connect(copy) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(ProjectError, match=expected):
        ProjectHandle.open(target)


def test_an_older_schema_goes_through_the_full_open(copy: Path) -> None:
    """A project whose revision is not the head is opened by `Project.open` (migrations)."""
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'base-test'")
    with pytest.raises(ProjectError):  # unknown revision: refused by the full open
        ProjectHandle.open(copy)
    with sqlite3.connect(copy) as conn:
        conn.execute(f"UPDATE alembic_version SET version_num = '{store_read.SCHEMA_HEAD}'")
    handle = ProjectHandle.open(copy)
    assert not handle.ready
    handle.close()


def test_of_an_open_project_is_ready(sample_project: Project) -> None:
    handle = ProjectHandle.of(sample_project)
    assert handle.ready and handle.project is sample_project
    assert handle.reader is sample_project.reader


def _count_elsewhere(path: Path) -> int:
    """Codings seen by another process that opens and closes the project (like the CLI)."""
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
            " print(c.execute('SELECT count(*) FROM coding').fetchone()[0]); c.close()")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True)
    return int(out.stdout)


def test_another_process_never_loses_the_open_projects_writes(copy: Path) -> None:
    """Another process opening the file must not delete the WAL under the open workspace.

    Reading the file's header with a plain `open()` while a connection was open dropped this
    process's SQLite locks (POSIX locks are per process); the next process to close the
    database then thought it was the last one, checkpointed and deleted the WAL, and the
    workspace went on writing into the deleted file.
    """
    handle = ProjectHandle.open(copy)  # the fast reader connects first, as in `qualcode open`
    try:
        handle.start_loading()
        project = handle.project
        sid = store_read.find_source_id(handle.reader, "01-kepala")
        seg = project.segments(sid)
        before = _count_elsewhere(copy)
        project.apply_code(sid, seg[3].start, seg[3].end, "SOB-1")
        assert _count_elsewhere(copy) == before + 1
        assert copy.with_name(copy.name + "-wal").exists()
        project.apply_code(sid, seg[5].start, seg[5].end, "SOB-2")
        assert _count_elsewhere(copy) == before + 2
    finally:
        handle.close()
    with Project.open(copy) as again:
        assert len(again.codings_in(sid)) == len(store_read.coding_spans(
            SqliteReader(copy), sid))
