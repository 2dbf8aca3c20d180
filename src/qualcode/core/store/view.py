"""Read-only views of a project for screens: light transcript loads, coding progress, search.

Plain functions over a `Project`. They select only the columns a screen needs (tuples, not ORM
objects), so opening a 300,000-character transcript stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, select

from qualcode.core.models import Coding, Informant, Segment, Source
from qualcode.core.store import read as store_read
from qualcode.core.store.read import (  # noqa: F401  (re-exported for screens and tests)
    CodingSpan,
    SegmentRow,
    TranscriptData,
    find_all,
    span_of,
)

if TYPE_CHECKING:
    from qualcode.core.store import Project


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


def coding_spans(project: Project, source_id: int) -> list[CodingSpan]:
    """All codings of a source in text order, as light tuples."""
    return store_read.coding_spans(project.reader, source_id)


def load_transcript(project: Project, source_id: int) -> TranscriptData:
    """A source's text, segments and codings (the coding screen's view)."""
    return store_read.load_transcript(project.reader, source_id)


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


def _flat(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
