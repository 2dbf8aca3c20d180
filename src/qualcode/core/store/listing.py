"""Listings for commands and screens as plain SQL: sources, informants, codings, code counts.

Like `read`, this module never imports SQLAlchemy: the statements run through a `Reader` (the
store's engine, any database, or sqlite3 for a current SQLite file, see `open_reader`), so a
listing command costs what its query costs. No listing loads what it does not show: counting
is one `GROUP BY` per table, the codings listing selects no source text per row, and excerpts
are cut from one source text at a time while the rows stream.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from qualcode.core.store.read import (
    SCHEMA_HEAD,
    Params,
    Reader,
    SqliteReader,
    check_sqlite_file,
    find_source_id,
    schema_revision,
)
from qualcode.errors import NotFoundError, QualcodeError

VALENCES = ("+", "-", "0")  # the same as models.VALENCES (a test keeps them equal)


class StreamReader(Reader, Protocol):
    """A reader that can also hand rows over one at a time."""

    def stream(self, sql: str, params: Params | None = None) -> Iterator[tuple[Any, ...]]: ...


@contextmanager
def open_reader(target: str | Path) -> Iterator[StreamReader]:
    """A reader on a project: sqlite3 for a current SQLite file (no SQLAlchemy loaded), else
    the opened store's (which also brings an older schema up to date)."""
    text = str(target)
    if "://" not in text:
        path = Path(text)
        check_sqlite_file(path)
        if path.stat().st_size > 0:
            reader = SqliteReader(path)
            try:
                if schema_revision(reader) == SCHEMA_HEAD:
                    yield reader
                    return
            finally:
                reader.close()
    from qualcode.core.store import Project

    with Project.open(target) as project:
        yield project.reader


def check_valence(valence: str) -> str:
    """Normalise a valence (+, -, 0; also 'pos', 'neg', 'neutral')."""
    aliases = {"pos": "+", "positive": "+", "neg": "-", "negative": "-", "neutral": "0",
               "n": "0", "": "0"}
    value = aliases.get(valence.lower(), valence)
    if value not in VALENCES:
        raise QualcodeError(f"valence {valence!r} is not one of + - 0",
                            hint="+ carried out well, - shortfall, 0 neutral")
    return value


# ---- sources and informants ----------------------------------------------------------------
@dataclass(frozen=True)
class SourceRow:
    """One line of the sources listing: no text; counts done by the database."""

    id: int
    name: str
    version: int
    kind: str
    language: str
    informant: str | None
    role: str | None
    segments: int
    codings: int


@dataclass(frozen=True)
class InformantRow:
    """One line of the informants listing, with the number of current sources."""

    id: int
    pseudonym: str
    role: str
    unit: str
    sources: int


def source_rows(reader: Reader, *, archived: bool = False) -> list[SourceRow]:
    """Sources by name and version with informant, segments and codings (every coder's)."""
    rows = reader.rows(
        "SELECT s.id, s.name, s.version, s.kind, s.language, i.pseudonym, i.role,"
        " coalesce(g.n, 0), coalesce(c.n, 0) FROM source s"
        " LEFT JOIN informant i ON i.id = s.informant_id"
        " LEFT JOIN (SELECT source_id, count(*) AS n FROM segment GROUP BY source_id) g"
        "  ON g.source_id = s.id"
        " LEFT JOIN (SELECT source_id, count(*) AS n FROM coding GROUP BY source_id) c"
        "  ON c.source_id = s.id"
        + ("" if archived else " WHERE s.active") + " ORDER BY s.name, s.version")
    return [SourceRow(int(i), n, int(v), k, lang, inf, role, int(g), int(c))
            for i, n, v, k, lang, inf, role, g, c in rows]


def informant_rows(reader: Reader) -> list[InformantRow]:
    """Informants by pseudonym with their number of current (active) sources."""
    rows = reader.rows(
        "SELECT i.id, i.pseudonym, i.role, i.unit, coalesce(s.n, 0) FROM informant i"
        " LEFT JOIN (SELECT informant_id, count(*) AS n FROM source WHERE active"
        "  GROUP BY informant_id) s ON s.informant_id = i.id ORDER BY i.pseudonym")
    return [InformantRow(int(i), p, r, u, int(n)) for i, p, r, u, n in rows]


