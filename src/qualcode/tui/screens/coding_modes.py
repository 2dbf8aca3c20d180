"""The coding screen's modes: word narrowing, search in the transcript, and status flashes.

A base class of `CodingScreen` (which provides `transcript`, `model`, `data` and
`update_side`). Word mode narrows a coding to words inside the selected segments; search
highlights matches and `n`/`N` walk them; `F` opens the project-wide search.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.timer import Timer
from textual.widgets import Input

from qualcode.core.store.read import find_all
from qualcode.i18n import _
from qualcode.tui import keymap
from qualcode.tui.screens.screen_base import QualcodeScreen

if TYPE_CHECKING:
    from qualcode.tui.transcript_model import TranscriptLayout
    from qualcode.tui.widgets.transcript import TranscriptView

class CodingModes(QualcodeScreen):
    """Word narrowing, transcript search and transient status messages."""


    transcript: TranscriptView
    model: TranscriptLayout

    def __init__(self) -> None:
        super().__init__()
        self.matches: list[tuple[int, int]] = []
        self.match_pos = -1
        self.search_term = ""
        self._words: list[tuple[int, int]] = []
        self._word_range = (0, 0)
        self._flash = ""
        self._flash_timer: Timer | None = None

    def update_side(self) -> None:
        """Refresh the side panel and the status line (the screen implements it)."""

    # ---- bindings shown only in their mode ---------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        mode = keymap.mode_of("coding", action)
        if mode == "words":
            return self.transcript.narrow is not None
        if mode == "search" and parameters and parameters[0] == -1:
            return bool(self.matches)
        return True

    # ---- word narrowing ----------------------------------------------------------------------
    def action_words(self) -> None:
        """Toggle word mode: narrow the coding span to words inside the selection."""
        view = self.transcript
        if view.narrow is not None:
            self.leave_words()
            return
        if not len(self.model):
            return
        lo, hi = view.selection
        self._words = self.model.words(self.model.starts[lo], self.model.ends[hi])
        if not self._words:
            return
        self._word_range = (0, len(self._words) - 1)
        self._narrow_to_words()
        self.refresh_bindings()

    def leave_words(self) -> None:
        """End word mode (the key bar drops its word keys)."""
        if self.transcript.narrow is not None:
            self.transcript.set_narrow(None)
            self.refresh_bindings()

    def action_word(self, edge: str, delta: int) -> None:
        """Move the first (`start`) or last (`end`) narrowed word by `delta` words."""
        if self.transcript.narrow is None or not self._words:
            return
        first, last = self._word_range
        if edge == "start":
            first = min(max(first + delta, 0), last)
        else:
            last = max(min(last + delta, len(self._words) - 1), first)
        self._word_range = (first, last)
        self._narrow_to_words()

    def _narrow_to_words(self) -> None:
        first, last = self._word_range
        self.transcript.set_narrow((self._words[first][0], self._words[last][1]))

    # ---- search in the transcript ------------------------------------------------------------
    def action_find(self) -> None:
        """Show the find box (Enter searches, escape closes)."""
        box = self.query_one("#find", Input)
        box.add_class("-visible")
        box.value = self.search_term
        box.focus()

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._close_find()
        self.search(event.value)

    def search(self, term: str) -> None:
        """Highlight every occurrence of `term` and go to the first one after the cursor."""
        term = term.strip()
        self.search_term = term
        self.matches = [(s, s + len(term)) for s in find_all(self.model.text, term.lower())]
        self.transcript.set_matches(self.matches)
        self.refresh_bindings()
        if not term:
            self.clear_search()
            return
        if not self.matches:
            self.flash(_("«{q}» not found").format(q=term))
            return
        here = self.model.starts[self.transcript.cursor] if len(self.model) else 0
        self.match_pos = next((i for i, m in enumerate(self.matches) if m[0] >= here), 0)
        self._show_match()

    def action_next_match(self, step: int = 1) -> None:
        """Go to the next (or previous) match."""
        if not self.matches:
            return
        self.match_pos = (self.match_pos + step) % len(self.matches)
        self._show_match()

    def _show_match(self) -> None:
        self.transcript.go_to_offset(self.matches[self.match_pos][0])
        self.update_side()

    def clear_search(self) -> None:
        """Forget the search and its highlights."""
        self.search_term = ""
        self.matches = []
        self.match_pos = -1
        self.transcript.set_matches([])
        self.refresh_bindings()
        self.update_side()

    def on_key(self, event: object) -> None:
        """Escape in the find box closes it (handled before the screen's bindings)."""
        key = getattr(event, "key", None)
        if key == "escape" and self.app.focused is not None and self.app.focused.id == "find":
            event.stop()  # type: ignore[attr-defined]
            event.prevent_default()  # type: ignore[attr-defined]
            self._close_find()

    def _close_find(self) -> None:
        self.query_one("#find", Input).remove_class("-visible")
        self.transcript.focus()

    def action_search_project(self) -> None:
        """The project-wide search screen, starting from the current term."""
        from qualcode.tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(self.search_term))

    # ---- status ------------------------------------------------------------------------------
    def mode_text(self) -> Text | None:
        """The current mode for the status line."""
        if self.transcript.narrow is not None:
            return Text(_("WORDS ←/→ start · shift+←/→ end · esc"), style="bold reverse")
        if self.matches:
            return Text(
                _("find «{q}» {i}/{n} · n/N · esc").format(
                    q=self.search_term, i=self.match_pos + 1, n=len(self.matches)
                ),
                style="bold",
            )
        return None

    def flash(self, message: str) -> None:
        """Show a short message in the status line for two seconds."""
        self._flash = message
        self.update_side()
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(2.0, self._clear_flash)

    def _clear_flash(self) -> None:
        self._flash = ""
        self._flash_timer = None
        self.update_side()
