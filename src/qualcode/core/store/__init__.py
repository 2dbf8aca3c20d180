"""The project store: one package, one module per concern.

- `project`: `Project`, the project API (`Project.open(path_or_url)`), assembled from
- `base` (engine, sessions, meta, undo plumbing), `sources` (import, versions), `coding`
  (codings, memos), `codebooks` (codebooks and codes), `analysis` (summaries, conclusions);
- `summary` and `view`: counting and listing reads for screens and commands (SQL does the work);
- `read`: plain-SQL reads that run on `sqlite3` before SQLAlchemy is imported (first paint);
- `handle`: opens the full store on a thread behind those fast reads;
- `history`: the action log behind undo / redo;
- `filecheck`, `expected`, `upgrade`: a project file is data, never code (checked on every
  open against the schema the migrations create); older files are upgraded after a backup.

`from qualcode.core.store import Project` works; importing `qualcode.core.store.read` alone does
not import SQLAlchemy (the names below are loaded on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qualcode.core.store.project import (
        CodingRow,
        ImportOutcome,
        ImportReport,
        Project,
        check_valence,
        open_untrusted,
    )

__all__ = ["CodingRow", "ImportOutcome", "ImportReport", "Project", "check_valence",
           "open_untrusted"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from qualcode.core.store import project

        return getattr(project, name)
    raise AttributeError(name)
