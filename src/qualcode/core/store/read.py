"""Read-only views as plain SQL, importable without SQLAlchemy.

The statements run through a `Reader`: the store's engine (`StoreBase.reader`, any database)
or `SqliteReader` (the standard library's sqlite3), which lets the coding screen draw a
transcript while SQLAlchemy is still loading in the background. One set of queries serves
both, so the screen shows exactly what the store holds. Rows are light tuples and frozen
dataclasses with the same attribute names as the ORM models the screens would otherwise use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from qualcode.errors import NotFoundError, QualcodeError
from qualcode.i18n import N_

# The newest schema revision; kept equal to the migration history's head by a test.
SCHEMA_HEAD = "0009_evidence_note"

Params = Mapping[str, Any]


class Reader(Protocol):
    """Runs one SELECT with `:name` parameters and returns its rows as tuples."""

    def rows(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]: ...


class SqliteReader:
    """A read-only sqlite3 connection to a project file (used on one thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(str(path))
        self.conn.execute("PRAGMA trusted_schema=OFF")
        self.conn.execute("PRAGMA query_only=ON")
        self.conn.execute("PRAGMA busy_timeout=5000")

    def rows(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """The rows of one statement."""
        return self.conn.execute(sql, params or {}).fetchall()

    def stream(self, sql: str, params: Params | None = None) -> Iterator[tuple[Any, ...]]:
        """The rows of one statement, fetched as they are consumed."""
        yield from self.conn.execute(sql, params or {})

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def schema_revision(reader: Reader) -> str | None:
    """The schema revision stored in the project (None if there is none or it is unreadable)."""
    try:
        rows = reader.rows("SELECT version_num FROM alembic_version")
    except Exception:  # any failure means "not a current project": the caller opens fully
        return None
    return str(rows[0][0]) if rows else None


def get_meta(reader: Reader, key: str) -> str | None:
    """A project setting."""
    rows = reader.rows("SELECT value FROM project_meta WHERE key = :key", {"key": key})
    return rows[0][0] if rows else None


DEFAULT_CODER = "researcher"
BLIND_META = "blind_coders"   # JSON list: coders who see only their own codings


def blind_coders(reader: Reader) -> list[str]:
    """The coders working blind: the coding screen and the analysis show them only their own
    codings until they turn it off (qualcode blind NAME --off)."""
    import json

    value = get_meta(reader, BLIND_META)
    return [str(c) for c in json.loads(value)] if value else []


def own_codings_only(reader: Reader, coder: str) -> str | None:
    """`coder` when that coder works blind (the coding screen then shows only their own
    codings), else None (everyone's)."""
    return coder if coder in blind_coders(reader) else None


def project_coder(reader: Reader) -> str:
    """The coder name a project sets for whoever codes without naming one (the sample
    project: "peneliti", the name of its worked codings), else "researcher"."""
    return get_meta(reader, "default_coder") or DEFAULT_CODER


def find_source_id(reader: Reader, ref: str | int) -> int:
    """A source by id, or by (unique prefix of) name among the active versions."""
    text = str(ref)
    if text.isdigit() and reader.rows("SELECT id FROM source WHERE id = :id",
                                      {"id": int(text)}):
        return int(text)
    rows = reader.rows(
        "SELECT id, name FROM source WHERE active AND substr(name, 1, :n) = :ref ORDER BY name",
        {"n": len(text), "ref": text})
    exact = [r for r in rows if r[1] == text]
    if exact or len(rows) == 1:
        return int((exact or rows)[0][0])
    if rows:
        raise QualcodeError(N_("{text!r} matches several sources: {names}"), text=text,
                            names=", ".join(r[1] for r in rows[:5]))
    raise NotFoundError(N_("no source {text!r}"), hint=N_("see `qualcode sources`"), text=text)


# ---- transcripts ---------------------------------------------------------------------------
class SegmentRow(NamedTuple):
    """One excerpt unit of a source: [start, end) in the source text."""

    id: int
    start: int
    end: int
    turn_index: int | None
    speaker: str | None
    is_interviewer: bool


class CodingSpan(NamedTuple):
    """What the coding screen needs to draw a coding."""

    id: int
    start: int
    end: int
    code_id: int
    valence: str
    note: str
    coder: str


@dataclass(frozen=True)
class TranscriptData:
    """A source with its segments and codings, ready for the coding screen."""

    source_id: int
    name: str
    kind: str
    informant: str | None
    text: str
    segments: list[SegmentRow]
    codings: list[CodingSpan]


def span_of(coding: Any) -> CodingSpan:
    """The drawable view of a coding row returned by the store."""
    assert coding.id is not None
    return CodingSpan(coding.id, coding.start, coding.end, coding.code_id, coding.valence,
                      coding.note, coding.coder)


def coding_spans(reader: Reader, source_id: int, coder: str | None = None) -> list[CodingSpan]:
    """All codings of a source (only `coder`'s when given) in text order."""
    mine = " AND coder = :coder" if coder is not None else ""
    rows = reader.rows(
        'SELECT id, start, "end", code_id, valence, note, coder FROM coding'
        f' WHERE source_id = :sid{mine} ORDER BY start, id', {"sid": source_id, "coder": coder})
    return [CodingSpan(*row) for row in rows]


def load_transcript(reader: Reader, source_id: int, coder: str | None = None
                    ) -> TranscriptData:
    """A source's text, segments and codings (only `coder`'s when given) in three queries."""
    head = reader.rows(
        "SELECT s.name, s.kind, s.text, i.pseudonym FROM source s"
        " LEFT JOIN informant i ON i.id = s.informant_id WHERE s.id = :sid", {"sid": source_id})
    if not head:
        raise NotFoundError(N_("no source {source_id}"), hint=N_("see `qualcode sources`"),
                            source_id=source_id)
    rows = reader.rows(
        'SELECT id, start, "end", turn_index, speaker, is_interviewer FROM segment'
        ' WHERE source_id = :sid ORDER BY "index"', {"sid": source_id})
    segments = [SegmentRow(i, s, e, t, sp, bool(iv)) for i, s, e, t, sp, iv in rows]
    name, kind, text, informant = head[0]
    return TranscriptData(source_id, name, kind, informant, text, segments,
                          coding_spans(reader, source_id, coder))


def speaker_informants(reader: Reader) -> dict[int, list[str]]:
    """Active source id -> the informants its speaker turns stand for, in order of first turn
    (a focus group whose speakers were mapped); sources without such turns are absent."""
    rows = reader.rows(
        "SELECT t.source_id, i.pseudonym, MIN(t.start) AS first_start FROM turn t"
        " JOIN informant i ON i.id = t.informant_id JOIN source s ON s.id = t.source_id"
        " WHERE s.active AND NOT t.is_interviewer GROUP BY t.source_id, i.id, i.pseudonym"
        " ORDER BY t.source_id, first_start")
    out: dict[int, list[str]] = {}
    for source_id, name, _first in rows:
        out.setdefault(int(source_id), []).append(str(name))
    return out


def speaker_rows(reader: Reader, source_id: int) -> tuple[
        list[tuple[int, int, str | None, str | None, bool]], list[tuple[int, int, str]]]:
    """A source's turns (start, end, speaker, informant, interviewer) and attributions
    (start, end, informant): what `core.credit.SpeakerCredits` needs."""
    turns = reader.rows(
        'SELECT t.start, t."end", t.speaker, i.pseudonym, t.is_interviewer FROM turn t'
        " LEFT JOIN informant i ON i.id = t.informant_id WHERE t.source_id = :sid"
        ' ORDER BY t.start', {"sid": source_id})
    spans = reader.rows(
        'SELECT a.start, a."end", i.pseudonym FROM attribution a'
        " JOIN informant i ON i.id = a.informant_id WHERE a.source_id = :sid"
        " ORDER BY a.start, a.id", {"sid": source_id})
    return ([(a, b, sp, inf, bool(iv)) for a, b, sp, inf, iv in turns],
            [(a, b, str(inf)) for a, b, inf in spans])


def page_starts_of(reader: Reader, source_id: int) -> list[int]:
    """The page starts an importer recorded for a source (empty without pages)."""
    import json

    rows = reader.rows("SELECT meta FROM source WHERE id = :sid", {"sid": source_id})
    raw = rows[0][0] if rows else None
    meta = json.loads(raw) if isinstance(raw, str) else (raw or {})
    starts = meta.get("page_starts") if isinstance(meta, dict) else None
    return [int(p) for p in starts] if isinstance(starts, list) else []


# ---- codebooks -----------------------------------------------------------------------------
@dataclass(frozen=True)
class CodebookRow:
    """A codebook as the coding screen shows it."""

    id: int
    key: str
    title_id: str
    title_en: str
    active: bool
    is_emergent: bool


@dataclass(frozen=True)
class CodeRow:
    """A code as the coding screen shows it (attribute names as on the `Code` model)."""

    id: int
    codebook_id: int
    key: str
    label_id: str
    label_en: str
    definition_id: str
    definition_en: str
    parent_id: int | None
    colour: str | None
    shortcut: str | None
    order: int
    is_emergent: bool

    def label(self, lang: str = "id") -> str:
        """The label in `lang`, falling back to the other language."""
        first, second = (self.label_en, self.label_id) if lang == "en" else (
            self.label_id, self.label_en)
        return first or second

    def definition(self, lang: str = "id") -> str:
        """The definition in `lang`, falling back to the other language."""
        first, second = (self.definition_en, self.definition_id) if lang == "en" else (
            self.definition_id, self.definition_en)
        return first or second


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator (parameter) of a code."""

    id: int
    key: str
    label_id: str
    label_en: str


def codebook_rows(reader: Reader) -> list[CodebookRow]:
    """Every codebook, in the order they were added."""
    rows = reader.rows("SELECT id, key, title_id, title_en, active, is_emergent"
                       " FROM codebook ORDER BY id")
    return [CodebookRow(i, k, ti, te, bool(a), bool(e)) for i, k, ti, te, a, e in rows]


def code_rows(reader: Reader) -> list[CodeRow]:
    """Every code, in codebook order (the order of `Project.codes()`)."""
    rows = reader.rows(
        'SELECT c.id, c.codebook_id, c.key, c.label_id, c.label_en, c.definition_id,'
        ' c.definition_en, c.parent_id, c.colour, c.shortcut, c."order", c.is_emergent'
        ' FROM code c JOIN codebook b ON b.id = c.codebook_id'
        ' ORDER BY b.id, c."order", c.id')
    return [CodeRow(i, b, k, li, le, di, de, p, c, sc, o, bool(e))
            for i, b, k, li, le, di, de, p, c, sc, o, e in rows]


def indicator_rows(reader: Reader, code_key: str) -> Sequence[IndicatorRow]:
    """A code's indicators in order (none for an unknown code)."""
    rows = reader.rows(
        'SELECT i.id, i.key, i.label_id, i.label_en FROM indicator i'
        ' JOIN code c ON c.id = i.code_id WHERE lower(c.key) = lower(:key)'
        ' ORDER BY i."order", i.id', {"key": code_key})
    return [IndicatorRow(*row) for row in rows]


# ---- text ----------------------------------------------------------------------------------
def find_all(text: str, needle: str) -> list[int]:
    """Start offsets of every case-insensitive occurrence of `needle` (already lower-case).

    Offsets are into `text` itself: lower-casing can change the length of a few characters,
    so a text where it does is searched character by character.
    """
    if not needle:
        return []
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(ch.lower()[:1] or ch for ch in text)
    out: list[int] = []
    pos = lowered.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = lowered.find(needle, pos + max(1, len(needle)))
    return out


def coding_fingerprint(reader: Reader, source_id: int) -> tuple[Any, ...]:
    """A cheap summary of a source's codings that changes whenever any of them changes.

    Count, highest id, and id-weighted sums of code, span, valence and note length: an added,
    removed or edited coding (by anyone, in any process) changes it. Portable SQL, one indexed
    scan of the source's codings; the coding screen polls it to show other coders' work.
    """
    rows = reader.rows(
        "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(id * code_id), 0),"
        ' COALESCE(SUM(id * (start + 7 * "end")), 0),'
        " COALESCE(SUM(id * (CASE valence WHEN '+' THEN 1 WHEN '-' THEN 2 ELSE 3 END)), 0),"
        " COALESCE(SUM(id * LENGTH(note)), 0), COALESCE(SUM(LENGTH(coder)), 0)"
        " FROM coding WHERE source_id = :s", {"s": source_id})
    return tuple(int(v) for v in rows[0])
