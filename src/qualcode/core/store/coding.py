"""Store operations on codings and memos; every change is one undoable action."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from qualcode.core.models import VALENCES, Code, Coding, Informant, Memo, Segment, Source, utcnow
from qualcode.core.store.codebooks import CodebookOps
from qualcode.errors import NotFoundError, QualcodeError

MEMO_SCOPES = ("project", "source", "code", "coding", "informant")


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


def check_valence(valence: str) -> str:
    """Normalise a valence (+, -, 0; also 'pos', 'neg', 'neutral')."""
    aliases = {"pos": "+", "positive": "+", "neg": "-", "negative": "-", "neutral": "0",
               "n": "0", "": "0"}
    value = aliases.get(valence.lower(), valence)
    if value not in VALENCES:
        raise QualcodeError(f"valence {valence!r} is not one of + - 0",
                            hint="+ carried out well, - shortfall, 0 neutral")
    return value


class CodingOps(CodebookOps):
    """Apply and remove codes, edit valence and notes, memos."""

    def apply_code(self, source_id: int, start: int, end: int, code_key: str, *,
                   coder: str = "researcher", valence: str = "0", note: str = "") -> Coding:
        """Code the span [start, end) of a source; applying the same code twice is a no-op."""
        valence = check_valence(valence)
        with self.transaction("apply", f"apply {code_key}") as (s, rec):
            source = s.get(Source, source_id)
            if source is None:
                raise NotFoundError(f"no source {source_id}")
            if not source.active:
                raise QualcodeError(f"{source.name} v{source.version} is an archived version",
                                    hint="code the current version")
            if not 0 <= start < end <= len(source.text):
                raise QualcodeError(
                    f"span {start}-{end} is outside {source.name} (0-{len(source.text)})")
            code = self._code(s, code_key)
            existing = s.execute(select(Coding).where(
                Coding.source_id == source_id, Coding.start == start, Coding.end == end,
                Coding.code_id == code.id, Coding.coder == coder)).scalars().first()
            if existing is not None:
                return existing
            coding = Coding(source_id=source_id, start=start, end=end, code_id=code.id,  # type: ignore[arg-type]
                            coder=coder, valence=valence, note=note)
            s.add(coding)
            s.flush()
            rec.created(coding)
            rec.description = f"apply {code.key} {_where(source, start, end)}"
            return coding

    def apply_code_to_segments(self, segment_ids: Sequence[int], code_key: str, *,
                               coder: str = "researcher", valence: str = "0",
                               note: str = "") -> Coding:
        """Code the span covering consecutive segments (first start to last end)."""
        with self.session() as s:
            segs = [s.get(Segment, i) for i in segment_ids]
        if not segs or any(seg is None for seg in segs):
            raise NotFoundError(f"no segment {', '.join(map(str, segment_ids))}",
                                hint="see `qualcode segments SOURCE`")
        sources = {seg.source_id for seg in segs if seg}
        if len(sources) != 1:
            raise QualcodeError("segments of one coding must belong to one source")
        start = min(seg.start for seg in segs if seg)
        end = max(seg.end for seg in segs if seg)
        return self.apply_code(sources.pop(), start, end, code_key, coder=coder,
                               valence=valence, note=note)

    def remove_coding(self, coding_id: int) -> Coding:
        """Remove a coding (undoable)."""
        with self.transaction("remove", f"remove coding {coding_id}") as (s, rec):
            coding = self._coding(s, coding_id)
            rec.description = f"remove {_describe(s, coding)}"
            for memo in s.execute(select(Memo).where(Memo.coding_id == coding_id)).scalars():
                rec.deleting(memo)
                s.delete(memo)
            s.flush()
            rec.deleting(coding)
            s.delete(coding)
            return coding

    def edit_coding(self, coding_id: int, *, valence: str | None = None,
                    note: str | None = None, start: int | None = None,
                    end: int | None = None) -> Coding:
        """Change valence, note or span of a coding (undoable)."""
        with self.transaction("edit", f"edit coding {coding_id}") as (s, rec):
            coding = self._coding(s, coding_id)
            rec.updating(coding)
            if valence is not None:
                coding.valence = check_valence(valence)
            if note is not None:
                coding.note = note
            if start is not None or end is not None:
                source = s.get(Source, coding.source_id)
                assert source is not None
                new_start = coding.start if start is None else start
                new_end = coding.end if end is None else end
                if not 0 <= new_start < new_end <= len(source.text):
                    raise QualcodeError(f"span {new_start}-{new_end} is outside {source.name}")
                coding.start, coding.end = new_start, new_end
            coding.updated_at = utcnow()
            s.add(coding)
            what = [w for w, v in (("valence " + coding.valence, valence), ("note", note),
                                   ("span", start if start is not None else end)) if v is not None]
            rec.description = f"{', '.join(what) or 'edit'} on {_describe(s, coding)}"
            return coding

    def coders(self) -> list[str]:
        """Every coder with at least one coding, by name."""
        with self.session() as s:
            stmt = select(Coding.coder).distinct().order_by(Coding.coder)
            return [str(c) for c in s.execute(stmt).scalars()]

    def get_coding(self, coding_id: int) -> Coding:
        """A coding by id."""
        with self.session() as s:
            return self._coding(s, coding_id)

    @staticmethod
    def _coding(s: Session, coding_id: int) -> Coding:
        coding = s.get(Coding, coding_id)
        if coding is None:
            raise NotFoundError(f"no coding {coding_id}", hint="see `qualcode codings`")
        return coding

    def codings_in(self, source_id: int, start: int = 0, end: int | None = None) -> list[Coding]:
        """Codings of a source overlapping [start, end), in text order (for the coding screen)."""
        with self.session() as s:
            stmt = select(Coding).where(Coding.source_id == source_id)
            if end is not None:
                stmt = stmt.where(Coding.start < end)
            stmt = stmt.where(Coding.end > start).order_by(Coding.start, Coding.id)
            return list(s.execute(stmt).scalars())

    def codings(self, *, source: str | None = None, codes: Sequence[str] = (),
                coder: str | None = None, valence: str | None = None,
                informant: str | None = None, kind: str | None = None,
                lang: str = "id", limit: int | None = None) -> list[CodingRow]:
        """Codings joined with code, source and informant, filtered; in source/text order."""
        with self.session() as s:
            stmt = (select(Coding, Code, Source, Informant)
                    .join(Code, Code.id == Coding.code_id)
                    .join(Source, Source.id == Coding.source_id)
                    .outerjoin(Informant, Informant.id == Source.informant_id)
                    .where(Source.active == True))  # noqa: E712
            if source:
                stmt = stmt.where(Source.id == self.get_source(source).id)  # type: ignore[attr-defined]
            if codes:
                ids = [self._code(s, key).id for key in codes]
                stmt = stmt.where(Coding.code_id.in_(ids))  # type: ignore[attr-defined]
            if coder:
                stmt = stmt.where(Coding.coder == coder)
            if valence:
                stmt = stmt.where(Coding.valence == check_valence(valence))
            if informant:
                stmt = stmt.where(Informant.pseudonym == informant)
            if kind:
                stmt = stmt.where(Source.kind == kind)
            stmt = stmt.order_by(Source.name, Coding.start, Coding.id)
            if limit:
                stmt = stmt.limit(limit)
            return [CodingRow(c.id, src.id, src.name, c.start, c.end, code.key, code.label(lang),  # type: ignore[arg-type]
                              c.coder, c.valence, c.note, inf.pseudonym if inf else None,
                              inf.role if inf else None, src.kind, src.text[c.start:c.end])
                    for c, code, src, inf in s.execute(stmt).all()]

    # ---- memos -----------------------------------------------------------------------------
    def add_memo(self, body: str, *, title: str = "", scope: str = "project",
                 target: int | None = None, author: str = "researcher") -> Memo:
        """Write a memo on the project or on a source / code / coding / informant (by id)."""
        if scope not in MEMO_SCOPES:
            raise QualcodeError(f"memo scope {scope!r} is not one of {', '.join(MEMO_SCOPES)}")
        if scope != "project" and target is None:
            raise QualcodeError(f"a memo on a {scope} needs the {scope}'s id")
        with self.transaction("memo", f"memo on {scope}") as (s, rec):
            memo = Memo(scope=scope, title=title, body=body, author=author)
            if scope != "project":
                setattr(memo, f"{scope}_id", target)
            s.add(memo)
            s.flush()
            rec.created(memo)
            return memo

    def edit_memo(self, memo_id: int, *, body: str | None = None,
                  title: str | None = None) -> Memo:
        """Change a memo's text (undoable)."""
        with self.transaction("memo", f"edit memo {memo_id}") as (s, rec):
            memo = s.get(Memo, memo_id)
            if memo is None:
                raise NotFoundError(f"no memo {memo_id}")
            rec.updating(memo)
            if body is not None:
                memo.body = body
            if title is not None:
                memo.title = title
            memo.updated_at = utcnow()
            s.add(memo)
            return memo

    def delete_memo(self, memo_id: int) -> Memo:
        """Delete a memo (undoable)."""
        with self.transaction("memo", f"delete memo {memo_id}") as (s, rec):
            memo = s.get(Memo, memo_id)
            if memo is None:
                raise NotFoundError(f"no memo {memo_id}")
            rec.deleting(memo)
            s.delete(memo)
            return memo

    def memos(self, scope: str | None = None, target: int | None = None) -> list[Memo]:
        """Memos, newest first, optionally of one scope / target."""
        with self.session() as s:
            stmt = select(Memo)
            if scope:
                stmt = stmt.where(Memo.scope == scope)
                if target is not None and scope in MEMO_SCOPES and scope != "project":
                    stmt = stmt.where(getattr(Memo, f"{scope}_id") == target)
            stmt = stmt.order_by(Memo.updated_at.desc(), Memo.id.desc())  # type: ignore[attr-defined]
            return list(s.execute(stmt).scalars())


def _where(source: Source, start: int, end: int, width: int = 40) -> str:
    """`to NAME “excerpt…”`: where a coding is, for the undo log and recent activity."""
    excerpt = " ".join(source.text[start:end].split())
    if len(excerpt) > width:
        excerpt = excerpt[: width - 1].rstrip() + "…"
    return f"in {source.name} “{excerpt}”"


def _describe(s: Session, coding: Coding) -> str:
    """`SOB-1 (coder) in NAME “excerpt…”`."""
    code = s.get(Code, coding.code_id)
    source = s.get(Source, coding.source_id)
    key = code.key if code is not None else f"code {coding.code_id}"
    where = _where(source, coding.start, coding.end) if source is not None else ""
    return f"{key} ({coding.coder}) {where}".rstrip()
