"""An open project that can be read at once while its store loads in the background.

Importing SQLAlchemy, SQLModel and the models costs more than half a second on a slow machine,
longer than a researcher should wait to see a transcript. `ProjectHandle.open` checks an SQLite
project with the standard library alone (`filecheck`: a database holding exactly the current
schema and sound rows) and returns a handle whose `reader` answers the plain-SQL views of
`store_read` at once. `start_loading()` opens the full `Project` on a background thread;
`project` waits for it, so a write issued early is delayed, never lost. Anything else (a server
URL, an older schema to migrate, a damaged file) is opened fully before `open` returns, with
the usual errors.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.core.store import read as store_read
from qualcode.core.store.filecheck import check_project_file
from qualcode.core.store.read import Reader, SqliteReader

if TYPE_CHECKING:
    from qualcode.core.store import Project


class ProjectHandle:
    """A project's fast reader now, its full store (`project`) when loaded."""

    def __init__(self, *, reader: Reader, target: str | Path | None = None,
                 project: Project | None = None) -> None:
        self._reader = reader
        self._target = target
        self._project = project
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @classmethod
    def of(cls, project: Project) -> ProjectHandle:
        """A handle on a project that is already open."""
        return cls(reader=project.reader, project=project)

    @classmethod
    def open(cls, target: str | Path) -> ProjectHandle:
        """Open a project: fast for a current SQLite file, fully for anything else."""
        text = str(target)
        if "://" not in text:
            path = Path(text).expanduser().resolve()
            check = check_project_file(path)  # refuses anything that is not plain data
            if check.revision == store_read.SCHEMA_HEAD and check.damage is None:
                return cls(reader=SqliteReader(path), target=path)
        from qualcode.core.store import Project

        return cls.of(Project.open(target))

    @property
    def ready(self) -> bool:
        """Whether the full store is open."""
        return self._project is not None

    @property
    def error(self) -> BaseException | None:
        """Why the background load failed (None while it runs or after it succeeded)."""
        return self._error

    @property
    def reader(self) -> Reader:
        """The store's reader once it is open, the fast one before."""
        project = self._project
        return project.reader if project is not None else self._reader

    def start_loading(self) -> None:
        """Open the full store on a background thread (once; no-op when it is open)."""
        if self._project is not None or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._load, name="qualcode-store", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        try:
            from qualcode.core.store import Project

            assert self._target is not None
            self._project = Project.open(self._target)
        except BaseException as exc:  # re-raised where `project` is asked for
            self._error = exc

    @property
    def project(self) -> Project:
        """The full store, waiting for the background load if it is still running."""
        if self._project is None:
            self.start_loading()
            assert self._thread is not None
            self._thread.join()
            if self._error is not None:
                raise self._error
            assert self._project is not None
        return self._project

    def close(self) -> None:
        """Release the store's connections and the fast reader (waits for a running load)."""
        if self._thread is not None:
            self._thread.join()
        if self._project is not None:
            self._project.close()
        if isinstance(self._reader, SqliteReader):
            self._reader.close()
