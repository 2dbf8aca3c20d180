"""Engine and session factory from a URL, SQLite pragmas, and Alembic migrations.

This is the only module that knows SQLite specifics; everything else speaks SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

from qualcode.core.store import expected
from qualcode.core.store import read as store_read
from qualcode.errors import ProjectError

MIGRATIONS_DIR = expected.MIGRATIONS_DIR
SCHEMA_HEAD = store_read.SCHEMA_HEAD  # the newest revision (tests compare it to the scripts)


def project_url(target: str | Path) -> str:
    """A SQLAlchemy URL from a path (a `.qualcode` SQLite file) or a URL as given."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def is_sqlite(url: str) -> bool:
    """Whether the URL names an SQLite database."""
    return url.startswith("sqlite")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA trusted_schema=OFF")  # nothing stored in the file runs as code
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MB page cache: matrices scan every coding
    cur.close()


def _sqlite_read_only(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA trusted_schema=OFF")
    cur.execute("PRAGMA query_only=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for the URL; SQLite gets foreign keys, WAL and a busy timeout.

    `read_only` (SQLite): the file is opened with `mode=ro` and `query_only`, so nothing can
    write into it, not even the switch to WAL.
    """
    if is_sqlite(url):
        if read_only:
            path = url.removeprefix("sqlite:///")
            # no write-ahead log beside it: immutable, so no -wal/-shm files appear either
            immutable = "" if Path(f"{path}-wal").exists() else "&immutable=1"
            engine = create_engine(f"sqlite:///file:{path}?mode=ro{immutable}&uri=true",
                                   connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _sqlite_read_only)
            return engine
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def bulk_insert(conn: Any, table: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert many plain rows (ints, strings, bools, None) in one executemany.

    The statement is compiled for the connection's dialect, so this stays portable; it skips
    the ORM's per-row bookkeeping, which dominates imports of hundreds of thousands of segments.
    """
    if not rows:
        return
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=list(columns))
    params: Any = rows if compiled.positional else [dict(zip(columns, r, strict=True))
                                                     for r in rows]
    conn.exec_driver_sql(compiled.string, params)


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(expected.MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of qualcode knows."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(expected.MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database (None for an empty database)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def known_revisions() -> set[str]:
    """Every revision in this version's migration history."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(expected.MIGRATIONS_DIR))
    return {rev.revision for rev in script.walk_revisions()}


def upgrade_to(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` (all of them in one transaction)."""
    from alembic import command

    command.upgrade(_alembic_config(engine), revision)


def migrate(engine: Engine, *, create: bool) -> None:
    """Bring the schema to head; refuse a project made by a newer qualcode.

    `create` allows an empty database to be initialised; otherwise an empty database is an error
    (the file is not a project).
    """
    try:
        current = current_revision(engine)
        if current is None:
            tables = inspect(engine).get_table_names()
            if not create:
                what = "has no qualcode tables" if not tables else "has unknown tables"
                raise ProjectError(
                    f"{engine.url.database or engine.url}: {what}; not a qualcode project",
                    hint="create a project with `qualcode init PATH`",
                )
        elif current == store_read.SCHEMA_HEAD:
            return
        elif current not in known_revisions():
            raise ProjectError(
                f"this project was made by a newer version of qualcode (schema {current})",
                hint="upgrade qualcode (`uv sync` / `pip install -U qualcode`) to open it",
            )
        upgrade_to(engine, "head")
    except (OperationalError, DatabaseError, sqlite3.DatabaseError) as exc:
        raise ProjectError(
            f"cannot read the project database: {exc.orig if hasattr(exc, 'orig') else exc}",
            hint="the file may be damaged; restore it from a backup",
        ) from exc
