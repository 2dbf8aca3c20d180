"""Move a whole project between engines: a file to a server (`push`) and back (`pull`).

Every table the models define is copied row by row with its ids, undo history included, in
foreign-key order and in batches (memory stays flat on large projects). Afterwards both sides
are compared table by table (row count and a digest of every row in id order); the copy is
only kept when they match. A new file is written beside its final name and renamed at the
end; a server database must hold no qualcode project yet, and is emptied again when the copy
fails. So a failed push or pull leaves nothing half written.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, func, inspect, select, text
from sqlmodel import SQLModel

from qualcode.core import db
from qualcode.errors import ProjectError
from qualcode.i18n import N_

BATCH = 5000


@dataclass
class TransferReport:
    """What was copied: rows per table, and whether both sides compared equal."""

    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    verified: bool = False

    @property
    def total(self) -> int:
        """All rows copied."""
        return sum(self.rows.values())


def _tables() -> list[Table]:
    import qualcode.core.models  # noqa: F401  (registers the tables)

    return list(SQLModel.metadata.sorted_tables)


def _batches(engine: Engine, table: Table) -> Iterator[list[dict[str, Any]]]:
    order = [c for c in table.primary_key.columns] or list(table.columns)
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(table).order_by(*order))
        for part in result.mappings().partitions(BATCH):
            yield [dict(row) for row in part]


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def table_digest(engine: Engine, table: Table) -> tuple[int, str]:
    """Row count and SHA-256 of every row (columns by name, values canonical) in id order."""
    digest = hashlib.sha256()
    count = 0
    names = sorted(c.name for c in table.columns)
    for batch in _batches(engine, table):
        for row in batch:
            digest.update(json.dumps([_canonical(row[n]) for n in names], sort_keys=True,
                                     ensure_ascii=False, default=str).encode())
            count += 1
    return count, digest.hexdigest()


def compare(source: Engine, target: Engine) -> dict[str, tuple[int, int]]:
    """Tables whose rows differ between the two databases: name -> (rows here, rows there)."""
    differ: dict[str, tuple[int, int]] = {}
    for table in _tables():
        n1, d1 = table_digest(source, table)
        n2, d2 = table_digest(target, table)
        if d1 != d2:
            differ[table.name] = (n1, n2)
    return differ


def _reset_sequences(engine: Engine) -> None:
    """After inserting explicit ids, let PostgreSQL's id sequences continue after them."""
    if db.is_sqlite(str(engine.url)):
        return
    with engine.begin() as conn:
        for table in _tables():
            if "id" not in table.columns or not table.c.id.autoincrement:
                continue
            seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"),
                               {"t": table.name}).scalar()
            if seq:
                top = conn.execute(select(func.max(table.c.id))).scalar()
                conn.execute(text("SELECT setval(:s, :v, :called)"),
                             {"s": seq, "v": top or 1, "called": top is not None})


def _is_empty_target(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names())
    return not names & {t.name for t in _tables()} and "alembic_version" not in names


def _drop_all(engine: Engine) -> None:
    with engine.begin() as conn:
        SQLModel.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def copy_project(source: str | Path, target: str | Path,
                 progress: Callable[[str, int], None] | None = None) -> TransferReport:
    """Copy the project at `source` into a new project at `target` and verify the copy.

    `target` is a file that must not exist yet, or a server database holding no project.
    """
    from qualcode.core.store import Project

    src = Project.open(source)
    report = TransferReport(src.location, "")
    target_url = db.project_url(target)
    final: Path | None = None
    if db.is_sqlite(target_url):
        final = Path(target_url.removeprefix("sqlite:///"))
        if final.exists():
            src.close()
            raise ProjectError(N_("{final}: already exists"),
                               hint=N_("choose a new file name; nothing was written"),
                               final=final)
        if not final.parent.is_dir():
            src.close()
            raise ProjectError(N_("{parent}: folder does not exist"), parent=final.parent)
        work: str | Path = final.with_name(f".{final.name}.{os.getpid()}.partial")
    else:
        work = target_url
        db.ensure_database(target_url)
        probe = db.make_engine(target_url)
        try:
            if not _is_empty_target(probe):
                raise ProjectError(N_("{target_url}: already holds a qualcode project"),
                                   hint=N_("use a new database name; nothing was written"),
                                   target_url=db.safe_url(target_url))
        finally:
            probe.dispose()
    report.target = db.safe_url(target_url)
    dest = None
    try:
        dest = Project.create(work)
        with dest.engine.begin() as conn:
            for table in _tables():
                conn.execute(table.delete())  # rows the new project starts with (settings)
            for table in _tables():
                copied = 0
                for batch in _batches(src.engine, table):
                    conn.execute(table.insert(), batch)
                    copied += len(batch)
                    if progress:
                        progress(table.name, copied)
                report.rows[table.name] = copied
        _reset_sequences(dest.engine)
        differ = compare(src.engine, dest.engine)
        if differ:
            detail = ", ".join(f"{t} ({a} vs {b} rows)" for t, a, b in
                               ((t, *n) for t, n in differ.items()))
            raise ProjectError(N_("the copy differs from the original: {detail}"),
                               hint=N_("nothing was kept; report this as a bug"),
                               detail=detail)
        report.verified = True
    except BaseException:
        if dest is not None:
            if final is None:
                _drop_all(dest.engine)
            dest.close()
            dest = None
        if final is not None:
            for leftover in (Path(str(work)), Path(f"{work}-wal"), Path(f"{work}-shm")):
                leftover.unlink(missing_ok=True)
        raise
    finally:
        src.close()
        if dest is not None:
            dest.close()
    if final is not None:
        os.replace(work, final)
    return report


def verify_same(a: str | Path, b: str | Path) -> dict[str, tuple[int, int]]:
    """Compare two projects table by table; empty when every row is the same."""
    from qualcode.core.store import Project

    with Project.open(a) as one, Project.open(b) as two:
        return compare(one.engine, two.engine)


def table_names() -> list[str]:
    """The tables a project copy carries, in foreign-key order."""
    return [t.name for t in _tables()]

