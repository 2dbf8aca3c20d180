"""Store operations of the analysis: summary cells, conclusions and their evidence, cell memos.

Every change is one undoable action. No pandas here: the analysis package reads, this writes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from qualcode.core.analysis.labels import strip_draft
from qualcode.core.analysis.verdicts import Level, find_level, scale_levels
from qualcode.core.models import (
    Code,
    Codebook,
    Coding,
    Conclusion,
    ConclusionEvidence,
    Informant,
    Memo,
    Summary,
    utcnow,
)
from qualcode.core.store.codebooks import CodebookOps
from qualcode.core.store.coding import describe_coding
from qualcode.errors import NotFoundError, QualcodeError
from qualcode.i18n import N_, Message

SUMMARY_STATUSES = ("draft", "accepted")
CONCLUSION_STATUSES = ("tentative", "verified")
STANCES = ("supports", "contradicts")
CELL_MEMO_SCOPE = "summary"


def _c(model: Any) -> Any:
    """The Core columns of a table model (typed loosely: SQLModel fields confuse mypy)."""
    return model.__table__.c


def _check(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise QualcodeError(N_("{name} {value!r} is not one of {choices}"), name=name, value=value,
                            choices=', '.join(choices))
    return value


class AnalysisOps(CodebookOps):
    """Summaries (code x informant), conclusions per code, evidence links, cell memos."""

    # ---- summary grid ----------------------------------------------------------------------
    def set_summary(self, code_key: str, informant: str, text: str, status: str = "accepted",
                    *, author: str = "researcher") -> Summary | None:
        """Write a cell of the summary grid; empty text clears the cell (undoable).

        Accepting a generated draft removes its draft mark."""
        _check("summary status", status, SUMMARY_STATUSES)
        text = text.strip()
        if status == "accepted":
            text = strip_draft(text)
        with self.transaction("summary", Message(N_("summary {code} × {informant}"), {
                "code": code_key, "informant": informant})) as (s, rec):
            code, person = self._code(s, code_key), self._informant(s, informant)
            row = self._summary(s, code.id, person.id)  # type: ignore[arg-type]
            if not text:
                if row is not None:
                    rec.deleting(row)
                    s.delete(row)
                return None
            if row is None:
                row = Summary(code_id=code.id, informant_id=person.id, text=text,  # type: ignore[arg-type]
                              status=status, author=author)
                s.add(row)
                s.flush()
                rec.created(row)
                return row
            rec.updating(row)
            row.text, row.status, row.author, row.updated_at = text, status, author, utcnow()
            s.add(row)
            return row

    def get_summary(self, code_key: str, informant: str) -> Summary | None:
        """The summary of one cell, or None."""
        with self.session() as s:
            code, person = self._code(s, code_key), self._informant(s, informant)
            return self._summary(s, code.id, person.id)  # type: ignore[arg-type]

    @staticmethod
    def _summary(s: Session, code_id: int, informant_id: int) -> Summary | None:
        col = _c(Summary)
        return s.execute(select(Summary).where(col.code_id == code_id,
                                               col.informant_id == informant_id)
                         ).scalars().first()

    @staticmethod
    def _informant(s: Session, name: str) -> Informant:
        row = s.execute(select(Informant).where(_c(Informant).pseudonym == name)
                        ).scalars().first()
        if row is None:
            raise NotFoundError(N_("no informant {name!r} in this project"),
                                hint=N_("informant names are the pseudonyms given at import"),
                                name=name)
        return row

    def add_cell_memo(self, code_key: str, informant: str, body: str, *, title: str = "",
                      author: str = "researcher") -> Memo:
        """A memo attached to a summary-grid cell (code x informant); undoable."""
        with self.transaction("memo", Message(N_("memo on {code} × {informant}"), {
                "code": code_key, "informant": informant})) as (s, rec):
            code, person = self._code(s, code_key), self._informant(s, informant)
            memo = Memo(scope=CELL_MEMO_SCOPE, code_id=code.id, informant_id=person.id,
                        title=title, body=body, author=author)
            s.add(memo)
            s.flush()
            rec.created(memo)
            return memo

    def cell_memos(self, code_key: str, informant: str) -> list[Memo]:
        """The memos of one summary-grid cell, oldest first."""
        with self.session() as s:
            code, person = self._code(s, code_key), self._informant(s, informant)
            col = _c(Memo)
            return list(s.execute(select(Memo).where(
                col.scope == CELL_MEMO_SCOPE, col.code_id == code.id,
                col.informant_id == person.id).order_by(col.id)).scalars())

    # ---- conclusions -----------------------------------------------------------------------
    def set_conclusion(self, code_key: str, *, statement: str | None = None,
                       verdict: str | None = None, status: str | None = None,
                       decided_by: str | None = None) -> Conclusion:
        """Create or change a code's conclusion (undoable). Arguments left None keep their value;
        verdict '' clears the verdict. The proposed verdict is recomputed and stored beside the
        researcher's, and whoever set the verdict is recorded (default 'researcher')."""
        if status is not None:
            _check("conclusion status", status, CONCLUSION_STATUSES)
        proposed = self._proposal(code_key)
        what = Message(N_("conclusion on {code}"), {"code": code_key})
        with self.transaction("conclusion", what) as (s, rec):
            code = self._code(s, code_key)
            levels = self._levels(s, code)
            if verdict and find_level(levels, verdict) is None:
                raise QualcodeError(
                    N_("verdict {verdict!r} is not on the scale of {code}"),
                    hint=N_("choose one of {names}"), verdict=verdict, code=code.key,
                    names=", ".join(lv.key for lv in levels))
            row, created = self._conclusion(s, code, rec)
            if not created:
                rec.updating(row)
            if statement is not None:
                row.statement = statement.strip()
            if verdict is not None:
                row.verdict = verdict or None
                row.decided_by = (decided_by or "researcher") if verdict else None
            elif decided_by is not None:
                row.decided_by = decided_by
            if status is not None:
                if status == "verified" and not row.verdict:
                    raise QualcodeError(N_("{key} has no verdict yet"),
                                        hint=N_("choose a verdict before marking it verified"),
                                        key=code.key)
                row.status = status
            row.proposed_verdict = proposed
            row.updated_at = utcnow()
            s.add(row)
            return row

    def get_conclusion(self, code_key: str) -> Conclusion | None:
        """A code's conclusion, or None."""
        with self.session() as s:
            code = self._code(s, code_key)
            return s.execute(select(Conclusion).where(_c(Conclusion).code_id == code.id)
                             ).scalars().first()

    def link_evidence(self, code_key: str, coding_id: int, stance: str = "supports",
                      note: str | None = None) -> ConclusionEvidence:
        """Link a coding to a code's conclusion as supporting or contradicting (undoable);
        relinking changes the stance. `note`: the researcher's explanation (None keeps it).
        Creates a tentative conclusion if there is none."""
        _check("stance", stance, STANCES)
        proposed = self._proposal(code_key)
        with self.transaction("evidence", f"{stance} {code_key}: coding {coding_id}") as (s, rec):
            code = self._code(s, code_key)
            coding = s.get(Coding, coding_id)
            if coding is None:
                raise NotFoundError(N_("no coding {coding_id}"), hint=N_("see `qualcode codings`"),
                                    coding_id=coding_id)
            rec.description = Message(
                N_("supports {code}: {coding}") if stance == "supports"
                else N_("contradicts {code}: {coding}"),
                {"code": code_key, "coding": describe_coding(s, coding)})
            row, created = self._conclusion(s, code, rec)
            if created:
                row.proposed_verdict = proposed
            ev = _c(ConclusionEvidence)
            link = s.execute(select(ConclusionEvidence).where(
                ev.conclusion_id == row.id, ev.coding_id == coding_id)).scalars().first()
            if link is not None:
                rec.updating(link)
                link.stance = stance
                if note is not None:
                    link.note = note.strip()
                s.add(link)
                return link
            link = ConclusionEvidence(conclusion_id=row.id, coding_id=coding_id,  # type: ignore[arg-type]
                                      stance=stance, note=(note or "").strip())
            s.add(link)
            s.flush()
            rec.created(link)
            return link

    def set_evidence_note(self, code_key: str, coding_id: int, note: str) -> ConclusionEvidence:
        """Write the researcher's explanation beside a linked coding (undoable); '' clears it."""
        with self.transaction("evidence", f"explain {code_key}: coding {coding_id}") as (s, rec):
            link = self._evidence_link(s, code_key, coding_id, rec, N_("explain {code}: {coding}"),
                                       hint=N_("link it first (l on the conclusions screen)"))
            rec.updating(link)
            link.note = note.strip()
            s.add(link)
            return link

    def unlink_evidence(self, code_key: str, coding_id: int) -> None:
        """Remove a coding from a conclusion's evidence (undoable)."""
        with self.transaction("evidence", f"unlink {code_key}: coding {coding_id}") as (s, rec):
            link = self._evidence_link(s, code_key, coding_id, rec, N_("unlink {code}: {coding}"))
            rec.deleting(link)
            s.delete(link)

    def evidence(self, code_key: str) -> list[ConclusionEvidence]:
        """The codings linked to a code's conclusion, in linking order."""
        with self.session() as s:
            code = self._code(s, code_key)
            return list(s.execute(self._evidence_of(code).order_by(
                _c(ConclusionEvidence).id)).scalars())

    def _evidence_link(self, s: Session, code_key: str, coding_id: int, rec: Any,
                       description: str, hint: str | None = None) -> ConclusionEvidence:
        """The link of coding `coding_id` to the conclusion on `code_key` (NotFoundError when
        it is none), with the action described by `description` ({code}, {coding})."""
        code = self._code(s, code_key)
        link = s.execute(self._evidence_of(code).where(
            _c(ConclusionEvidence).coding_id == coding_id)).scalars().first()
        if link is None:
            raise NotFoundError(N_("coding {coding_id} is not evidence for {key}"), hint=hint,
                                coding_id=coding_id, key=code.key)
        coding = s.get(Coding, coding_id)
        if coding is not None:
            rec.description = Message(description, {"code": code_key,
                                                    "coding": describe_coding(s, coding)})
        return link  # type: ignore[no-any-return]

    @staticmethod
    def _evidence_of(code: Code) -> Any:
        ev, con = _c(ConclusionEvidence), _c(Conclusion)
        return select(ConclusionEvidence).where(ev.conclusion_id.in_(
            select(con.id).where(con.code_id == code.id)))

    @staticmethod
    def _conclusion(s: Session, code: Code, rec: object) -> tuple[Conclusion, bool]:
        row = s.execute(select(Conclusion).where(_c(Conclusion).code_id == code.id)
                        ).scalars().first()
        if row is not None:
            return row, False
        row = Conclusion(code_id=code.id)  # type: ignore[arg-type]
        s.add(row)
        s.flush()
        rec.created(row)  # type: ignore[attr-defined]
        return row, True

    @staticmethod
    def _levels(s: Session, code: Code) -> list[Level]:
        book = s.get(Codebook, code.codebook_id)
        return scale_levels(book.scale if book else [])

    def _proposal(self, code_key: str) -> str | None:
        """The level the verdict rule proposes (analysis.conclusions.code_proposal), read
        before a change so the write transaction holds no long read."""
        from qualcode.core.analysis.conclusions import code_proposal

        with self.session() as s:
            self._code(s, code_key)  # an unknown code fails here, with its message
        level = code_proposal(self, code_key)
        return level.key if level else None
