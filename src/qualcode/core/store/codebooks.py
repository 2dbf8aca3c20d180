"""Store operations on codebooks and codes: import, emergent codes, rename, recolour, merge."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlmodel import Session

from qualcode.core.models import Code, Codebook, Coding, Conclusion, Indicator, Memo, Summary
from qualcode.core.store.base import StoreBase
from qualcode.errors import ConflictError, NotFoundError, QualcodeError
from qualcode.i18n import N_, Message

if TYPE_CHECKING:
    from qualcode.core.codebooks import CodebookSpec

EMERGENT_KEY = "emergent"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
PALETTE = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
           "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#800000", "#aaffc3")


class CodebookOps(StoreBase):
    """Codebooks and codes."""

    def import_codebook(self, spec: CodebookSpec, *, active: bool = True) -> Codebook:
        """Add a codebook to the project, or update it by key (codes are never deleted).

        A shortcut that a code of another active codebook already uses is left unset, so one
        key never applies two codes (set another with `update_code`).
        """
        with self.transaction() as (s, _):
            book = s.execute(select(Codebook).where(Codebook.key == spec.key)).scalars().first()
            taken = set() if not active else {
                row[0] for row in s.execute(
                    select(Code.shortcut).join(Codebook, Codebook.id == Code.codebook_id).where(
                        Codebook.active == True, Codebook.key != spec.key,  # noqa: E712
                        Code.shortcut.is_not(None)))}
            book = book or Codebook(key=spec.key)
            book.title_id, book.title_en = spec.title.id, spec.title.en
            book.author, book.year, book.page = spec.author, spec.year, spec.page
            book.citation, book.language = spec.citation, spec.language
            book.focus_id, book.focus_en = spec.focus.id, spec.focus.en
            book.description_id, book.description_en = spec.description.id, spec.description.en
            book.scale = [
                {"key": lv.key, "value": lv.value, "label_id": lv.label.id, "label_en": lv.label.en,
                 **({"min_share": lv.min_share} if lv.min_share is not None else {}),
                 **({"min_informants": lv.min_informants}
                    if lv.min_informants is not None else {})}
                for lv in spec.scale
            ]
            book.active = active
            s.add(book)
            s.flush()
            ids: dict[str, int] = {}
            for order, (cs, parent_key) in enumerate(spec.iter_codes()):
                code = s.execute(select(Code).where(Code.key == cs.key)).scalars().first()
                if code is not None and code.codebook_id != book.id:
                    raise ConflictError(N_("code key {key!r} already belongs to another codebook"),
                                        key=cs.key)
                code = code or Code(key=cs.key, codebook_id=book.id)  # type: ignore[arg-type]
                code.label_id, code.label_en = cs.label.id, cs.label.en
                code.definition_id, code.definition_en = cs.definition.id, cs.definition.en
                code.shortcut = cs.shortcut if cs.shortcut not in taken else None
                code.colour = cs.colour or PALETTE[order % len(PALETTE)]
                code.data_sources = list(cs.data_sources)
                code.informant_roles = list(cs.informant_roles)
                code.parent_id = ids.get(parent_key) if parent_key else None
                code.order = order
                s.add(code)
                s.flush()
                assert code.id is not None
                ids[cs.key] = code.id
                old = {i.key: i for i in s.execute(
                    select(Indicator).where(Indicator.code_id == code.id)).scalars()}
                for n, ind in enumerate(cs.indicators):
                    row = old.pop(ind.key, None) or Indicator(key=ind.key, code_id=code.id)
                    row.label_id, row.label_en, row.order = ind.label.id, ind.label.en, n
                    row.phrases = {lang: list(p) for lang, p in ind.phrases.items()}
                    s.add(row)
                for stale in old.values():
                    s.delete(stale)
            return book

    def codebooks(self) -> list[Codebook]:
        """The project's codebooks."""
        with self.session() as s:
            return list(s.execute(select(Codebook).order_by(Codebook.id)).scalars())

    def get_codebook(self, key: str) -> Codebook:
        """A codebook by key."""
        with self.session() as s:
            book = s.execute(select(Codebook).where(Codebook.key == key)).scalars().first()
            if book is None:
                raise NotFoundError(N_("no codebook {key!r} in this project"),
                                    hint=N_("see `qualcode codebook list`"), key=key)
            return book

    def codes(self, codebook: str | None = None, *, active_only: bool = False) -> list[Code]:
        """Codes in codebook order (optionally one codebook, or only active codebooks)."""
        with self.session() as s:
            stmt = select(Code).join(Codebook, Codebook.id == Code.codebook_id)
            if codebook:
                stmt = stmt.where(Codebook.key == codebook)
            if active_only:
                stmt = stmt.where(Codebook.active == True)  # noqa: E712
            stmt = stmt.order_by(Codebook.id, Code.order, Code.id)
            return list(s.execute(stmt).scalars())

    def get_code(self, key: str) -> Code:
        """A code by key (case-insensitive), or by shortcut when `key` is one character."""
        with self.session() as s:
            return self._code(s, key)

    def _code(self, s: Session, key: str, *, for_update: bool = False) -> Code:
        stmt = select(Code).where(func.lower(Code.key) == key.lower())
        if for_update and s.get_bind().dialect.name != "sqlite":
            stmt = stmt.with_for_update()  # two edits of one code at once: one after the other
        code = s.execute(stmt).scalars().first()
        if code is None:
            raise NotFoundError(N_("no code {key!r} in this project"),
                                hint=N_("see `qualcode codebook show KEY` for the code keys"),
                                key=key)
        return code

    def indicators(self, code_key: str) -> list[Indicator]:
        """A code's indicators (parameters) in order."""
        with self.session() as s:
            code = self._code(s, code_key)
            stmt = select(Indicator).where(Indicator.code_id == code.id).order_by(Indicator.order)
            return list(s.execute(stmt).scalars())

    def add_code(self, key: str, label_id: str, label_en: str = "", *, definition_id: str = "",
                 definition_en: str = "", parent: str | None = None, colour: str | None = None,
                 shortcut: str | None = None, codebook: str | None = None) -> Code:
        """Add an emergent (inductive) code; undoable."""
        key = key.strip()
        if not key or any(ch.isspace() for ch in key):
            raise QualcodeError(N_("code key {key!r} must be non-empty with no spaces"),
                                hint=N_("use a key such as EM-1 or trust"), key=key)
        if not (label_id or label_en).strip():
            raise QualcodeError(N_("a code needs a label"))
        _check_colour(colour)
        with self.transaction("add_code", Message(N_("add code {key}"), {"key": key})) as (s, rec):
            if s.execute(select(Code).where(func.lower(Code.key) == key.lower())).first():
                raise ConflictError(N_("code {key!r} already exists"),
                                    hint=N_("choose another key"), key=key)
            if shortcut:
                self._check_shortcut(s, shortcut, None)
            book = self._emergent_book(s, rec) if codebook is None else s.execute(
                select(Codebook).where(Codebook.key == codebook)).scalars().first()
            if book is None:
                raise NotFoundError(N_("no codebook {codebook!r} in this project"),
                                    codebook=codebook)
            parent_id = self._code(s, parent).id if parent else None
            count = s.execute(select(func.count()).select_from(Code)).scalar_one()
            code = Code(key=key, codebook_id=book.id, label_id=label_id or label_en,  # type: ignore[arg-type]
                        label_en=label_en or label_id, definition_id=definition_id,
                        definition_en=definition_en, parent_id=parent_id, shortcut=shortcut,
                        colour=colour or PALETTE[count % len(PALETTE)], order=1000 + count,
                        is_emergent=True)
            s.add(code)
            s.flush()
            rec.created(code)
            return code

    def update_code(self, key: str, *, expected: dict[str, Any] | None = None,
                    **fields: Any) -> Code:
        """Rename (label_id/label_en/definition_*), recolour or change a shortcut; undoable.

        `expected` holds the values the editor showed (a dialog's initial values); when someone
        else changed any of them meanwhile (a shared project), nothing is written and a
        ConflictError says what the code holds now, instead of silently overwriting it.
        """
        allowed = {"label_id", "label_en", "definition_id", "definition_en", "colour", "shortcut"}
        unknown = set(fields) - allowed
        if unknown:
            raise QualcodeError(N_("cannot change {fields} of a code"),
                                fields=', '.join(sorted(unknown)))
        _check_colour(fields.get("colour"))
        what = Message(N_("edit code {key}"), {"key": key})
        with self.transaction("update_code", what) as (s, rec):
            code = self._code(s, key, for_update=True)
            for name, seen in (expected or {}).items():
                now = getattr(code, name)
                if (now or "") != (seen or ""):
                    raise ConflictError(N_("{key} was changed by someone else while you edited "
                                           "it: {name} is now {now!r}; nothing was changed"),
                                        hint=N_("look at the new text and edit again"),
                                        key=code.key, name=name, now=now)
            if fields.get("shortcut"):
                self._check_shortcut(s, fields["shortcut"], code.id)
            rec.updating(code)
            for name, value in fields.items():
                setattr(code, name, value or None if name in ("colour", "shortcut") else value)
            s.add(code)
            return code

    def merge_codes(self, source_key: str, target_key: str) -> int:
        """Merge `source` into `target`: codings, memos and sub-codes follow; undoable.

        Returns the number of codings moved (duplicates of an existing target coding are removed).
        """
        what = Message(N_("merge {source} into {target}"),
                       {"source": source_key, "target": target_key})
        with self.transaction("merge_codes", what) as (s, rec):
            src, dst = self._code(s, source_key), self._code(s, target_key)
            if src.id == dst.id:
                raise QualcodeError(N_("cannot merge a code into itself"))
            existing = {(c.source_id, c.start, c.end, c.coder) for c in s.execute(
                select(Coding).where(Coding.code_id == dst.id)).scalars()}
            moved = 0
            for coding in s.execute(select(Coding).where(Coding.code_id == src.id)).scalars():
                if (coding.source_id, coding.start, coding.end, coding.coder) in existing:
                    rec.deleting(coding)
                    s.delete(coding)
                    continue
                rec.updating(coding)
                coding.code_id = dst.id  # type: ignore[assignment]
                moved += 1
            for row in s.execute(select(Memo).where(Memo.code_id == src.id)).scalars():
                rec.updating(row)
                row.code_id = dst.id
            # the merged code's indicators follow the target's own, in their order
            after = max((i.order for i in s.execute(select(Indicator).where(
                Indicator.code_id == dst.id)).scalars()), default=-1) + 1
            moving = s.execute(select(Indicator).where(Indicator.code_id == src.id).order_by(
                Indicator.order, Indicator.id)).scalars().all()  # type: ignore[arg-type]
            for n, row in enumerate(moving):
                rec.updating(row)
                row.code_id, row.order = dst.id, after + n
            if self._is_descendant(s, dst, src):  # a parent into its (grand)child: the
                rec.updating(dst)                   # child takes the parent's place first
                dst.parent_id = src.parent_id
            for child in s.execute(select(Code).where(Code.parent_id == src.id)).scalars():
                if child.id == dst.id:
                    continue
                rec.updating(child)
                child.parent_id = dst.id
            for model in (Summary, Conclusion):
                for row in s.execute(select(model).where(model.code_id == src.id)).scalars():  # type: ignore[attr-defined]
                    rec.deleting(row)
                    s.delete(row)
            s.flush()
            rec.deleting(src)
            s.delete(src)
            return moved

    @staticmethod
    def _is_descendant(s: Session, code: Code, ancestor: Code) -> bool:
        """Whether `ancestor` is above `code` in the code tree."""
        seen: set[int] = set()
        parent_id = code.parent_id
        while parent_id is not None and parent_id not in seen:
            if parent_id == ancestor.id:
                return True
            seen.add(parent_id)
            parent = s.get(Code, parent_id)
            parent_id = parent.parent_id if parent is not None else None
        return False

    def _emergent_book(self, s: Session, rec: Any) -> Codebook:
        book = s.execute(select(Codebook).where(Codebook.key == EMERGENT_KEY)).scalars().first()
        if book is None:
            book = Codebook(key=EMERGENT_KEY, title_id="Kode emergen (induktif)",
                            title_en="Emergent (inductive) codes", is_emergent=True,
                            scale=[{"key": "effective", "value": 3, "label_id": "Efektif",
                                    "label_en": "Effective"},
                                   {"key": "not_yet_optimal", "value": 2,
                                    "label_id": "Belum optimal", "label_en": "Not yet optimal"},
                                   {"key": "not_effective", "value": 1,
                                    "label_id": "Tidak efektif", "label_en": "Not effective"}])
            s.add(book)
            s.flush()
            rec.created(book)
        return book

    def _check_shortcut(self, s: Session, shortcut: str, code_id: int | None) -> None:
        if len(shortcut) != 1 or shortcut.isspace():
            raise QualcodeError(N_("shortcut {shortcut!r} must be a single character"),
                                shortcut=shortcut)
        stmt = select(Code).join(Codebook, Codebook.id == Code.codebook_id).where(
            Code.shortcut == shortcut, Codebook.active == True)  # noqa: E712
        other = s.execute(stmt).scalars().first()
        if other is not None and other.id != code_id:
            raise ConflictError(N_("shortcut {shortcut!r} is already used by {key}"),
                                hint=N_("choose another key or clear that one first"),
                                shortcut=shortcut, key=other.key)


def _check_colour(colour: str | None) -> None:
    if colour and not _COLOUR.match(colour):
        raise QualcodeError(N_("colour {colour!r} is not #rrggbb"), hint=N_("e.g. #e6194b"),
                            colour=colour)
