"""A project file is data, never code: what every open checks before anything else touches it.

`check_project_file(path)` runs on the standard library alone, through a read-only connection
(`mode=ro`, `trusted_schema=OFF`, no extensions), so a file that fails is never modified:

- the path is a regular, non-empty file that SQLite reads as a database;
- its schema revision is one this qualcode knows (a newer one is refused);
- every table, column, index, trigger and view is exactly what our migrations create (by name
  and SQL): a trigger or view we did not create is refused, so nothing in the file can run;
- SQLite's `quick_check` passes; if it does not, the file is opened read-only with that message;
- every row holds what its column declares (integers, text, valid JSON of the right shape,
  timestamps), every span lies inside its source's text and every reference points at a row
  that exists (a coding of a missing code would silently drop out of every count); a damaged
  row is named.

The row checks scan every table, about 0.7 s for 100,000 codings, so a file whose size and
times are unchanged since it last passed (or since qualcode itself last wrote it) is not
scanned again; the schema is compared on every open.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from qualcode.core.store import expected
from qualcode.errors import ProjectError
from qualcode.i18n import N_, Message, _

_INTEGER = ("INTEGER", "BOOLEAN", "BIGINT", "SMALLINT")
_TEXT = ("VARCHAR", "TEXT", "CHAR", "CLOB")
_NOT_PROJECT_HINT = N_("open the .qualcode file that `qualcode init` created")
_DAMAGED_HINT = N_("restore the file from a backup, or ask whoever sent it for a new copy")
VERIFIED_FILE = "verified-projects.json"
VERIFIED_KEEP = 256


@dataclass(frozen=True)
class FileCheck:
    """A project file that passed: its schema revision, and why it is read-only (if it is)."""

    path: Path
    revision: str
    damage: Message | None = None


def require_regular_file(path: Path) -> os.stat_result:
    """The file's status; refuses a missing path, a folder, a FIFO or a device."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ProjectError(N_("{path}: no such project file"),
                           hint=N_("create one with `qualcode init PATH`"),
                           path=path) from None
    except OSError as exc:
        raise ProjectError(N_("{path}: cannot be opened ({problem})"), path=path,
                           problem=exc.strerror or exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise ProjectError(N_("{path}: is a folder, not a project file"), path=path)
    if not stat.S_ISREG(info.st_mode):
        raise ProjectError(N_("{path}: is not a regular file (a pipe or a device); not a "
                              "project file"),
                           hint=_NOT_PROJECT_HINT, path=path)
    return info


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write the file nor run anything stored in it.

    Without a write-ahead log beside the file (no program has it open) the file is opened
    as immutable, so not even SQLite's `-wal` and `-shm` companions are created next to it.
    """
    immutable = "" if Path(f"{path}-wal").exists() else "&immutable=1"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{immutable}", uri=True,
                           check_same_thread=False)
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA busy_timeout=5000")
    if hasattr(conn, "enable_load_extension"):
        conn.enable_load_extension(False)
    return conn


def check_project_file(path: Path) -> FileCheck:
    """Check a project file (see the module docstring); ProjectError when it is refused."""
    info = require_regular_file(path)
    if info.st_size == 0:
        raise ProjectError(N_("{path}: the file is empty; not a qualcode project"),
                           hint=_NOT_PROJECT_HINT, path=path)
    try:
        conn = connect_read_only(path)
    except sqlite3.Error as exc:
        raise ProjectError(N_("{path}: cannot be opened ({problem})"), path=path,
                           problem=exc) from None
    try:
        return _check(conn, path)
    finally:
        conn.close()


def _check(conn: sqlite3.Connection, path: Path) -> FileCheck:
    try:
        objects = expected.read_objects(conn)
    except sqlite3.OperationalError as exc:  # locked, unreadable: not a question of format
        raise ProjectError(N_("{path}: cannot be opened ({problem})"), path=path,
                           problem=exc) from None
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc) or "corrupt" in str(exc):
            raise ProjectError(N_("{path}: the project database is damaged ({problem})"),
                               hint=_DAMAGED_HINT, path=path, problem=exc) from None
        raise ProjectError(N_("{path}: not a qualcode project (not an SQLite database)"),
                           hint=_NOT_PROJECT_HINT, path=path) from None
    if ("table", "alembic_version") not in objects:
        what = Message(N_("has no tables") if not objects else N_("has no qualcode schema"))
        raise ProjectError(N_("{path}: {what}; not a qualcode project"),
                           hint=N_("create a project with `qualcode init PATH`"),
                           path=path, what=what)
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(N_("{path}: the project database is damaged ({problem})"),
                           hint=_DAMAGED_HINT, path=path, problem=exc) from None
    if len(rows) != 1 or not isinstance(rows[0][0], str):
        raise ProjectError(N_("{path}: its schema version is unreadable; not a qualcode project"),
                           hint=_NOT_PROJECT_HINT, path=path)
    revision = rows[0][0]
    if revision not in expected.known_revisions():
        raise ProjectError(N_("this project was made by a newer version of qualcode (schema "
                              "{revision})"),
                           hint=N_("upgrade qualcode (`uv sync` / `pip install -U qualcode`) to "
                                   "open it"),
                           revision=revision[:40])
    schema = expected.expected_schema(revision)
    compare_schema(path, objects, schema)
    stamp = _stamp(path, revision)
    if stamp is not None and _verified().get(stamp[0]) == stamp[1]:
        return FileCheck(path, revision)
    damage = quick_check(conn)
    if damage is not None:
        return FileCheck(path, revision, Message(N_(
            "{path} fails SQLite's quick check ({problem}); opened read-only, nothing will be "
            "written into it"), {"path": path, "problem": damage}))
    try:
        check_rows(conn, schema)
    except sqlite3.OperationalError:  # locked, or a mistake of ours: not the file's damage
        raise
    except sqlite3.DatabaseError as exc:
        return FileCheck(path, revision, Message(N_(
            "{path}: cannot read every row ({problem}); opened read-only, nothing will be "
            "written into it"), {"path": path, "problem": str(exc)}))
    except ProjectError as exc:
        raise ProjectError(N_("{path}: {problem}"), hint=_DAMAGED_HINT, path=path,
                           problem=exc.msg) from None
    remember_verified(path, revision)
    return FileCheck(path, revision)


def compare_schema(path: Path, objects: dict[tuple[str, str], str | None],
                   schema: expected.Schema) -> None:
    """Refuse any schema object our migrations do not create, and any we do that differs."""
    for (kind, name), sql in sorted(objects.items()):
        if (kind, name) not in schema.objects:
            raise ProjectError(N_("{path}: not opened: it holds a {kind} '{name}' that qualcode "
                                  "does not create (a project file must hold data only)"),
                               hint=N_("ask whoever sent it for a file made by qualcode itself"),
                               path=path, kind=kind, name=name[:80])
        if schema.objects[(kind, name)] != sql:
            raise ProjectError(N_("{path}: not opened: its {kind} '{name}' is not the one "
                                  "qualcode creates"),
                               hint=N_("ask whoever sent it for a file made by qualcode itself"),
                               path=path, kind=kind, name=name[:80])
    missing = sorted(set(schema.objects) - set(objects), key=lambda o: (o[0] != "table", o))
    if missing:
        kind, name = missing[0]
        raise ProjectError(N_("{path}: not opened: its {kind} '{name}' is missing"),
                           hint=_DAMAGED_HINT, path=path, kind=kind, name=name)


def quick_check(conn: sqlite3.Connection) -> str | None:
    """SQLite's quick check: None when it passes, else its first complaint."""
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    first = " ".join(str(rows[0][0]).split()) if rows else "no answer"
    return None if first == "ok" else first[:200]


def _column_fault(column: expected.Column) -> str | None:
    """An SQL condition true when a value does not fit the column, or None (anything goes)."""
    q = f'"{column.name}"'
    kind = column.type.split("(")[0].strip()
    if kind in _INTEGER:
        cond = f"typeof({q}) != 'integer'"
    elif kind in _TEXT:
        cond = f"typeof({q}) != 'text'"
    elif kind == "JSON":
        cond = f"typeof({q}) != 'text' OR NOT json_valid({q})"
        if column.json_shape:
            cond += f" OR json_type({q}) != '{column.json_shape}'"
    elif kind == "DATETIME":
        cond = (f"typeof({q}) != 'text' OR {q} NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-"
                f"[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' OR substr({q}, 1, 19)"
                f" IS NOT strftime('%Y-%m-%d %H:%M:%S', julianday(substr({q}, 1, 19)))")
    elif kind in ("FLOAT", "REAL", "NUMERIC", "DOUBLE"):
        cond = f"typeof({q}) NOT IN ('integer', 'real')"
    else:
        return None
    return f"({cond})" if column.notnull else f"({q} IS NOT NULL AND ({cond}))"


def _row_name(conn: sqlite3.Connection, table: str, rowid: int,
              columns: tuple[expected.Column, ...]) -> str:
    names = {c.name for c in columns}
    key = "id" if "id" in names else "key" if "key" in names else None
    if key is None:
        return _("{table} row {rowid}").format(table=table, rowid=rowid)
    value = conn.execute(f'SELECT "{key}" FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()
    shown = repr(value[0])[:60] if value else rowid
    return _("{table} {key} {value}").format(table=table, key=key, value=shown)


def check_rows(conn: sqlite3.Connection, schema: expected.Schema) -> None:
    """ProjectError naming the first row whose values do not fit their columns, or whose span
    lies outside its source's text."""
    for table, columns in schema.tables.items():
        faults = [(c, f) for c in columns if (f := _column_fault(c)) is not None]
        if not faults:
            continue
        where = " OR ".join(f for _, f in faults)
        row = conn.execute(f'SELECT rowid FROM "{table}" WHERE {where} LIMIT 1').fetchone()
        if row is None:
            continue
        for column, fault in faults:
            bad = conn.execute(f'SELECT 1 FROM "{table}" WHERE rowid = ? AND {fault}',
                               (row[0],)).fetchone()
            if bad:
                raise ProjectError(N_("damaged row: {row}, column {column} does not hold {type}"),
                                   row=_row_name(conn, table, row[0], columns), column=column.name,
                                   type=_type_word(column))
    _check_spans(conn, schema)
    dangling = conn.execute("PRAGMA foreign_key_check").fetchone()
    if dangling is not None:
        table, rowid, parent = dangling[0], dangling[1], dangling[2]
        name = _row_name(conn, table, rowid, schema.tables.get(table, ()))
        raise ProjectError(N_("damaged row: {row}: refers to a {parent} that does not exist"),
                           row=name, parent=parent)


def _type_word(column: expected.Column) -> str:
    kind = column.type.split("(")[0].strip()
    if kind == "JSON":
        return _("valid JSON") if not column.json_shape else _("a JSON {shape}").format(
            shape=column.json_shape)
    if kind == "DATETIME":
        return _("a date and time")
    if kind in _INTEGER:
        return _("a whole number")
    return _("text") if kind in _TEXT else kind.lower()


def _check_spans(conn: sqlite3.Connection, schema: expected.Schema) -> None:
    """Every (start, end) of a table with source_id lies inside its source's text."""
    if "source" not in schema.tables:
        return
    lengths = dict(conn.execute("SELECT id, length(text) FROM source").fetchall())
    for table, columns in schema.tables.items():
        if not {"source_id", "start", "end"} <= {c.name for c in columns}:
            continue
        for sid, low, high, reversed_ in conn.execute(
                f'SELECT source_id, min(start), max("end"), max(start > "end") FROM "{table}"'
                " GROUP BY source_id"):
            size = lengths.get(sid)
            if size is not None and low >= 0 and high <= size and not reversed_:
                continue
            if size is None:
                where, params = "source_id = ?", (sid,)
                problem = _("its source {source} does not exist").format(source=sid)
            else:
                where = 'source_id = ? AND (start < 0 OR "end" < start OR "end" > ?)'
                params = (sid, size)
                problem = _("its span lies outside the text of source {source} ({n} "
                            "characters)").format(source=sid, n=size)
            row = conn.execute(f'SELECT rowid FROM "{table}" WHERE {where} LIMIT 1',
                               params).fetchone()
            name = _row_name(conn, table, row[0], columns) if row else table
            raise ProjectError(N_("damaged row: {row}: {problem}"), row=name, problem=problem)


# ---- files that passed ------------------------------------------------------------------------
def _stamp(path: Path, revision: str) -> tuple[str, list[int | str]] | None:
    """The file's identity and state: (device:inode, [sizes, times, revision, schema])."""
    try:
        main = path.stat()
        wal = Path(f"{path}-wal")
        wal_info = wal.stat() if wal.exists() else None
    except OSError:
        return None
    fingerprint = expected.expected_schema_key(revision)
    state: list[int | str] = [main.st_size, main.st_mtime_ns, main.st_ctime_ns,
                              wal_info.st_size if wal_info else -1,
                              wal_info.st_mtime_ns if wal_info else -1, fingerprint]
    return f"{main.st_dev}:{main.st_ino}", state


def _verified_path() -> Path | None:
    folder = expected.cache_dir()
    return folder / VERIFIED_FILE if folder else None


def _verified() -> dict[str, list[int | str]]:
    file = _verified_path()
    if file is None:
        return {}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember_verified(path: Path, revision: str) -> None:
    """Record that the file, as it is now, passed (or was last written by qualcode itself)."""
    stamp, file = _stamp(path, revision), _verified_path()
    if stamp is None or file is None:
        return
    known = _verified()
    known.pop(stamp[0], None)
    known[stamp[0]] = stamp[1]
    expected.write_atomic(file, json.dumps(dict(list(known.items())[-VERIFIED_KEEP:])))
