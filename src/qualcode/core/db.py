"""Engine and session factory from a URL, SQLite pragmas, and Alembic migrations.

This is the only module that knows engine specifics (SQLite pragmas, PostgreSQL URLs, database
creation, the migration lock); everything else speaks portable SQLAlchemy.

Credentials never leave this module in text: `safe_url` is what messages and screens show.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

from qualcode.core.store import expected
from qualcode.core.store import read as store_read
from qualcode.errors import ProjectError
from qualcode.i18n import N_

MIGRATIONS_DIR = expected.MIGRATIONS_DIR
SCHEMA_HEAD = store_read.SCHEMA_HEAD  # the newest revision (tests compare it to the scripts)


PG_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_url(target: str | Path) -> bool:
    """Whether `target` is a database URL rather than a file path."""
    return "://" in str(target)


def project_url(target: str | Path) -> str:
    """A SQLAlchemy URL from a path (a `.qualcode` SQLite file) or a database URL.

    `postgresql://` and `postgres://` use the psycopg (3) driver, the one qualcode ships.
    """
    text = str(target)
    if "://" in text:
        for scheme in PG_SCHEMES[:2]:
            if text.startswith(scheme):
                return "postgresql+psycopg://" + text[len(scheme):]
        if not (text.startswith("sqlite") or text.startswith("postgresql+psycopg://")):
            raise ProjectError(N_("{text}: unsupported database URL"),
                               hint=N_("use a .qualcode file or postgresql://USER@HOST/DATABASE"),
                               text=safe_url(text))
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def is_sqlite(url: str) -> bool:
    """Whether the URL names an SQLite database."""
    return url.startswith("sqlite")


def safe_url(url: str) -> str:
    """The URL for messages and screens: any password replaced by `***`."""
    if "://" not in url or is_sqlite(url):
        return url.removeprefix("sqlite:///")
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not parseable: show the scheme and host part only, never the rest
        scheme, _, rest = url.partition("://")
        return f"{scheme}://{rest.rpartition('@')[2]}"


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` if it does not exist yet.

    Connects to the server's `postgres` database with the same login; a login that may not
    create databases gets a clear message (ask the administrator to create it).
    """
    from sqlalchemy.engine import make_url

    target = make_url(url)
    name = target.database
    if not name:
        raise ProjectError(N_("{url}: the URL names no database"),
                           hint=N_("end the URL with /DATABASE, e.g. postgresql://me@host/study"),
                           url=safe_url(url))
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            from sqlalchemy import text

            found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                 {"n": name}).first()
            if found is None:
                quoted = '"' + name.replace('"', '""') + '"'
                conn.execute(text(f"CREATE DATABASE {quoted}"))
    except (OperationalError, DatabaseError) as exc:
        raise ProjectError(N_("{url}: cannot create the database ({exc})"),
                           hint=N_("ask the server's administrator to create it, then run "
                                   "`qualcode init` again"),
                           url=safe_url(url), exc=server_reason(exc)) from None
    finally:
        admin.dispose()


def can_write(engine: Engine) -> bool:
    """Whether the server login may change the project (INSERT on the coding table)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT has_table_privilege(current_user, 'coding', 'INSERT')")).scalar())


def server_reason(exc: BaseException) -> str:
    """The server's own first line for a database error, without SQL or parameters."""
    orig = getattr(exc, "orig", None) or exc
    first = str(orig).strip().splitlines()
    return first[0] if first else type(orig).__name__


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
    return create_engine(url, pool_pre_ping=True,
                         connect_args={"application_name": "qualcode", "connect_timeout": 10})


def bulk_insert(conn: Any, table: Any, columns: Sequence[str],
                rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert many plain rows (ints, strings, bools, None) in one executemany.

    The statement is compiled for the connection's dialect, so this stays portable; it skips
    the ORM's per-row bookkeeping, which dominates imports of hundreds of thousands of segments.
    With SQLite the rows go straight to the driver's executemany, as they are produced (an
    iterator is never turned into a list), in the connection's current transaction.
    """
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=list(columns))
    if conn.dialect.name == "sqlite":
        cursor = conn.connection.cursor()
        try:
            cursor.executemany(compiled.string, rows)
        finally:
            cursor.close()
        return
    params: Any = list(rows) if compiled.positional else [dict(zip(columns, r, strict=True))
                                                           for r in rows]
    if params:
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
                raise ProjectError(N_("{path}: {what}; not a qualcode project"),
                                   hint=N_("create a project with `qualcode init PATH`"),
                                   path=engine.url.database or engine.url, what=what)
        elif current == store_read.SCHEMA_HEAD:
            return
        elif current not in known_revisions():
            raise ProjectError(N_("this project was made by a newer version of qualcode (schema "
                                  "{current})"),
                               hint=N_("upgrade qualcode (`uv sync` / `pip install -U "
                                       "qualcode`) to open it"), current=current)
        with _migration_lock(engine):
            upgrade_to(engine, "head")
    except (OperationalError, DatabaseError, sqlite3.DatabaseError) as exc:
        if not is_sqlite(str(engine.url)):
            raise ProjectError(N_("{url}: {reason}"),
                               hint=N_("check the server address, the database name and your "
                                       "login (password from PGPASSWORD or ~/.pgpass)"),
                               url=safe_url(str(engine.url)), reason=server_reason(exc)) from None
        raise ProjectError(N_("cannot read the project database: {detail}"),
                           hint=N_("the file may be damaged; restore it from a backup"),
                           detail=exc.orig if hasattr(exc, 'orig') else exc) from exc


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """On PostgreSQL, one migrating client at a time (a session advisory lock)."""
    if is_sqlite(str(engine.url)):
        yield
        return
    from sqlalchemy import text

    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(7423101)"))
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(7423101)"))
            conn.commit()
