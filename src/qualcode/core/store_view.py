"""Read-only views of a project for screens: light transcript loads, coding progress, search.

Plain functions over a `Project`. They select only the columns a screen needs (tuples, not ORM
objects), so opening a 300,000-character transcript stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import Table, and_, func, select
from sqlmodel import SQLModel

from qualcode.core.models import Coding, Informant, Segment, Source

if TYPE_CHECKING:
    from qualcode.core.store import Project


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


@dataclass(frozen=True)
class Progress:
    """Coding progress of a source: informant (non-interviewer) segments coded / total."""

    coded: int
    total: int

    @property
    def share(self) -> float:
        """Coded share in [0, 1] (0 for a source without segments)."""
        return self.coded / self.total if self.total else 0.0


@dataclass(frozen=True)
class SearchHit:
    """One occurrence of a search term in a source, with context either side."""

    source_id: int
    source: str
    informant: str | None
    start: int
    end: int
    before: str
    match: str
    after: str


def span_of(coding: Coding) -> CodingSpan:
    """The drawable view of a coding row returned by the store."""
    assert coding.id is not None
    return CodingSpan(coding.id, coding.start, coding.end, coding.code_id, coding.valence,
                      coding.note, coding.coder)


def coding_spans(project: Project, source_id: int) -> list[CodingSpan]:
    """All codings of a source in text order, as light tuples."""
    c = _table(Coding).c
    stmt = (select(c.id, c.start, c.end, c.code_id, c.valence, c.note, c.coder)
            .where(c.source_id == source_id).order_by(c.start, c.id))
    with project.engine.connect() as conn:
        return [CodingSpan(*row) for row in conn.execute(stmt)]


def load_transcript(project: Project, source_id: int) -> TranscriptData:
    """A source's text, segments and codings in three light (Core, not ORM) queries."""
    from qualcode.errors import NotFoundError

    src, inf, seg = _table(Source), _table(Informant), _table(Segment)
    with project.engine.connect() as conn:
        head = conn.execute(
            select(src.c.name, src.c.kind, src.c.text, inf.c.pseudonym)
            .select_from(src.outerjoin(inf, inf.c.id == src.c.informant_id))
            .where(src.c.id == source_id)).first()
        if head is None:
            raise NotFoundError(f"no source {source_id}", hint="see `qualcode sources`")
        rows = conn.execute(
            select(seg.c.id, seg.c.start, seg.c.end, seg.c.turn_index, seg.c.speaker,
                   seg.c.is_interviewer)
            .where(seg.c.source_id == source_id).order_by(seg.c.index)).all()
    segments = [SegmentRow(*row) for row in rows]
    name, kind, text, informant = head
    return TranscriptData(source_id, name, kind, informant, text, segments,
                          coding_spans(project, source_id))


def _table(model: type[SQLModel]) -> Table:
    """The Core table of a model (queries on it skip ORM row handling)."""
    return model.__table__  # type: ignore[attr-defined, no-any-return]


def coding_progress(project: Project) -> dict[int, Progress]:
    """Per active source: how many informant segments overlap at least one coding."""
    active = select(Source.id).where(Source.active == True)  # noqa: E712
    informant_seg = and_(Segment.is_interviewer == False,  # noqa: E712
                         Segment.source_id.in_(active))  # type: ignore[attr-defined]
    with project.session() as s:
        totals: dict[int, int] = dict(s.execute(  # type: ignore[arg-type]
            select(Segment.source_id, func.count()).where(informant_seg)
            .group_by(Segment.source_id)).all())
        overlap = and_(Coding.source_id == Segment.source_id, Coding.start < Segment.end,
                       Coding.end > Segment.start)
        coded: dict[int, int] = dict(s.execute(  # type: ignore[arg-type]
            select(Segment.source_id, func.count(func.distinct(Segment.id)))
            .join(Coding, overlap).where(informant_seg)
            .group_by(Segment.source_id)).all())
        ids = list(s.execute(active).scalars())
    return {sid: Progress(int(coded.get(sid, 0)), int(totals.get(sid, 0))) for sid in ids}


def search_sources(project: Project, query: str, *, limit: int = 500,
                   context: int = 40) -> list[SearchHit]:
    """Case-insensitive occurrences of `query` in the active sources, in source/text order."""
    needle = query.strip().lower()
    if not needle:
        return []
    hits: list[SearchHit] = []
    stmt = (select(Source.id, Source.name, Source.text, Informant.pseudonym)
            .outerjoin(Informant, Informant.id == Source.informant_id)
            .where(Source.active == True)  # noqa: E712
            .order_by(Source.name))
    with project.session() as s:
        rows = s.execute(stmt).all()
    for source_id, name, text, informant in rows:
        for start in find_all(text, needle):
            end = start + len(needle)
            hits.append(SearchHit(
                source_id, name, informant, start, end,
                _flat(text[max(0, start - context):start]), _flat(text[start:end]),
                _flat(text[end:end + context])))
            if len(hits) >= limit:
                return hits
    return hits


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


def _flat(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
