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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from qualcode.core.store.read import (
    SCHEMA_HEAD,
    Params,
    Reader,
    SqliteReader,
    find_source_id,
)
from qualcode.errors import NotFoundError, QualcodeError
from qualcode.i18n import N_

VALENCES = ("+", "-", "0")  # the same as models.VALENCES (a test keeps them equal)


class StreamReader(Reader, Protocol):
    """A reader that can also hand rows over one at a time."""

    def stream(self, sql: str, params: Params | None = None) -> Iterator[tuple[Any, ...]]: ...


@contextmanager
def open_reader(target: str | Path) -> Iterator[StreamReader]:
    """A reader on a project: sqlite3 for a current, undamaged SQLite file that passed the
    file check (no SQLAlchemy loaded), else the opened store's (which also brings an older
    schema up to date, or opens a damaged file read-only)."""
    from qualcode.core.store.filecheck import check_project_file

    text = str(target)
    if "://" not in text:
        path = Path(text).expanduser().resolve()
        check = check_project_file(path)  # refuses anything that is not plain data
        if check.revision == SCHEMA_HEAD and check.damage is None:
            reader = SqliteReader(path)
            try:
                yield reader
            finally:
                reader.close()
            return
    from qualcode.core.store import Project

    with Project.open(target) as project:
        yield project.reader


def check_valence(valence: str) -> str:
    """Normalise a valence (+, -, 0; also 'pos', 'neg', 'neutral')."""
    aliases = {"pos": "+", "positive": "+", "neg": "-", "negative": "-", "neutral": "0",
               "n": "0", "": "0"}
    value = aliases.get(valence.lower(), valence)
    if value not in VALENCES:
        raise QualcodeError(N_("valence {valence!r} is not one of + - 0"),
                            hint=N_("+ carried out well, - shortfall, 0 neutral"),
                            valence=valence)
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
    attributes: dict[str, Any] = field(default_factory=dict)


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
    """Informants by pseudonym with their attributes and the number of current (active)
    sources crediting them: as the source's informant, a speaker's, or an attributed passage's."""
    import json

    rows = reader.rows(
        "SELECT i.id, i.pseudonym, i.role, i.unit, i.attributes, coalesce(s.n, 0)"
        " FROM informant i LEFT JOIN (SELECT who, count(DISTINCT sid) AS n FROM ("
        "  SELECT informant_id AS who, id AS sid FROM source WHERE active"
        "  UNION SELECT t.informant_id, t.source_id FROM turn t JOIN source s2"
        "   ON s2.id = t.source_id AND s2.active WHERE t.informant_id IS NOT NULL"
        "  UNION SELECT a.informant_id, a.source_id FROM attribution a JOIN source s3"
        "   ON s3.id = a.source_id AND s3.active) credited GROUP BY who) s ON s.who = i.id"
        " ORDER BY i.pseudonym")
    out = []
    for i, p, r, u, attrs, n in rows:
        if isinstance(attrs, str):
            try:
                attrs = json.loads(attrs)
            except ValueError:
                attrs = {}
        out.append(InformantRow(int(i), p, r, u, int(n),
                                attrs if isinstance(attrs, dict) else {}))
    return out


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
    line: int = 0
    paragraph: int = 0
    page: int | None = None
    interviewer: bool = False  # on an interviewer turn: not informant evidence
    speaker: str | None = None  # the turn's speaker label

    @property
    def location(self) -> str:
        """`line 7, paragraph 2` (with the page where the source has pages)."""
        from qualcode.core.location import Location

        return Location(self.line, self.paragraph, self.page).text() if self.line else ""


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
            raise NotFoundError(N_("no code {key!r} in this project"),
                                hint=N_("see `qualcode codebook show KEY` for the code keys"),
                                key=key)
        ids.append(int(rows[0][0]))
    return ids


def coding_rows_sql(reader: Reader, where: CodingFilter, *, lang: str = "id",
                    limit: int | None = None) -> tuple[str, dict[str, Any]]:
    """The listing's row statement: the columns `CodingRow` needs except the excerpt."""
    first, second = ("label_en", "label_id") if lang == "en" else ("label_id", "label_en")
    # The informant a coding is credited to, as in analysis/query.py: the researcher's
    # attribution of the passage, else the speaker turn its start lies in (an interviewer
    # turn: nobody), else the source's informant.
    sql = ("SELECT c.id, c.source_id, s.name, c.start, c.\"end\", k.key,"
           f" CASE WHEN k.{first} != '' THEN k.{first} ELSE k.{second} END,"
           " c.coder, c.valence, c.note, i.pseudonym, i.role, s.kind,"
           " CASE WHEN a.id IS NULL AND t.is_interviewer THEN 1 ELSE 0 END, t.speaker"
           " FROM coding c JOIN code k ON k.id = c.code_id JOIN source s ON s.id = c.source_id"
           " LEFT JOIN turn t ON t.id = (SELECT t2.id FROM turn t2 WHERE t2.source_id ="
           "  c.source_id AND t2.start <= c.start ORDER BY t2.start DESC LIMIT 1)"
           "  AND c.start < t.\"end\""
           " LEFT JOIN attribution a ON a.id = (SELECT a2.id FROM attribution a2 WHERE"
           "  a2.source_id = c.source_id AND a2.start <= c.start AND a2.\"end\" > c.start"
           "  ORDER BY a2.start DESC, a2.id DESC LIMIT 1)"
           " LEFT JOIN informant i ON i.id = CASE WHEN a.id IS NOT NULL THEN a.informant_id"
           "  WHEN t.is_interviewer THEN NULL ELSE COALESCE(t.informant_id, s.informant_id) END"
           " WHERE s.active")
    params: dict[str, Any] = {}
    if where.source:
        sql += " AND c.source_id = :source_id"
        params["source_id"] = find_source_id(reader, where.source)
    if where.codes:
        ids = code_ids(reader, where.codes)
        params.update({f"code{n}": code_id for n, code_id in enumerate(ids)})
        sql += f" AND c.code_id IN ({', '.join(f':code{n}' for n in range(len(ids)))})"
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
    import json

    from qualcode.core.location import TextMap, page_starts

    sql, params = coding_rows_sql(reader, where, lang=lang, limit=limit)
    text_of, text, where_in = -1, "", TextMap("", [])
    for row in reader.stream(sql, params):
        source_id, start, end = row[1], row[3], row[4]
        if source_id != text_of:
            text_of = source_id
            text, meta = reader.rows("SELECT text, meta FROM source WHERE id = :sid",
                                     {"sid": source_id})[0]
            if isinstance(meta, str):
                try:
                    meta = json.loads(meta)
                except ValueError:
                    meta = {}
            where_in = TextMap(text, page_starts(meta if isinstance(meta, dict) else {}))
        at = where_in.at(start)
        yield CodingRow(*row[:13], text[start:end], at.line, at.paragraph,  # type: ignore[call-arg]
                        at.page, bool(row[13]), row[14])
