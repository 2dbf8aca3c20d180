"""Store operations on codings and memos; every change is one undoable action."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from sqlalchemy import func, select
from sqlmodel import Session

from qualcode.core.models import Code, Coding, Memo, Segment, Source, utcnow
from qualcode.core.store import listing
from qualcode.core.store.codebooks import CodebookOps
from qualcode.core.store.listing import CodingFilter, CodingRow, check_valence
from qualcode.errors import NotFoundError, QualcodeError
from qualcode.i18n import N_, Message

__all__ = ["MEMO_SCOPES", "CodingOps", "CodingRow", "check_valence"]

MEMO_SCOPES = ("project", "source", "code", "coding", "informant")


class CodingOps(CodebookOps):
    """Apply and remove codes, edit valence and notes, memos."""

    def apply_code(self, source_id: int, start: int, end: int, code_key: str, *,
                   coder: str = "researcher", valence: str = "0", note: str = "") -> Coding:
        """Code the span [start, end) of a source; applying the same code twice is a no-op.

        Also when two sessions apply it at the same moment (a shared server): the database's
        unique constraint refuses the second insert, and the second caller gets the first's row.
        """
        from sqlalchemy.exc import IntegrityError

        try:
            return self._apply_code(source_id, start, end, code_key, coder=coder,
                                    valence=valence, note=note)
        except IntegrityError:
            with self.session() as s:
                found = s.execute(select(Coding).join(Code).where(
                    Coding.source_id == source_id, Coding.start == start, Coding.end == end,
                    func.lower(Code.key) == code_key.lower(), Coding.coder == coder,
                )).scalars().first()
            if found is None:
                raise
            return found

    def _apply_code(self, source_id: int, start: int, end: int, code_key: str, *,
                    coder: str, valence: str, note: str) -> Coding:
        valence = check_valence(valence)
        with self.transaction("apply", f"apply {code_key}") as (s, rec):
            source = _source_facts(s, source_id, start, end)
            if source is None:
                raise NotFoundError(N_("no source {source_id}"), source_id=source_id)
            if not source.active:
                raise QualcodeError(N_("{name} v{version} is an archived version"),
                                    hint=N_("code the current version"), name=source.name,
                                    version=source.version)
            if not 0 <= start < end <= source.length:
                raise QualcodeError(N_("span {start}-{end} is outside {name} (0-{n_text})"),
                                    start=start, end=end, name=source.name, n_text=source.length)
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
            rec.description = Message(N_("apply {code} in {source} “{excerpt}”"), {
                "code": code.key, "source": source.name, "excerpt": _short(source.excerpt)})
            return coding

    def apply_code_to_segments(self, segment_ids: Sequence[int], code_key: str, *,
                               coder: str = "researcher", valence: str = "0",
                               note: str = "") -> Coding:
        """Code the span covering consecutive segments (first start to last end)."""
        with self.session() as s:
            segs = [s.get(Segment, i) for i in segment_ids]
        if not segs or any(seg is None for seg in segs):
            raise NotFoundError(N_("no segment {ids}"), hint=N_("see `qualcode segments SOURCE`"),
                                ids=', '.join(map(str, segment_ids)))
        sources = {seg.source_id for seg in segs if seg}
        if len(sources) != 1:
            raise QualcodeError(N_("segments of one coding must belong to one source"))
        start = min(seg.start for seg in segs if seg)
        end = max(seg.end for seg in segs if seg)
        return self.apply_code(sources.pop(), start, end, code_key, coder=coder,
                               valence=valence, note=note)

    def remove_coding(self, coding_id: int) -> Coding:
        """Remove a coding (undoable)."""
        with self.transaction("remove", f"remove coding {coding_id}") as (s, rec):
            coding = self._coding(s, coding_id)
            rec.description = Message(N_("remove {coding}"), {"coding": describe_coding(s, coding)})
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
                    raise QualcodeError(N_("span {new_start}-{new_end} is outside {name}"),
                                        new_start=new_start, new_end=new_end, name=source.name)
                coding.start, coding.end = new_start, new_end
            coding.updated_at = utcnow()
            s.add(coding)
            what = [w for w, v in (("valence " + coding.valence, valence), ("note", note),
                                   ("span", start if start is not None else end)) if v is not None]
            rec.description = _edit_message(what, coding.valence, describe_coding(s, coding))
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
            raise NotFoundError(N_("no coding {coding_id}"), hint=N_("see `qualcode codings`"),
                                coding_id=coding_id)
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
        return list(self.iter_codings(source=source, codes=codes, coder=coder, valence=valence,
                                      informant=informant, kind=kind, lang=lang, limit=limit))

    def iter_codings(self, *, source: str | None = None, codes: Sequence[str] = (),
                     coder: str | None = None, valence: str | None = None,
                     informant: str | None = None, kind: str | None = None,
                     lang: str = "id", limit: int | None = None) -> Iterator[CodingRow]:
        """`codings()` as a stream: rows are read as they are consumed, and a source's text is
        read once per source, never per coding (see `listing.iter_coding_rows`)."""
        where = CodingFilter(source, tuple(codes), coder, valence, informant, kind)
        return listing.iter_coding_rows(self.reader, where, lang=lang, limit=limit)

    # ---- memos -----------------------------------------------------------------------------
    def add_memo(self, body: str, *, title: str = "", scope: str = "project",
                 target: int | None = None, author: str = "researcher") -> Memo:
        """Write a memo on the project or on a source / code / coding / informant (by id)."""
        if scope not in MEMO_SCOPES:
            raise QualcodeError(N_("memo scope {scope!r} is not one of {scopes}"), scope=scope,
                                scopes=', '.join(MEMO_SCOPES))
        if scope != "project" and target is None:
            raise QualcodeError(N_("a memo on a {scope} needs the {scope}'s id"), scope=scope)
        with self.transaction("memo", f"memo on {scope}") as (s, rec):
            memo = Memo(scope=scope, title=title, body=body, author=author)
            if scope != "project":
                setattr(memo, f"{scope}_id", target)
            s.add(memo)
            s.flush()
            rec.created(memo)
            rec.description = Message(N_("memo {name} on the {scope}"), {
                "name": _memo_name(memo), "scope": Message(MEMO_SCOPE_WORDS.get(scope, scope))})
            return memo

    def edit_memo(self, memo_id: int, *, body: str | None = None,
                  title: str | None = None) -> Memo:
        """Change a memo's text (undoable)."""
        with self.transaction("memo", f"edit memo {memo_id}") as (s, rec):
            memo = s.get(Memo, memo_id)
            if memo is None:
                raise NotFoundError(N_("no memo {memo_id}"), memo_id=memo_id)
            rec.updating(memo)
            if body is not None:
                memo.body = body
            if title is not None:
                memo.title = title
            rec.description = Message(N_("edit memo {name}"), {"name": _memo_name(memo)})
            memo.updated_at = utcnow()
            s.add(memo)
            return memo

    def delete_memo(self, memo_id: int) -> Memo:
        """Delete a memo (undoable)."""
        with self.transaction("memo", f"delete memo {memo_id}") as (s, rec):
            memo = s.get(Memo, memo_id)
            if memo is None:
                raise NotFoundError(N_("no memo {memo_id}"), memo_id=memo_id)
            rec.deleting(memo)
            rec.description = Message(N_("delete memo {name}"), {"name": _memo_name(memo)})
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
            stmt = stmt.order_by(Memo.updated_at.desc(),
                                 Memo.id.desc())  # type: ignore[attr-defined]
            return list(s.execute(stmt).scalars())


