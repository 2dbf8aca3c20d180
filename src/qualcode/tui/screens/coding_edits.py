"""The coding screen's edits: apply, valence, remove, note, and which coding they act on.

A base class of `CodingScreen` (which provides the transcript, the coding index and the codes);
every change goes straight to the store and redraws only the segments it touched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from qualcode.core.store.read import CodeRow, CodingSpan, span_of
from qualcode.i18n import _
from qualcode.tui.screens.coding_modes import CodingModes
from qualcode.tui.widgets.code_picker import ChoiceDialog, CodePicker
from qualcode.tui.widgets.codes_panel import VALENCE_TEXT

if TYPE_CHECKING:
    from qualcode.core.store.read import TranscriptData
    from qualcode.tui.transcript_model import CodingIndex

VALENCES = {"+": "+", "-": "−", "0": "0"}


class CodingEdits(CodingModes):
    """Key actions that change codings, and the helpers that find the coding to change."""

    index: CodingIndex
    data: TranscriptData
    source_id: int
    codes: list[CodeRow]
    all_codes: dict[int, CodeRow]
    valence: str
    focused_coding: tuple[int, int] | None  # coding id, transcript.moves when focused
    last_coding_id: int | None

    # ---- coding ----------------------------------------------------------------------------
    def apply(self, code_key: str) -> None:
        """Apply a code to the selection (snapped to segments unless narrowed to words)."""
        if not len(self.model):
            return
        start, end = self.transcript.selection_span()
        coding = self.store_call(self.project.apply_code, self.source_id, start, end, code_key,
                                 coder=self.coder, valence=self.valence)
        if coding is None:
            return
        span = span_of(coding)
        self.transcript.codings_changed(self.index.add(span))
        self.last_coding_id = span.id
        self._focus_coding(span.id)
        self.leave_words()
        self.flash(_("{code} applied").format(code=self._key_of(span)))

    def action_pick(self) -> None:
        """Open the fuzzy code picker; the chosen code is applied to the selection."""
        def chosen(key: str | None) -> None:
            if key:
                self.apply(key)
        self.app.push_screen(CodePicker(self.codes), chosen)

    def action_valence(self, valence: str) -> None:
        """Set the valence of the focused coding, or the valence of the next codings."""
        coding = self._focused_span()
        if coding is None:
            self.valence = valence
            self.update_side()
            return
        row = self.store_call(self.project.edit_coding, coding.id, valence=valence)
        if row is not None:
            self.transcript.codings_changed(self.index.add(span_of(row)))
            self.flash(_("{code}: valence {v}").format(code=self._key_of(coding),
                                                       v=VALENCES[valence]))

    def action_remove(self) -> None:
        """Remove a coding from the selection (asks which when several)."""
        self._with_coding(_("Remove which coding?"), self._remove)

    def _remove(self, coding_id: int) -> None:
        span = self.index.by_id.get(coding_id)
        if span is None:
            return
        if span.coder != self.coder:  # another coder's work: ask first
            def confirmed(answer: int | None) -> None:
                if answer == 1:
                    self._remove_now(span)
            choices = [(1, _("Remove")), (0, _("Cancel"))]
            self.app.push_screen(ChoiceDialog(
                _("{code} was coded by {coder}. Remove their coding?").format(
                    code=self._key_of(span), coder=span.coder),
                choices, selected=0), confirmed)
            return
        self._remove_now(span)

    def _remove_now(self, span: CodingSpan) -> None:
        coding_id = span.id
        if self.store_call(self.project.remove_coding, coding_id) is None:
            return
        self.transcript.codings_changed(self.index.remove(coding_id))
        self.focused_coding = None
        self.flash(_("{code} removed").format(code=self._key_of(span)))

    def action_note_or_next(self) -> None:
        """`n`: next search match while searching, else the note of a coding here."""
        if self.matches:
            self.action_next_match(1)
        else:
            self._with_coding(_("Note on which coding?"), self._edit_note)

    def _edit_note(self, coding_id: int) -> None:
        from qualcode.tui.widgets.note_dialog import NoteDialog  # TextArea: load when needed

        span = self.index.by_id.get(coding_id)
        if span is None:
            return
        excerpt = self.data.text[span.start:span.end]

        def done(note: str | None) -> None:
            if note is None or note == span.note:
                return
            row = self.store_call(self.project.edit_coding, coding_id, note=note)
            if row is not None:
                self.transcript.codings_changed(self.index.add(span_of(row)))
                self._focus_coding(coding_id)
                self.flash(_("Note on {code} saved").format(code=self._key_of(span)))
        self.app.push_screen(NoteDialog(self._key_of(span), excerpt, span.note), done)

    def action_cycle_coding(self) -> None:
        """Focus the next coding on the selection (its valence/note keys then act on it)."""
        here = self.codings_here()
        if not here:
            self.flash(_("No coding on this selection."))
            return
        current = self._focused_span()
        ids = [c.id for c in here]
        at = ids.index(current.id) if current and current.id in ids else -1
        nxt = ids[(at + 1) % len(ids)]
        self._focus_coding(nxt)
        self.update_side()


    # ---- helpers ---------------------------------------------------------------------------
    @property
    def coder(self) -> str:
        """The coder name of this session."""
        return str(getattr(self.app, "coder", "researcher"))

    def codings_here(self) -> list[CodingSpan]:
        """Codings overlapping the selection span, in text order."""
        if not len(self.model):
            return []
        start, end = self.transcript.selection_span()
        lo, hi = self.transcript.selection
        seen: dict[int, CodingSpan] = {}
        for i in range(lo, hi + 1):
            for c in self.index.at(i):
                if c.start < end and c.end > start:
                    seen[c.id] = c
        return sorted(seen.values(), key=lambda c: (c.start, c.id))

    def _focus_coding(self, coding_id: int) -> None:
        self.focused_coding = (coding_id, self.transcript.moves)

    def _focused_span(self) -> CodingSpan | None:
        if self.focused_coding is None:
            return None
        coding_id, moves = self.focused_coding
        if moves != self.transcript.moves:
            return None
        return self.index.by_id.get(coding_id)

    def _with_coding(self, title: str, then: object) -> None:
        here = self.codings_here()
        focused = self._focused_span()
        assert callable(then)
        if not here:
            self.flash(_("No coding on this selection."))
        elif (focused is not None and focused.id in {c.id for c in here}) or len(here) == 1:
            then((focused or here[0]).id)
        else:
            items = [(c.id, self._coding_label(c)) for c in here]

            def chosen(coding_id: int | None) -> None:
                if coding_id is not None:
                    then(coding_id)
            self.app.push_screen(ChoiceDialog(title, items), chosen)

    def _coding_label(self, coding: CodingSpan) -> Text:
        code = self.all_codes.get(coding.code_id)
        text = Text()
        text.append("█ ", style=(code.colour if code and code.colour else "grey50"))
        text.append(f"{self._key_of(coding)} {VALENCE_TEXT.get(coding.valence, '')} ",
                    style="bold")
        text.append(code.label(self.lang) if code else "")
        text.append(f"  [{coding.coder}]", style="bold" if coding.coder != self.coder else "dim")
        if coding.note:
            text.append(f"  ✎ {' '.join(coding.note.split())[:30]}", style="italic")
        excerpt = " ".join(self.data.text[coding.start:coding.end].split())
        text.append(f"\n   {excerpt[:60]}{'…' if len(excerpt) > 60 else ''}", style="dim")
        return text

    def _key_of(self, coding: CodingSpan) -> str:
        code = self.all_codes.get(coding.code_id)
        return code.key if code else f"#{coding.code_id}"
