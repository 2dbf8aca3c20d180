"""The store's foundation: opening a project, one transaction per user action, undo/redo."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from sqlmodel import Session

from qualcode.core import db
from qualcode.core.models import Action, ProjectMeta
from qualcode.core.store import history
from qualcode.core.store import read as store_read
from qualcode.errors import ProjectError

PROJECT_SUFFIX = ".qualcode"


class EngineReader:
    """Runs the plain-SQL views of `store_read` through the store's engine (any database)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def rows(self, sql: str, params: store_read.Params | None = None) -> list[tuple[Any, ...]]:
        """The rows of one statement with `:name` parameters."""
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), dict(params or {}))]


class StoreBase:
    """Holds the engine; `transaction()` wraps each user action in one commit.

    `session_coder`: who works in this session (the TUI's or `--coder`); analysis counts this
    coder's codings by default when there is no consensus coder (query.resolve_coders)."""

    session_coder: str | None = None

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.reader = EngineReader(engine)

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def create(cls, target: str | Path, *, exist_ok: bool = False) -> Any:
        """Create a new project (an SQLite file path, or a database URL)."""
        url = db.project_url(target)
        if db.is_sqlite(url):
            path = Path(url.removeprefix("sqlite:///"))
            if path.exists() and path.stat().st_size > 0:
                if not exist_ok:
                    raise ProjectError(
                        f"{target}: already exists", hint="open it with `qualcode open`"
                    )
                return cls.open(target)
            if not path.parent.exists():
                raise ProjectError(f"{path.parent}: folder does not exist")
        engine = db.make_engine(url)
        db.migrate(engine, create=True)
        store = cls(engine, url)
        store.set_meta("created_by", _version())
        return store

    @classmethod
    def open(cls, target: str | Path) -> Any:
        """Open an existing project; refuses broken files and newer schemas."""
        url = db.project_url(target)
        if db.is_sqlite(url):
            store_read.check_sqlite_file(Path(url.removeprefix("sqlite:///")))
        engine = db.make_engine(url)
        db.migrate(engine, create=False)
        return cls(engine, url)

    def close(self) -> None:
        """Release connections (the data is already committed)."""
        self.engine.dispose()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- transactions ----------------------------------------------------------------------
    def session(self) -> Session:
        """A new session; objects stay readable after commit."""
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(
        self, kind: str | None = None, description: str = ""
    ) -> Iterator[tuple[Session, history.Recorder]]:
        """One user action: commit on success, roll back everything on error.

        With `kind`, the recorded changes become one undoable action.
        """
        recorder = history.Recorder()
        with self.session() as session:
            try:
                yield session, recorder
                session.flush()
                if kind is not None:
                    history.record(session, kind, recorder.description or description,
                                   recorder.changes())
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def undo(self) -> Action | None:
        """Undo the latest action (persisted: survives a restart)."""
        with self.transaction() as (session, _):
            return history.undo(session)

    def redo(self) -> Action | None:
        """Redo the action undone last."""
        with self.transaction() as (session, _):
            return history.redo(session)

    def clear_history(self) -> None:
        """Forget the undo log (used after building the sample project)."""
        from sqlalchemy import delete

        with self.transaction() as (session, _):
            session.execute(delete(Action))

    def history(self, limit: int = 50) -> list[Action]:
        """Recent actions, newest first."""
        with self.session() as session:
            stmt = select(Action).order_by(Action.id.desc()).limit(limit)  # type: ignore[union-attr]
            return list(session.execute(stmt).scalars())

    # ---- settings --------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A project setting."""
        value = store_read.get_meta(self.reader, key)
        return default if value is None else value

    def set_blind(self, coder: str, blind: bool = True) -> list[str]:
        """Turn blind coding on or off for `coder` (a project setting); returns the blind
        coders. Blind coders see only their own codings on the coding screen and in the
        analysis, so they code independently until they choose to compare."""
        import json

        names = [c for c in store_read.blind_coders(self.reader) if c != coder]
        if blind:
            names.append(coder)
        self.set_meta(store_read.BLIND_META, json.dumps(sorted(names)))
        return sorted(names)

    def set_meta(self, key: str, value: str) -> None:
        """Store a project setting."""
        with self.transaction() as (session, _):
            row = session.get(ProjectMeta, key) or ProjectMeta(key=key)
            row.value = value
            session.add(row)


def _version() -> str:
    from qualcode import __version__

    return __version__