class _SourceFacts(NamedTuple):
    name: str
    version: int
    active: bool
    length: int
    excerpt: str


def _source_facts(s: Session, source_id: int, start: int, end: int) -> _SourceFacts | None:
    """What a coding action needs of its source, without fetching the whole text (a long
    transcript on a server would otherwise travel with every keystroke)."""
    row = s.execute(select(
        Source.name, Source.version, Source.active, func.length(Source.text),
        func.substr(Source.text, max(start, 0) + 1, max(min(end - start, 200), 0)),
    ).where(Source.id == source_id)).first()
    return None if row is None else _SourceFacts(row[0], row[1], bool(row[2]), int(row[3] or 0),
                                                 row[4] or "")


def _short(text: str, width: int = 40) -> str:
    """The excerpt on one line, at most `width` characters (with `…`)."""
    excerpt = " ".join(text.split())
    if len(excerpt) > width:
        excerpt = excerpt[: width - 1].rstrip() + "…"
    return excerpt


MEMO_SCOPE_WORDS = {"project": N_("project"), "source": N_("source"), "code": N_("code"),
                    "coding": N_("coding"), "informant": N_("informant")}


def _edit_message(what: list[str], valence: str, coding: Message) -> Message:
    """`valence + on SOB-1 (coder) in NAME “…”`, `note on …`, or both, for the undo log."""
    valence_changed = any(w.startswith("valence") for w in what)
    if valence_changed and "note" in what:
        return Message(N_("valence {valence} and note on {coding}"),
                       {"valence": valence, "coding": coding})
    if valence_changed:
        return Message(N_("valence {valence} on {coding}"), {"valence": valence, "coding": coding})
    if "note" in what:
        return Message(N_("note on {coding}"), {"coding": coding})
    return Message(N_("edit on {coding}"), {"coding": coding})


def _memo_name(memo: Memo, width: int = 40) -> str:
    """`“title”` (or the memo's first words) for the undo log."""
    name = " ".join((memo.title or memo.body).split())
    if len(name) > width:
        name = name[: width - 1].rstrip() + "…"
    return f"“{name}”"


def describe_coding(s: Session, coding: Coding) -> Message:
    """`SOB-1 (coder) in NAME “excerpt…”`, for the undo log (shown in the reader's language)."""
    code = s.get(Code, coding.code_id)
    source = _source_facts(s, coding.source_id, coding.start, coding.end)
    key = code.key if code is not None else str(coding.code_id)
    if source is None:
        return Message(N_("{code} ({coder})"), {"code": key, "coder": coding.coder})
    return Message(N_("{code} ({coder}) in {source} “{excerpt}”"), {
        "code": key, "coder": coding.coder, "source": source.name,
        "excerpt": _short(source.excerpt)})
