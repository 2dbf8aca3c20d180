"""The coding screen: read a transcript and code its segments from the keyboard.

Every change goes straight to the store (`Project.apply_code`, `remove_coding`, `edit_coding`)
and the screen updates its in-memory coding index from the returned row, redrawing only the
segments touched. Selection, word narrowing and search live in the transcript widget; this
screen turns keys into store calls. See `coding_edits.py` for the keys that change codings
and `coding_modes.py` for word narrowing and search; the keys are declared in `keymap.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from qualcode.core.store import read as store_read
from qualcode.core.store.read import CodebookRow, CodeRow, IndicatorRow
from qualcode.i18n import _
from qualcode.tui import keymap
from qualcode.tui.screens.coding_edits import VALENCES, CodingEdits
from qualcode.tui.screens.coding_people import CodingPeople
from qualcode.tui.screens.live_refresh import LiveCodings
from qualcode.tui.screens.screen_base import localise_bindings
from qualcode.tui.transcript_model import CodingIndex, TranscriptLayout
from qualcode.tui.widgets.codes_panel import CodesPanel
from qualcode.tui.widgets.key_bar import KeyBar
from qualcode.tui.widgets.transcript import CodeLook, TranscriptView


def shortcut_is_reserved(char: str) -> bool:
    """Whether a one-character code shortcut collides with a key of the coding screen or app."""
    return keymap.shortcut_conflict(char) is not None


class CodingScreen(LiveCodings, CodingPeople, CodingEdits):
    """Transcript (left) and codes panel (right) for one source."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("coding")

    def __init__(self, source_id: int, offset: int | None = None) -> None:
        super().__init__()
        self.source_id = source_id
        data = store_read.load_transcript(
            self.reader, source_id, store_read.own_codings_only(self.reader, self.coder))
        self.data = data
        self.model = TranscriptLayout(data.text, data.segments)
        self.index = CodingIndex(self.model.starts, self.model.ends, data.codings)
        self.valence = "0"
        self.focused_coding: tuple[int, int] | None = None  # coding id, transcript.moves
        self.last_coding_id: int | None = None
        self._initial_offset = offset
        self._loaded_once = False
        self._side_ready = False
        self.codes: list[CodeRow] = []
        self.all_codes: dict[int, CodeRow] = {}
        self.books: dict[int, CodebookRow] = {}
        self.shortcuts: dict[str, CodeRow] = {}
        self._load_codes()
        self._install_shortcuts()
        self.transcript = TranscriptView(self.model, self.index, self._looks(), id="transcript")
        if offset is not None:
            self.transcript.go_to_offset(offset)

    # ---- composition -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # Size classes before the first layout: changing them later restyles the whole screen,
        # which cost the first frame several ms.
        self._size_classes(self.app.size.width, self.app.size.height, update=False)
        with Horizontal(id="coding-body"):
            yield self.transcript
            yield CodesPanel(self.lang, self._indicators, id="codes-panel")
        yield Input(id="find", placeholder=_("Find in transcript… (Enter, esc)"), compact=True)
        yield Static(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Coding")
        self.sub_title = self.data.name
        panel = self.query_one(CodesPanel)
        panel.set_codes(self.codes, self.books, self._taken_shortcuts())
        self.transcript.focus()
        self._side_ready = True
        self.update_side()
        if not len(self.model):
            self.notify(_("This source has no segments."), severity="warning")
        self.start_live_refresh()

    def on_unmount(self) -> None:
        self.remember_position()

    def remember_position(self) -> None:
        """Tell the app where the cursor is, so the source reopens there."""
        remember = getattr(self.app, "remember_position", None)
        if callable(remember) and len(self.model):
            remember(self.source_id, self.model.starts[self.transcript.cursor])

    def show_change(self, changes: Sequence[dict[str, object]]) -> None:
        """After undo/redo: go to the first coding of this source that the action changed."""
        for change in changes:
            if change.get("table") != "coding":
                continue
            for state in (change.get("after"), change.get("before")):
                if isinstance(state, dict) and state.get("source_id") == self.source_id:
                    start = state.get("start")
                    if isinstance(start, int):
                        self.transcript.go_to_offset(start)
                        return

    def on_resize(self, event: events.Resize) -> None:
        self._size_classes(event.size.width, event.size.height)

    def _size_classes(self, width: int, height: int, *, update: bool = True) -> None:
        self.set_class(width < 100, "-narrow", update=update)
        self.set_class(width >= 140, "-wide", update=update)
        self.set_class(height < 30, "-short", update=update)

    # ---- codes -----------------------------------------------------------------------------
    def _indicators(self, code_key: str) -> Sequence[IndicatorRow]:
        return store_read.indicator_rows(self.reader, code_key)

    def _load_codes(self) -> None:
        self.books = {b.id: b for b in store_read.codebook_rows(self.reader)}
        every = store_read.code_rows(self.reader)
        self.all_codes = {c.id: c for c in every}
        self.codes = [c for c in every if (book := self.books.get(c.codebook_id)) and book.active]
        self.shortcuts = {c.shortcut: c for c in self.codes
                          if c.shortcut and not shortcut_is_reserved(c.shortcut)}

    def _looks(self) -> dict[int, CodeLook]:
        return {cid: CodeLook(c.key, c.colour or "grey50") for cid, c in self.all_codes.items()}

    def _taken_shortcuts(self) -> set[str]:
        return {c.shortcut for c in self.codes if c.shortcut and shortcut_is_reserved(c.shortcut)}

    def refresh_data(self) -> None:
        """After undo/redo or another screen's change: reload codes and codings."""
        if not self._loaded_once:
            self._loaded_once = True
            return
        self.forget_credits()
        old_looks = self._looks()
        self._load_codes()
        self._install_shortcuts(refresh=True)
        looks = self._looks()
        self.query_one(CodesPanel).set_codes(self.codes, self.books, self._taken_shortcuts())
        if looks != old_looks:
            self.transcript.set_looks(looks)
        changed = self.index.replace_all(store_read.coding_spans(
            self.reader, self.source_id, store_read.own_codings_only(self.reader, self.coder)))
        self.transcript.codings_changed(changed)
        if self.focused_coding and self.focused_coding[0] not in self.index.by_id:
            self.focused_coding = None
        self.update_side()

    # ---- keys ----------------------------------------------------------------------------
    def _install_shortcuts(self, *, refresh: bool = False) -> None:
        """Bind each free code shortcut to `apply_code` (bindings keep keys in order)."""
        localise_bindings(self, self.lang)
        for char, code in self.shortcuts.items():
            self._bindings.bind(keymap.shortcut_key(char), f"apply_code({code.key!r})",
                                f"{code.key} · {code.label(self.lang)}", show=False)
        if refresh:
            self.refresh_bindings()

    def relabel(self) -> None:
        """After a language change: translated bindings, shortcut descriptions and panel."""
        self._install_shortcuts()
        if self._side_ready:
            self.title = _("Coding")
            panel = self.query_one(CodesPanel)
            panel.lang = self.lang
            panel.set_codes(self.codes, self.books, self._taken_shortcuts())
            self.query_one("#find", Input).placeholder = _("Find in transcript… (Enter, esc)")
            self.update_side()

    def action_apply_code(self, code_key: str) -> None:
        """Apply a code (by key) to the selection."""
        if self.app.focused is self.transcript:
            self.apply(code_key)

    # ---- movement --------------------------------------------------------------------------
    def action_move(self, delta: int, extend: bool = False) -> None:
        """Move (or extend the selection) by segments."""
        self.transcript.move_by(delta, extend=extend)

    def action_turn(self, direction: int) -> None:
        """Jump to the start of the next / previous speaker turn."""
        model, cursor = self.model, self.transcript.cursor
        if not len(model):
            return
        first, last = model.turn_bounds(cursor)
        if direction > 0:
            target = min(last + 1, len(model) - 1)
        else:
            target = first if cursor != first else model.turn_bounds(max(0, first - 1))[0]
        self.transcript.move_to(target)

    def action_page(self, direction: int) -> None:
        """Move a screenful."""
        if not len(self.model):
            return
        top, _ = self.model.text_rows(self.transcript.cursor)
        row = top + direction * self.transcript.page_rows()
        self.transcript.move_to(self.transcript.segment_at_row(row))

    def action_edge(self, end: int) -> None:
        """Go to the first or last segment."""
        self.transcript.move_to(len(self.model) - 1 if end else 0)

    def action_next_uncoded(self) -> None:
        """Jump to the next informant segment without any coding (wraps around once)."""
        n = len(self.model)
        cursor = self.transcript.cursor
        for step in range(1, n + 1):
            i = (cursor + step) % n
            if not self.model.segments[i].is_interviewer and not self.index.is_coded(i):
                if i <= cursor:
                    self.notify(_("Wrapped to the start."), timeout=2)
                self.transcript.move_to(i)
                return
        self.notify(_("Every informant segment is coded."))

    def on_transcript_view_cursor_moved(self, _message: TranscriptView.CursorMoved) -> None:
        self.update_side()

    def action_memo(self) -> None:
        """Memos on this source."""
        self.app_action("open_memos", "source", self.source_id)

    def action_suggest(self) -> None:
        """Suggest codes from the indicator phrases (computed in a worker; a list to review)."""
        from qualcode.tui.screens.suggest_panel import SuggestionsDialog

        self.app.push_screen(SuggestionsDialog(self))

    def action_escape(self) -> None:
        """Leave word mode, then search, then a multi-segment selection, then the screen."""
        if self.transcript.narrow is not None:
            self.leave_words()
        elif self.matches:
            self.clear_search()
        elif self.transcript.cursor != self.transcript.mark:
            self.transcript.move_to(self.transcript.cursor)
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def update_side(self) -> None:
        """Refresh the panel (codings here, shown code) and the status line."""
        if not self._side_ready:
            return
        here = self.codings_here()
        focused = self._focused_span()
        panel = self.query_one(CodesPanel)
        panel.show_here(here, focused.id if focused else None)
        if focused is not None:
            panel.show_code(focused.code_id)
        elif here:
            panel.show_code(here[0].code_id)
        self.query_one("#status", Static).update(self.status_text(), layout=False)

    def status_text(self) -> Text:
        """Source, position, selection, current valence and mode."""
        text = Text(no_wrap=True, overflow="ellipsis")
        data = self.data
        text.append(f" {data.name}", style="bold")
        n = len(self.model)
        lo, hi = self.transcript.selection
        if n:
            text.append_text(self.people_status(self.transcript.selection_span()[0]))
            text.append(f" │ {_('seg')} {self.transcript.cursor + 1}/{n}")
        elif data.informant:
            text.append(f" · {data.informant}")
        if hi > lo:
            text.append(" │ " + _("{n} segments selected").format(n=hi - lo + 1), style="bold")
        v_style = {"+": "bold green", "-": "bold red"}.get(self.valence, "")
        text.append(f" │ {_('new valence')} ")
        text.append(VALENCES[self.valence], style=v_style)
        mode = self.mode_text()
        if mode:
            text.append(" │ ")
            text.append_text(mode)
        if self._flash:
            text.append(f" │ {self._flash}", style="italic")
        return text
