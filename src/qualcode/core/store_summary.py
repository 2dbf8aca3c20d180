"""Read-only summaries for overview screens: coding progress per source, codings per code.

Functions take an open `Project` and run portable SQL (SQLAlchemy Core, no dialect-specific
functions), so they work on SQLite and on a server database alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, select

from qualcode.core.models import Code, Coding, Memo, Segment, Source

if TYPE_CHECKING:
    from qualcode.core.store import Project


@dataclass(frozen=True)
class SourceProgress:
    """How much of a source is coded: segments overlapped by at least one coding."""

    segments: int
    coded: int

    @property
    def share(self) -> float:
        """Coded share in [0, 1] (0 for a source without segments)."""
        return self.coded / self.segments if self.segments else 0.0


def source_progress(project: Project) -> dict[int, SourceProgress]:
    """Coding progress of every active source, by source id (sources without segments: 0/0)."""
    active = select(Source.id).where(Source.active == True)  # noqa: E712
    with project.session() as s:
        totals = dict(s.execute(
            select(Segment.source_id, func.count(Segment.id))
            .where(Segment.source_id.in_(active))  # type: ignore[attr-defined]
            .group_by(Segment.source_id)).tuples().all())
        overlap = and_(Coding.source_id == Segment.source_id, Coding.start < Segment.end,
                       Coding.end > Segment.start)
        coded = dict(s.execute(
            select(Segment.source_id, func.count(func.distinct(Segment.id))  # type: ignore[arg-type])
            .join(Coding, overlap)
            .where(Segment.source_id.in_(active))  # type: ignore[attr-defined]
            .group_by(Segment.source_id)).tuples().all())
        ids = list(s.execute(active).scalars())
    return {sid: SourceProgress(int(totals.get(sid, 0)), int(coded.get(sid, 0)))
            for sid in ids if sid is not None}


def coding_counts(project: Project) -> dict[int, int]:
    """Number of codings on active sources per code id (codes without codings are absent)."""
    with project.session() as s:
        stmt = (select(Coding.code_id, func.count(Coding.id))
                .join(Source, Source.id == Coding.source_id)
                .where(Source.active == True)  # noqa: E712
                .group_by(Coding.code_id))
        return {int(code_id): int(n) for code_id, n in s.execute(stmt).tuples().all()}


def code_counts_by_codebook(project: Project) -> dict[int, int]:
    """Number of codes per codebook id."""
    with project.session() as s:
        stmt = select(Code.codebook_id, func.count(Code.id)).group_by(Code.codebook_id)
        return {int(book): int(n) for book, n in s.execute(stmt).tuples().all()}


def memo_counts(project: Project) -> dict[str, int]:
    """Number of memos per scope (project, source, code, coding, informant)."""
    with project.session() as s:
        stmt = select(Memo.scope, func.count(Memo.id)).group_by(Memo.scope)
        return {str(scope): int(n) for scope, n in s.execute(stmt).tuples().all()}
