"""Upgrading an older project file: a backup first, and the original untouched if it fails.

The migrations run on a working copy beside the file, never on the file itself; the copy is
checked against the schema our migrations create and only then copied back into the project
file with SQLite's backup API (one transaction on the destination). A backup of the file as it
was, named with its old schema revision, stays beside it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from qualcode.core.store.filecheck import check_project_file, connect_read_only
from qualcode.errors import ProjectError
from qualcode.i18n import N_, Message


def backup_path(path: Path, revision: str) -> Path:
    """A free name beside `path` for its backup at schema `revision`
    (`study.qualcode.schema-0001.bak`, then `...schema-0001-2.bak` ...)."""
    candidate = path.with_name(f"{path.name}.schema-{revision}.bak")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}.schema-{revision}-{number}.bak")
    return candidate


def _copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A self-contained copy (rollback journal, so no `-wal` file belongs to it)."""
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()


def _remove(path: Path) -> None:
    for extra in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{path}{extra}").unlink()


def upgrade_with_backup(path: Path, revision: str) -> Message:
    """Back the file up, migrate a copy, copy it back; returns the line to tell the user."""
    from qualcode.core import db

    backup = backup_path(path, revision)
    work = path.with_name(f".{path.name}.upgrading")
    _remove(work)
    try:
        source = connect_read_only(path)
        try:
            _copy_database(source, backup)
        finally:
            source.close()
        backup_conn = connect_read_only(backup)
        try:
            _copy_database(backup_conn, work)
        finally:
            backup_conn.close()
    except (OSError, sqlite3.Error) as exc:
        _remove(work)
        raise ProjectError(N_("{path}: cannot write a backup before upgrading it ({problem}); "
                              "the file is unchanged"),
                           hint=N_("free some disk space or make the folder writable"), path=path,
                           problem=exc) from None
    try:
        engine = db.make_engine(db.project_url(work))
        try:
            db.migrate(engine, create=False)
        finally:
            engine.dispose()
        check_project_file(work)
        migrated = connect_read_only(work)
        try:
            original = sqlite3.connect(path)
            try:
                migrated.backup(original)
            finally:
                original.close()
        finally:
            migrated.close()
    except Exception as exc:
        message = exc.message if isinstance(exc, ProjectError) else f"{type(exc).__name__}: {exc}"
        raise ProjectError(N_("{path}: upgrading from schema {revision} failed ({problem}); the "
                              "file is unchanged"),
                           hint=N_("a backup is at {backup}; please report this"), path=path,
                           revision=revision, problem=message, backup=backup) from None
    finally:
        _remove(work)
    return Message(N_("{path} was made by an older qualcode (schema {revision}); upgraded it, "
                      "and kept a backup of the old file at {backup}"),
                   {"path": path, "revision": revision, "backup": backup})
