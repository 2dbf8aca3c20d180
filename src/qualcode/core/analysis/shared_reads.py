"""Reads shared by many displays of one project built at once (an export), and the plain
DBAPI fetch every analysis query goes through.

Inside `with shared_reads(project):` a statement asked again is answered from its first
answer (`fetch_rows`), and query.coding_counts sums every grouping from one count per
selection (`rolled_up`). Row-level reads (one row per coding) are never kept.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# (engine, answers) while shared_reads is in force: a query's rows by its SQL and parameters
_SHARED: ContextVar[tuple[Any, dict[tuple[str, str], list[Any]]] | None] = ContextVar(
    "qualcode_shared_reads", default=None)


@contextmanager
def shared_reads(project: Any) -> Iterator[None]:
    """Build many displays of one project at once (an export): inside the block a query
    asked again is answered from its first answer, and coding_counts rolls every grouping up
    from one count per selection. Nothing may change the project inside the block."""
    token = _SHARED.set((project.engine, {}))
    try:
        yield
    finally:
        _SHARED.reset(token)


def answers(engine: Any) -> dict[tuple[str, str], list[Any]] | None:
    """The answers kept for `engine` while shared_reads is in force, else None."""
    shared = _SHARED.get()
    return shared[1] if shared is not None and shared[0] is engine else None


def fetch_rows(conn: Any, stmt: Any) -> list[Any]:
    """Execute and fetch plain DBAPI tuples, skipping SQLAlchemy's per-row objects (3x faster
    on 100,000 rows). Only for columns that need no result processing (ints, text).
    Under shared_reads, the same statement is run once."""
    found = answers(conn.engine)
    if found is None:
        return fetch(conn, stmt)
    compiled = stmt.compile(dialect=conn.dialect)
    key = (str(compiled), repr(sorted(compiled.params.items())))
    if key not in found:
        found[key] = fetch(conn, stmt)
    return list(found[key])


def fetch(conn: Any, stmt: Any) -> list[Any]:
    """Execute and fetch plain DBAPI tuples (never shared)."""
    result = conn.execute(stmt)
    cursor = getattr(result, "cursor", None)
    return list(cursor.fetchall()) if cursor is not None else list(result.all())


def rolled_up(finest: pd.DataFrame, by: Sequence[str]) -> list[tuple[Any, ...]]:
    """The rows of a coarser count (the groups of `by` plus n) summed from a finer one,
    as the database returns them (None for a missing informant)."""
    import pandas as pd

    if not by:
        return [(int(finest["n"].sum()),)]
    sums = finest.groupby(list(by), dropna=False, sort=True)["n"].sum()
    keys = sums.index.tolist() if len(by) > 1 else [(k,) for k in sums.index.tolist()]
    return [(*(None if pd.isna(v) else v for v in key), int(n))
            for key, n in zip(keys, sums.tolist(), strict=True)]
