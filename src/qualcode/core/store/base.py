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
from qualcode.core.store import filecheck, history, upgrade
from qualcode.core.store import read as store_read
from qualcode.errors import ProjectError, read_only_error
from qualcode.i18n import N_, Message

PROJECT_SUFFIX = ".qualcode"


class EngineReader:
    """Runs the plain-SQL views of `store_read` through the store's engine (any database)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def rows(self, sql: str, params: store_read.Params | None = None) -> list[tuple[Any, ...]]:
        """The rows of one statement with `:name` parameters."""
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), dict(params or {}))]

    def stream(self, sql: str, params: store_read.Params | None = None
               ) -> Iterator[tuple[Any, ...]]:
        """The rows of one statement, fetched as they are consumed."""
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True).execute(
                text(sql), dict(params or {}))
            for row in result:
                yield tuple(row)


class StoreBase:
    """Holds the engine; `transaction()` wraps each user action in one commit.

    `session_coder`: who works in this session (the TUI's or `--coder`); analysis counts this
    coder's codings by default when there is no consensus coder (query.resolve_coders)."""

    session_coder: str | None = None

    def __init__(self, engine: Engine, url: str, *, read_only: Message | None = None) -> None:
        self.engine = engine
        self.url = url
        self.reader = EngineReader(engine)
        self.acting_coder: str | None = None  # who acts: their actions are theirs to undo
        self.read_only = read_only  # why nothing may be written (None: writable)
        self.notices: list[Message] = []  # what opening did that the user should hear about
        self._verified_path: Path | None = None

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def create(cls, target: str | Path, *, exist_ok: bool = False) -> Any:
        """Create a new project (an SQLite file path, or a database URL)."""
        url = db.project_url(target)
        if db.is_sqlite(url):
            path = Path(url.removeprefix("sqlite:///"))
            if path.exists() and path.stat().st_size > 0:
                if not exist_ok:
                    raise ProjectError(N_("{target}: already exists"),
                                       hint=N_("open it with `qualcode open`"), target=target)
                return cls.open(target)
            if not path.parent.exists():
                raise ProjectError(N_("{parent}: folder does not exist"), parent=path.parent)
        else:
            db.ensure_database(url)
        engine = db.make_engine(url)
        db.migrate(engine, create=True)
        store = cls(engine, url)
        store.set_meta("created_by", _version())
        if db.is_sqlite(url):
            store._verified_path = Path(url.removeprefix("sqlite:///"))
        return store

    @classmethod
    def open(cls, target: str | Path, *, read_only: bool = False) -> Any:
        """Open an existing project, which may come from anyone (see `filecheck`).

        Refuses files that are not projects, hold anything our migrations do not create, hold
        damaged rows, or come from a newer qualcode; opens a file failing SQLite's quick check
        read-only; upgrades an older schema after writing a backup beside it (`notices`).
        `read_only` opens a file that must not change (e.g. another coder's, to merge it).
        """
        url = db.project_url(target)
        if not db.is_sqlite(url):
            engine = db.make_engine(url)
            db.migrate(engine, create=False)
            writable = db.can_write(engine)
            return cls(engine, url, read_only=None if writable else read_only_error(
                engine.url.username).msg)
        path = Path(url.removeprefix("sqlite:///"))
        check = filecheck.check_project_file(path)
        notices: list[Message] = []
        if check.revision != store_read.SCHEMA_HEAD:
            if check.damage or read_only:
                raise ProjectError(N_("{path}: made by an older qualcode (schema {revision}) "
                                      "and cannot be upgraded here: {why}"),
                                   hint=N_("open a copy of the file, or restore it from a backup"),
                                   path=path, revision=check.revision,
                                   why=check.damage or Message(N_("it was opened read-only")))
            notices.append(upgrade.upgrade_with_backup(path, check.revision))
        why = check.damage or (Message(N_("{path}: opened read-only"), {"path": path})
                               if read_only else None)
        store = cls(db.make_engine(url, read_only=why is not None), url, read_only=why)
        store.notices = [*notices, *([check.damage] if check.damage else [])]
        if why is None:
            store._verified_path = path
        return store

    @property
    def location(self) -> str:
        """Where the project is, for messages and screens (a path, or a URL without password)."""
        return db.safe_url(self.url)

    @property
    def on_server(self) -> bool:
        """Whether the project lives on a database server (PostgreSQL) rather than in a file."""
        return not db.is_sqlite(self.url)

    def coder_name(self, given: str | None = None) -> str:
        """Who codes in this session: `given`, else QUALCODE_CODER, else the project's default
        coder, else (on a server) the login name, else "researcher"."""
        import os

        chosen = given or os.environ.get("QUALCODE_CODER") or self.get_meta("default_coder")
        if not chosen and self.on_server:
            chosen = self.engine.url.username
        return chosen or store_read.DEFAULT_CODER

    def close(self) -> None:
        """Release connections (the data is already committed)."""
        self.engine.dispose()
        if self._verified_path is not None:  # what qualcode wrote itself needs no new scan
            filecheck.remember_verified(self._verified_path, store_read.SCHEMA_HEAD)
            self._verified_path = None

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
        self, kind: str | None = None, description: str | Message = ""
    ) -> Iterator[tuple[Session, history.Recorder]]:
        """One user action: commit on success, roll back everything on error.

        With `kind`, the recorded changes become one undoable action.
        """
        if self.read_only:
            if self.on_server:  # a login without write permission
                raise read_only_error(self.engine.url.username)
            raise ProjectError(self.read_only,
                               hint=N_("nothing was changed; work on a copy restored from a "
                                       "backup"))
        recorder = history.Recorder()
        with self.session() as session:
            try:
                yield session, recorder
                session.flush()
                if kind is not None:
                    history.record(session, kind, recorder.description or description,
                                   recorder.changes(), coder=self.acting_coder)
                session.commit()
            except BaseException as exc:
                session.rollback()
                if self.on_server and type(getattr(exc, "orig", None)).__name__ == \
                        "InsufficientPrivilege":  # write permission taken away meanwhile
                    raise read_only_error(self.engine.url.username) from None
                raise

    def undo(self, coder: str | None = None) -> Action | None:
        """Undo the latest action (of `coder`, else of the acting coder, else anyone's).

        Persisted: survives a restart. On a shared project one coder's undo never undoes
        another coder's actions.
        """
        with self.transaction() as (session, _):
            return history.undo(session, coder or self.acting_coder)

    def redo(self, coder: str | None = None) -> Action | None:
        """Redo the action undone last (of `coder`, else of the acting coder, else anyone's)."""
        with self.transaction() as (session, _):
            return history.redo(session, coder or self.acting_coder)

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
        """Store a project setting (a read-only server login keeps its settings for the
        session: a reviewer's screen positions are not worth an error)."""
        if self.read_only and self.on_server:
            return
        with self.transaction() as (session, _):
            row = session.get(ProjectMeta, key) or ProjectMeta(key=key)
            row.value = value
            session.add(row)


def _version() -> str:
    from qualcode import __version__

    return __version__
