"""The plain-SQL views read the same through sqlite3 as through the store's engine and ORM."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from qualcode.core.store import Project
from qualcode.core.store import read as store_read
from qualcode.core.store.read import SqliteReader
from qualcode.errors import NotFoundError, QualcodeError


@pytest.fixture
def both(sample_project: Project) -> tuple[Project, SqliteReader]:
    path = Path(sample_project.url.removeprefix("sqlite:///"))
    reader = SqliteReader(path)
    yield sample_project, reader
    reader.close()


def test_transcript_is_identical_through_sqlite3_and_the_engine(both) -> None:
    project, fast = both
    for source in project.sources():
        assert source.id is not None
        quick = store_read.load_transcript(fast, source.id)
        assert quick == store_read.load_transcript(project.reader, source.id)
        assert quick.text == source.text and quick.name == source.name
        orm = project.segments(source.id)
        assert [(s.id, s.start, s.end, s.is_interviewer) for s in quick.segments] == [
            (s.id, s.start, s.end, s.is_interviewer) for s in orm]
        assert all(isinstance(s.is_interviewer, bool) for s in quick.segments)
        assert {c.id for c in quick.codings} == {c.id for c in project.codings_in(source.id)}


def test_code_rows_match_the_orm_codes_in_order(both) -> None:
    project, fast = both
    rows = store_read.code_rows(fast)
    codes = project.codes()
    assert [r.key for r in rows] == [c.key for c in codes]
    for row, code in zip(rows, codes, strict=True):
        for field in ("id", "codebook_id", "label_id", "label_en", "definition_id",
                      "definition_en", "parent_id", "colour", "shortcut", "order",
                      "is_emergent"):
            assert getattr(row, field) == getattr(code, field), (code.key, field)
        assert row.label("en") == code.label("en") and row.definition("id") == code.definition("id")
    books = store_read.codebook_rows(fast)
    assert [(b.id, b.key, b.active) for b in books] == [
        (b.id, b.key, b.active) for b in project.codebooks()]


def test_indicators_and_settings(both) -> None:
    project, fast = both
    ind = store_read.indicator_rows(fast, "sob-1")  # keys match case-insensitively
    assert [i.key for i in ind] == [i.key for i in project.indicators("SOB-1")]
    assert ind and store_read.indicator_rows(fast, "NO-SUCH") == []
    project.set_meta("ui_lang", "en")
    assert store_read.get_meta(fast, "ui_lang") == "en"  # a write by the store is seen at once
    assert store_read.get_meta(fast, "no-such-key") is None


def test_find_source_id_by_id_name_and_prefix(both) -> None:
    project, fast = both
    first = project.sources()[0]
    assert store_read.find_source_id(fast, first.name) == first.id
    assert store_read.find_source_id(fast, str(first.id)) == first.id
    assert store_read.find_source_id(fast, "03-kabid") == project.get_source("03-kabid").id
    with pytest.raises(QualcodeError, match="several sources"):
        store_read.find_source_id(fast, "0")
    with pytest.raises(NotFoundError, match="no source"):
        store_read.find_source_id(fast, "zz-none")


def test_the_fast_reader_cannot_write(both) -> None:
    _, fast = both
    with pytest.raises(sqlite3.OperationalError):
        fast.conn.execute("DELETE FROM coding")


def test_schema_revision(sample_project_file: Path, tmp_path: Path) -> None:
    reader = SqliteReader(sample_project_file)
    assert store_read.schema_revision(reader) == store_read.SCHEMA_HEAD
    reader.close()
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert store_read.schema_revision(SqliteReader(other)) is None
    copy = tmp_path / "copy.qualcode"
    shutil.copy(sample_project_file, copy)
    assert store_read.schema_revision(SqliteReader(copy)) == store_read.SCHEMA_HEAD
