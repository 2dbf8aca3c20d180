"""Upgrades keep a backup: a project file made by schema 0001 (kept in tests/data) is migrated
by a later migration written here, after a backup named with the old revision; a migration that
fails leaves the file as it was."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from qualcode.core.store import Project, expected
from qualcode.core.store import read as store_read
from qualcode.errors import ProjectError

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "projects" / "schema-0001.qualcode"
REAL_MIGRATIONS = expected.MIGRATIONS_DIR

LATER = '''"""a later schema (test only)"""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("test_later", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("label", sa.String(50), nullable=False))
    op.create_index("ix_test_later_label", "test_later", ["label"])
    {fail}


def downgrade() -> None:
    op.drop_table("test_later")
'''


def with_later_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *,
                         fail: bool = False) -> None:
    """Point qualcode at its own migrations plus one later revision, 9001."""
    folder = tmp_path / "migrations"
    shutil.copytree(REAL_MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    failing = 'raise RuntimeError("migration 9001 broke")' if fail else "pass"
    (folder / "versions" / "9001_later.py").write_text(
        LATER.format(head=store_read.SCHEMA_HEAD, fail=failing), encoding="utf-8")
    monkeypatch.setattr(expected, "MIGRATIONS_DIR", folder)
    monkeypatch.setattr(store_read, "SCHEMA_HEAD", "9001")


TABLES = ("source", "segment", "coding", "codebook", "code", "alembic_version")


def rows(path: Path, like: Path = FIXTURE) -> dict[str, list[tuple[object, ...]]]:
    """The rows of the tables, in the columns the schema-0001 fixture has (later migrations
    add columns, and those start empty)."""
    old = sqlite3.connect(f"{like.resolve().as_uri()}?mode=ro", uri=True)
    try:
        columns = {t: [r[1] for r in old.execute(f'PRAGMA table_info("{t}")')] for t in TABLES}
    finally:
        old.close()
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {t: conn.execute(
            f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns[t])} FROM "{t}" '
            "ORDER BY rowid").fetchall() for t in TABLES}
    finally:
        conn.close()


def test_the_fixture_is_a_current_project_today(tmp_path: Path) -> None:
    """The fixture was made by schema 0001; while that is the head, it opens unchanged."""
    if store_read.SCHEMA_HEAD != "0001":
        pytest.skip("the head moved on; the upgrade tests below cover the fixture")
    path = tmp_path / "p.qualcode"
    shutil.copy(FIXTURE, path)
    with Project.open(path) as project:
        assert [notice.text("en") for notice in project.notices] == []
        assert len(project.codings()) == 2


def test_an_older_project_is_upgraded_after_a_backup(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "study.qualcode"
    shutil.copy(FIXTURE, path)
    before = rows(path)
    with_later_migration(tmp_path, monkeypatch)
    with Project.open(path) as project:
        backup = tmp_path / "study.qualcode.schema-0001.bak"
        assert [notice.text("en") for notice in project.notices] == [
            f"{path} was made by an older qualcode (schema 0001); upgraded it, and kept a "
            f"backup of the old file at {backup}"]
        assert [(c.code, c.valence, c.note) for c in project.codings()] == [
            ("SOB-1", "+", "melayani"), ("SOB-1", "-", "")]
        project.set_meta("after_upgrade", "yes")  # writable as usual
    assert rows(backup) == before  # the backup is the file as it was
    after = rows(path)
    assert after["alembic_version"] == [("9001",)]
    assert {k: v for k, v in after.items() if k != "alembic_version"} == {
        k: v for k, v in before.items() if k != "alembic_version"}
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM test_later").fetchone() == (0,)
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "study.qualcode", "study.qualcode.schema-0001.bak"]
    with Project.open(path) as again:  # now current: no second backup
        assert again.notices == []


def test_a_failed_migration_leaves_the_original_untouched(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    path = tmp_path / "study.qualcode"
    shutil.copy(FIXTURE, path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with_later_migration(tmp_path, monkeypatch, fail=True)
    with pytest.raises(ProjectError) as caught:
        Project.open(path)
    assert "upgrading from schema 0001 failed" in caught.value.message
    assert "migration 9001 broke" in caught.value.message
    assert "the file is unchanged" in caught.value.message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not list(tmp_path.glob(".study.qualcode.upgrading*"))  # no working copy left
    assert (tmp_path / "study.qualcode.schema-0001.bak").exists()


def test_a_second_upgrade_keeps_the_first_backup(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "study.qualcode"
    shutil.copy(FIXTURE, path)
    (tmp_path / "study.qualcode.schema-0001.bak").write_bytes(b"an older backup")
    with_later_migration(tmp_path, monkeypatch)
    with Project.open(path) as project:
        assert "study.qualcode.schema-0001-2.bak" in project.notices[0].text("en")
    assert (tmp_path / "study.qualcode.schema-0001.bak").read_bytes() == b"an older backup"


def test_a_read_only_open_never_upgrades(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "coder-b.qualcode"
    shutil.copy(FIXTURE, path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with_later_migration(tmp_path, monkeypatch)
    with pytest.raises(ProjectError, match="older qualcode"):
        Project.open(path, read_only=True)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
