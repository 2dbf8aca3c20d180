"""The coding screen's side panel: codings on the selection, the active codes, a code's detail.

The panel never takes focus (the transcript keeps the keyboard); a click on a code shows its
definition and indicators.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from qualcode.core.store.read import CodingSpan
from qualcode.i18n import _

if TYPE_CHECKING:
    from qualcode.core.store.read import CodebookRow, CodeRow, IndicatorRow

VALENCE_TEXT = {"+": "+", "-": "−", "0": "·"}
HERE_ROWS = 5  # codings listed for the selection; #here is 1 + HERE_ROWS + 1 rows high


class CodesPanel(Vertical, can_focus=False):
    """Codings on the selection (top), the codes list (middle), the shown code's detail."""

    class CodeClicked(Message):
        """A code in the list was clicked."""

        def __init__(self, code_id: int) -> None:
            super().__init__()
            self.code_id = code_id

    def __init__(self, lang: str, indicators: Callable[[str], Sequence[IndicatorRow]], *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang
        self._indicators = indicators
        self._indicator_cache: dict[str, Sequence[IndicatorRow]] = {}
        self.codes: dict[int, CodeRow] = {}
        self.books: dict[int, CodebookRow] = {}
        self.reserved: set[str] = set()
        self.shown_code: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="here")
        box = OptionList(id="codes")
        box.can_focus = False
        yield box
        with VerticalScroll(id="code-detail", can_focus=False):
            yield Static(id="detail")

    # ---- codes list ------------------------------------------------------------------------
    def set_codes(self, codes: Sequence[CodeRow], books: dict[int, CodebookRow],
                  reserved: set[str]) -> None:
        """Show the active codes grouped by codebook; flags shortcuts the screen has taken."""
        self.codes = {c.id: c for c in codes if c.id is not None}
        self.books = books
        self.reserved = reserved
        self._indicator_cache.clear()
        box = self.query_one("#codes", OptionList)
        box.clear_options()
        options: list[Option | None] = []
        last_book: int | None = None
        for code in codes:
            if code.codebook_id != last_book:
                last_book = code.codebook_id
                book = books.get(code.codebook_id)
                title = (book.title_en or book.title_id) if book and self.lang == "en" else (
                    (book.title_id or book.title_en) if book else "")
                options.append(Option(Text(title or (book.key if book else "?"), style="bold"),
                                      disabled=True))
            options.append(Option(self._code_prompt(code), id=str(code.id)))
        if not options:
            options.append(Option(Text(_("No active codebook."), style="italic"),
                                  disabled=True))
        box.add_options([o for o in options if o is not None])
        if self.shown_code not in self.codes:
            self.shown_code = None
        self._render_detail()

    def _code_prompt(self, code: CodeRow) -> Text:
        key = code.shortcut or " "
        taken = code.shortcut is not None and code.shortcut in self.reserved
        text = Text()
        text.append(f"{key} ", style="dim strike" if taken else "bold")
        text.append("█ ", style=code.colour or "grey50")
        indent = "  " if code.parent_id else ""
        text.append(f"{indent}{code.key} ", style="bold")
        text.append(code.label(self.lang))
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.show_code(int(event.option.id))
            self.post_message(self.CodeClicked(int(event.option.id)))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    # ---- codings on the selection ----------------------------------------------------------
    def show_here(self, codings: Sequence[CodingSpan], focused: int | None) -> None:
        """List the codings overlapping the selection; `focused` gets the ▸ marker."""
        text = Text(_("On this selection"), style="bold")
        me = str(getattr(self.app, "coder", "researcher"))  # other coders are named
        if not codings:
            text.append("\n  " + _("not coded yet"), style="italic dim")
        width = self.content_region.width or 40
        for coding in codings[:HERE_ROWS]:
            code = self.codes.get(coding.code_id)
            line = Text("▸ " if coding.id == focused else "  ",
                        style="bold" if coding.id == focused else "")
            line.append("█ ", style=(code.colour if code and code.colour else "grey50"))
            line.append(code.key if code else f"#{coding.code_id}", style="bold")
            line.append(f" {VALENCE_TEXT.get(coding.valence, coding.valence)}",
                        style={"+": "bold green", "-": "bold red"}.get(coding.valence, "dim"))
            coder = coding.coder if coding.coder != me else ""
            note = " ✎" if coding.note else ""
            # the label fills what is left of the line, shortened with "…" (whole in the
            # detail below when this coding is focused); a narrow panel shortens the coder
            room = width - line.cell_len - len(note) - (len(coder) + 3 if coder else 0) - 1
            if coder and room < 8:  # the coder's initial; the chooser and help name them
                coder = coder[0]
                room = width - line.cell_len - len(note) - len(coder) - 4
            tail = Text()
            if coder:
                tail.append(f" [{coder}]", style="dim")
            tail.append(note, style="italic")
            label = code.label(self.lang) if code else ""
            if label and room >= 4:
                line.append(" " + _clip(label, room))
            text.append("\n")
            text.append_text(line)
            text.append_text(tail)
        if len(codings) > HERE_ROWS:
            text.append(f"\n  … +{len(codings) - HERE_ROWS}", style="dim")
        self.query_one("#here", Static).update(text, layout=False)

    # ---- code detail -----------------------------------------------------------------------
    def show_code(self, code_id: int | None) -> None:
        """Show a code's definition and indicators (no-op if already shown)."""
        if code_id == self.shown_code:
            return
        self.shown_code = code_id
        self._render_detail()
        if code_id is not None:  # scroll the list to it: its key and whole label are in view
            box = self.query_one("#codes", OptionList)
            with contextlib.suppress(OptionDoesNotExist):
                box.highlighted = box.get_option_index(str(code_id))

    def _render_detail(self) -> None:
        detail = self.query_one("#detail", Static)
        code = self.codes.get(self.shown_code) if self.shown_code is not None else None
        if code is None:
            detail.update("")
            return
        text = Text()
        text.append("█ ", style=code.colour or "grey50")
        text.append(f"{code.key} ", style="bold")
        text.append(code.label(self.lang), style="bold")
        if code.shortcut and code.shortcut in self.reserved:
            taken = _("key {key} is taken by the screen; use / for this code")
            text.append("\n" + taken.format(key=code.shortcut), style="dim italic")
        definition = code.definition(self.lang) or _("(no definition)")
        text.append("\n" + definition.strip())
        indicators = self._indicator_cache.get(code.key)
        if indicators is None:
            indicators = self._indicators(code.key)
            self._indicator_cache[code.key] = indicators
        if indicators:
            text.append("\n" + _("Indicators"), style="bold")
            for ind in indicators:
                label = (ind.label_en or ind.label_id) if self.lang == "en" else (
                    ind.label_id or ind.label_en)
                text.append(f"\n {ind.key}. ", style="bold")
                text.append(label)
        detail.update(text)


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
