"""What our migrations create: the schema a project file of each revision must hold.

The expected schema is never written out by hand: it is computed by running the migrations
on an empty database (SQLAlchemy and Alembic, imported only then) and cached on disk under a
key made of the revision and a hash of the migration files, so a new migration (or a re-chained
history) is picked up by itself. Reading a cached schema needs only the standard library, so
the fast first paint (`store/read.py`) can check a file without loading SQLAlchemy.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
CACHE_FORMAT = 1
# SQLite's own bookkeeping tables, created by AUTOINCREMENT and ANALYZE / PRAGMA optimize:
# they hold statistics, never code.
SQLITE_INTERNAL = frozenset({"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})
try:  # CPython's own SHA-256: hashlib would load OpenSSL first, 5-10 ms of every first paint
    from _sha256 import sha256 as _sha256  # Python 3.11
except ImportError:  # pragma: no cover - other Pythons
    try:
        from _sha2 import sha256 as _sha256  # type: ignore[no-redef]  # Python 3.12+
    except ImportError:
        from hashlib import sha256 as _sha256  # type: ignore[no-redef]
_REVISION_RE = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*['\"]([^'\"]+)['\"]", re.M)


@dataclass(frozen=True)
class Column:
    """One column as `PRAGMA table_info` describes it, plus the JSON shape the model expects."""

    name: str
    type: str
    notnull: bool
    json_shape: str | None = None  # "object" / "array" for JSON columns of known shape


@dataclass(frozen=True)
class Schema:
    """Every schema object by (type, name) -> normalised SQL, and each table's columns."""

    objects: dict[tuple[str, str], str | None]
    tables: dict[str, tuple[Column, ...]]


def normalise_sql(sql: str | None) -> str | None:
    """SQL text with runs of whitespace collapsed (SQLite keeps it as written)."""
    return None if sql is None else " ".join(sql.split())


def read_objects(conn: sqlite3.Connection) -> dict[tuple[str, str], str | None]:
    """The schema objects of an open database, SQLite's bookkeeping tables left out."""
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    return {(str(kind), str(name)): normalise_sql(sql) for kind, name, sql in rows
            if not (kind == "table" and name in SQLITE_INTERNAL)}


def migration_files() -> list[Path]:
    """The migration scripts, sorted."""
    return sorted((MIGRATIONS_DIR / "versions").glob("*.py"))


@cache
def _fingerprint(folder: Path) -> tuple[str, frozenset[str]]:
    digest = _sha256()
    revisions: set[str] = set()
    for path in sorted((folder / "versions").glob("*.py")):
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        revisions.update(_REVISION_RE.findall(data.decode("utf-8", "replace")))
    return digest.hexdigest()[:16], frozenset(revisions)


def known_revisions() -> frozenset[str]:
    """Every revision id in the migration history (read from the scripts, no Alembic)."""
    return _fingerprint(MIGRATIONS_DIR)[1]


def expected_schema_key(revision: str) -> str:
    """The cache key of a revision's schema: changes whenever a migration script changes."""
    return f"schema-{revision}-{_fingerprint(MIGRATIONS_DIR)[0]}-{CACHE_FORMAT}"


def expected_schema(revision: str) -> Schema:
    """The schema our migrations create up to `revision` (from the disk cache when there)."""
    return _expected(expected_schema_key(revision), revision, MIGRATIONS_DIR)


@cache
def _expected(key: str, revision: str, folder: Path) -> Schema:
    folder = cache_dir()
    cached = folder / f"{key}.json" if folder else None
    if cached is not None:
        try:
            return _from_json(json.loads(cached.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    data = _compute(revision)
    if cached is not None:
        write_atomic(cached, json.dumps(data))
    return _from_json(data)


def cache_dir() -> Path | None:
    """qualcode's cache folder (None when there is none): platformdirs' user cache folder.

    On Linux with an absolute $XDG_CACHE_HOME or $HOME it is found here as platformdirs finds
    it, without importing platformdirs and the tempfile module it loads (5-10 ms of every
    first paint)."""
    if sys.platform.startswith("linux") and not hasattr(sys, "getandroidapilevel"):
        xdg, home = os.environ.get("XDG_CACHE_HOME", ""), os.environ.get("HOME", "")
        if os.path.isabs(xdg):
            return Path(xdg) / "qualcode"
        if os.path.isabs(home):
            return Path(home) / ".cache" / "qualcode"
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("qualcode", appauthor=False))
    except Exception:  # no home folder: compute every time
        return None


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step; failures are ignored (it is only a cache)."""
    import tempfile  # only when writing: not on the first paint's path

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:  # a read-only cache folder only costs the recomputation
        pass


def _compute(revision: str) -> dict[str, Any]:
    """Run the migrations up to `revision` on a new database and describe what they made."""
    import tempfile

    from qualcode.core import db

    with tempfile.TemporaryDirectory(prefix="qualcode-schema-") as folder:
        path = Path(folder) / "expected.qualcode"
        engine = db.make_engine(db.project_url(path))
        try:
            db.upgrade_to(engine, revision)
        finally:
            engine.dispose()
        conn = sqlite3.connect(path)
        try:
            objects = read_objects(conn)
            shapes = _json_shapes()
            tables: dict[str, list[list[Any]]] = {}
            for kind, name in objects:
                if kind != "table":
                    continue
                info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
                tables[name] = [[col[1], str(col[2]).upper(), bool(col[3]),
                                 shapes.get((name, col[1]))] for col in info]
        finally:
            conn.close()
    return {"objects": [[k, n, sql] for (k, n), sql in objects.items()], "tables": tables}


def _json_shapes() -> dict[tuple[str, str], str]:
    """JSON columns whose model annotation says dict (object) or list (array)."""
    import typing

    from sqlmodel import SQLModel

    import qualcode.core.models  # noqa: F401  (registers the tables)

    shapes: dict[tuple[str, str], str] = {}
    for mapper in SQLModel._sa_registry.mappers:  # type: ignore[attr-defined]
        model = mapper.class_
        table = getattr(model, "__tablename__", None)
        for name, field in getattr(model, "model_fields", {}).items():
            origin = typing.get_origin(field.annotation)
            if origin in (dict, list):
                shapes[(str(table), name)] = "object" if origin is dict else "array"
    return shapes


def _from_json(data: dict[str, Any]) -> Schema:
    objects = {(str(k), str(n)): sql for k, n, sql in data["objects"]}
    tables = {name: tuple(Column(c[0], c[1], bool(c[2]), c[3]) for c in cols)
              for name, cols in data["tables"].items()}
    return Schema(objects, tables)
