"""A modal editor for a coding's note: ctrl+s saves (dismisses with the text), escape cancels."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from qualcode.i18n import _
from qualcode.tui import keymap


class NoteDialog(ModalScreen[str | None]):
    """Edit the note of one coding; shows the code and the excerpt it is on."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("note")

    def __init__(self, code: str, excerpt: str, note: str) -> None:
        super().__init__(classes="qc-dialog")
        self.code = code
        self.excerpt = excerpt
        self.note = note

    @property
    def lang(self) -> str:
        """UI language of the app."""
        return str(getattr(self.app, "lang", "id"))

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="qc-dialog-box qc-note"):
            yield Label(_("Note on {code}", lang=lang).format(code=self.code),
                        classes="qc-dialog-title")
            yield Static(_clip(self.excerpt, 300), classes="qc-excerpt", markup=False)
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(_("ctrl+s save · esc cancel · leave empty to clear", lang=lang),
                         classes="qc-hint")
            with Horizontal(classes="qc-buttons"):
                yield Button(_("Cancel", lang=lang), id="note-cancel", compact=True)
                yield Button(_("Save", lang=lang), id="note-save", variant="primary",
                             compact=True)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#note-save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#note-cancel")
    def _cancel(self) -> None:
        self.action_cancel()


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