def code_coding_counts(reader: Reader, coder: str | None = None) -> dict[int, int]:
    """Codings on current (active) source versions per code id, every coder's or one's."""
    rows = reader.rows(
        "SELECT c.code_id, count(*) FROM coding c JOIN source s ON s.id = c.source_id"
        " WHERE s.active" + (" AND c.coder = :coder" if coder else "") + " GROUP BY c.code_id",
        {"coder": coder} if coder else None)
    return {int(code): int(n) for code, n in rows}


# ---- codings -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CodingRow:
    """A coding joined with what a reader needs: code, source, informant and the excerpt."""

    id: int
    source_id: int
    source: str
    start: int
    end: int
    code: str
    code_label: str
    coder: str
    valence: str
    note: str
    informant: str | None
    role: str | None
    kind: str
    excerpt: str


@dataclass(frozen=True)
class CodingFilter:
    """Which codings a listing shows (every field optional; all given ones must hold)."""

    source: str | None = None
    codes: Sequence[str] = ()
    coder: str | None = None
    valence: str | None = None
    informant: str | None = None
    kind: str | None = None


def code_ids(reader: Reader, keys: Sequence[str]) -> list[int]:
    """Code ids by key (case-insensitive); an unknown key is an error naming it."""
    ids = []
    for key in keys:
        rows = reader.rows("SELECT id FROM code WHERE lower(key) = lower(:key)", {"key": key})
        if not rows:
            raise NotFoundError(f"no code {key!r} in this project",
                                hint="see `qualcode codebook show KEY` for the code keys")
        ids.append(int(rows[0][0]))
    return ids


def coding_rows_sql(reader: Reader, where: CodingFilter, *, lang: str = "id",
                    limit: int | None = None) -> tuple[str, dict[str, Any]]:
    """The listing's row statement: the columns `CodingRow` needs except the excerpt."""
    first, second = ("label_en", "label_id") if lang == "en" else ("label_id", "label_en")
    sql = ("SELECT c.id, c.source_id, s.name, c.start, c.\"end\", k.key,"
           f" CASE WHEN k.{first} != '' THEN k.{first} ELSE k.{second} END,"
           " c.coder, c.valence, c.note, i.pseudonym, i.role, s.kind"
           " FROM coding c JOIN code k ON k.id = c.code_id JOIN source s ON s.id = c.source_id"
           " LEFT JOIN informant i ON i.id = s.informant_id WHERE s.active")
    params: dict[str, Any] = {}
    if where.source:
        sql += " AND c.source_id = :source_id"
        params["source_id"] = find_source_id(reader, where.source)
    if where.codes:
        names = []
        for n, code_id in enumerate(code_ids(reader, where.codes)):
            names.append(f":code{n}")
            params[f"code{n}"] = code_id
        sql += f" AND c.code_id IN ({', '.join(names)})"
    for column, value in (("c.coder", where.coder), ("i.pseudonym", where.informant),
                          ("s.kind", where.kind)):
        if value:
            name = column.split(".")[1]
            sql += f" AND {column} = :{name}"
            params[name] = value
    if where.valence:
        sql += " AND c.valence = :valence"
        params["valence"] = check_valence(where.valence)
    sql += " ORDER BY s.name, c.start, c.id"
    if limit:
        sql += " LIMIT :limit"
        params["limit"] = int(limit)
    return sql, params


def iter_coding_rows(reader: StreamReader, where: CodingFilter = CodingFilter(), *,
                     lang: str = "id", limit: int | None = None) -> Iterator[CodingRow]:
    """Codings in source / text order, streamed; each source's text is read once, when the
    rows reach it, and only one is held at a time."""
    sql, params = coding_rows_sql(reader, where, lang=lang, limit=limit)
    text_of, text = -1, ""
    for row in reader.stream(sql, params):
        source_id, start, end = row[1], row[3], row[4]
        if source_id != text_of:
            text_of = source_id
            text = reader.rows("SELECT text FROM source WHERE id = :sid",
                               {"sid": source_id})[0][0]
        yield CodingRow(*row, text[start:end])  # type: ignore[call-arg]
