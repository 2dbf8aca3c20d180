"""Read-only summaries for overview screens: coding progress per source, codings per code.

Functions take an open `Project` and run portable SQL (SQLAlchemy Core, no dialect-specific
functions), so they work on SQLite and on a server database alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, select

from qualcode.core.coders import SUGGESTER
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


def _columns(model: Any) -> Any:
    """The Core columns of a table model (typed loosely: SQLModel fields confuse mypy here)."""
    return model.__table__.c


def source_progress(project: Project) -> dict[int, SourceProgress]:
    """Coding progress of every active source, by source id (sources without segments: 0/0)."""
    seg, cod, src = _columns(Segment), _columns(Coding), _columns(Source)
    active = select(src.id).where(src.active == True)  # noqa: E712
    with project.session() as s:
        totals = dict(s.execute(
            select(seg.source_id, func.count(seg.id))
            .where(seg.source_id.in_(active))
            .group_by(seg.source_id)).all())
        overlap = and_(cod.source_id == seg.source_id, cod.start < seg.end,
                       cod.end > seg.start, cod.coder != SUGGESTER)  # proposals, not coding
        coded = dict(s.execute(
            select(seg.source_id, func.count(func.distinct(seg.id)))
            .join(Coding, overlap)
            .where(seg.source_id.in_(active))
            .group_by(seg.source_id)).all())
        ids = list(s.execute(active).scalars())
    return {int(sid): SourceProgress(int(totals.get(sid, 0)), int(coded.get(sid, 0)))
            for sid in ids}


def coding_counts(project: Project) -> dict[int, int]:
    """Number of codings on active sources per code id (codes without codings are absent)."""
    cod, src = _columns(Coding), _columns(Source)
    with project.session() as s:
        stmt = (select(cod.code_id, func.count(cod.id))
                .join(Source, src.id == cod.source_id)
                .where(src.active == True)  # noqa: E712
                .group_by(cod.code_id))
        return {int(code_id): int(n) for code_id, n in s.execute(stmt).all()}


def code_counts_by_codebook(project: Project) -> dict[int, int]:
    """Number of codes per codebook id."""
    code = _columns(Code)
    with project.session() as s:
        stmt = select(code.codebook_id, func.count(code.id)).group_by(code.codebook_id)
        return {int(book): int(n) for book, n in s.execute(stmt).all()}


def memo_counts(project: Project) -> dict[str, int]:
    """Number of memos per scope (project, source, code, coding, informant)."""
    memo = _columns(Memo)
    with project.session() as s:
        stmt = select(memo.scope, func.count(memo.id)).group_by(memo.scope)
        return {str(scope): int(n) for scope, n in s.execute(stmt).all()}
