"""Code suggestions for the open source: computed in a worker thread, reviewed in a list.

`S` on the coding screen opens this dialog. While spaCy lemmatises the transcript a loading
indicator shows and the UI stays responsive; then each row shows a segment excerpt (the matched
words highlighted), the suggested code and the indicator phrase. Enter jumps to the segment,
`a` accepts (applies the code on the segment with the current valence, undoable), `x` dismisses
the suggestion for the rest of the session.
"""

from __future__ import annotations

import bisect
import weakref
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.core.suggest import Suggestion, suggest_for_source
from qualcode.errors import QualcodeError
from qualcode.i18n import _, ngettext
from qualcode.tui import keymap

if TYPE_CHECKING:
    from qualcode.core.store import Project
    from qualcode.tui.screens.coding import CodingScreen

# Suggestions dismissed with `x`, per coding screen, for the session: (segment id, code key).
_DISMISSED: weakref.WeakKeyDictionary[object, set[tuple[int, str]]] = (
    weakref.WeakKeyDictionary())


class SuggestionsReady(Message):
    """The worker finished: the suggestions, or the error message."""

    def __init__(self, suggestions: list[Suggestion], error: str = "") -> None:
        super().__init__()
        self.suggestions = suggestions
        self.error = error


class SuggestionsStored(Message):
    """The store worker finished: codings added and already stored, or the error message."""

    def __init__(self, added: int, known: int, error: str = "") -> None:
        super().__init__()
        self.added = added
        self.known = known
        self.error = error


class SuggestionsDialog(ModalScreen[None]):
    """The list of suggested codes for the coding screen's source."""

    DEFAULT_CSS = """
    SuggestionsDialog .qc-suggest { width: 100; height: 80%; }
    SuggestionsDialog #suggest-list { height: 1fr; border: none; }
    SuggestionsDialog #suggest-busy { height: 3; }
    """
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("suggest")

    def __init__(self, owner: CodingScreen) -> None:
        super().__init__(classes="qc-dialog")
        self.owner = owner
        self.suggestions: list[Suggestion] = []
        self.running = False

    @property
    def lang(self) -> str:
        """UI language of the app."""
        return str(getattr(self.app, "lang", "id"))

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="qc-dialog-box qc-suggest"):
            yield Label(_("Code suggestions · {source}",
                          lang=lang).format(source=self.owner.data.name),
                        classes="qc-dialog-title")
            yield Static(_("Matching indicator phrases…", lang=lang), id="suggest-status")
            yield LoadingIndicator(id="suggest-busy")
            yield OptionList(id="suggest-list")
            yield Static(_("Enter go to segment · a accept · x dismiss · s store as coder "
                           "suggester · esc close", lang=lang),
                         classes="qc-hint")

    def on_mount(self) -> None:
        self.running = True
        self._compute(self.owner.project, self.owner.source_id, self.owner.coder)

    # ---- the worker ----------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="suggest")
    def _compute(self, project: Project, source_id: int, coder: str) -> None:
        try:
            found = suggest_for_source(project, source_id, coder=coder)
        except QualcodeError as exc:
            self.post_message(SuggestionsReady([], exc.text()))
        except Exception as exc:  # never let a worker failure take the UI down
            self.post_message(SuggestionsReady([], f"{type(exc).__name__}: {exc}"))
        else:
            self.post_message(SuggestionsReady(found))

    def on_suggestions_ready(self, message: SuggestionsReady) -> None:
        self.running = False
        self.query_one("#suggest-busy").display = False
        if message.error:
            self._status(_("Suggestions failed: {error}").format(error=message.error))
            return
        dismissed = _DISMISSED.get(self.owner, set())
        self.suggestions = [s for s in message.suggestions
                            if (s.segment_id, s.code_key) not in dismissed]
        self._fill(0)

    # ---- the list ------------------------------------------------------------------------
    def _status(self, text: str) -> None:
        self.query_one("#suggest-status", Static).update(text)

    def _fill(self, highlight: int) -> None:
        box = self.query_one("#suggest-list", OptionList)
        box.clear_options()
        if not self.suggestions:
            self._status(_("No suggestions for this source."))
            return
        self._status(_("{n} suggestions").format(n=len(self.suggestions)))
        box.add_options([Option(self._row(s), id=str(n))
                         for n, s in enumerate(self.suggestions)])
        box.highlighted = min(highlight, len(self.suggestions) - 1)
        box.focus()

    def _row(self, s: Suggestion) -> Text:
        owner = self.owner
        code = next((c for c in owner.all_codes.values() if c.key == s.code_key), None)
        number = bisect.bisect_right(owner.model.starts, s.start)
        row = Text(no_wrap=True, overflow="ellipsis")
        row.append("█ ", style=(code.colour if code and code.colour else "grey50"))
        row.append(s.code_key, style="bold")
        if code is not None:
            row.append(f" {code.label(self.lang)}")
        row.append(f"  {_('phrase')} «{s.phrase}»", style="italic")
        # the score is the idf-weighted sum of the matched phrases (suggest.py), not a count
        weight = f"{s.score:.1f}".replace(".", "," if self.lang == "id" else ".")
        row.append(f"  {_('(weight {n})').format(n=weight)}", style="dim")
        text = owner.data.text
        at = max(text.find(s.matched_text, s.start, s.end), s.start)
        before, after = _flat(text[s.start:at]), _flat(text[at + len(s.matched_text):s.end])
        row.append(f"\n  {number:>4} ", style="dim")
        row.append("…" + before[-40:] if len(before) > 40 else before, style="dim")
        row.append(s.matched_text, style="bold reverse")
        row.append(after, style="dim")
        return row

    def _current(self) -> int | None:
        box = self.query_one("#suggest-list", OptionList)
        if box.highlighted is None or not self.suggestions:
            return None
        return box.highlighted

    def _drop(self, index: int) -> None:
        del self.suggestions[index]
        self._fill(index)

    # ---- actions -------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#suggest-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._jump(self.suggestions[int(event.option.id)])
            self.dismiss(None)

    def _jump(self, s: Suggestion) -> None:
        view = self.owner.transcript
        if view.narrow is not None:
            view.set_narrow(None)
        view.go_to_offset(s.start)
        self.owner.update_side()

    def action_accept(self) -> None:
        """Apply the highlighted suggestion's code to its segment (current valence)."""
        index = self._current()
        if index is None:
            return
        s = self.suggestions[index]
        before = self.owner.last_coding_id
        self._jump(s)
        self.owner.apply(s.code_key)
        if self.owner.last_coding_id != before or self._applied(s):
            self._drop(index)

    def _applied(self, s: Suggestion) -> bool:
        code = next((c for c in self.owner.all_codes.values() if c.key == s.code_key), None)
        return code is not None and any(
            c.code_id == code.id and c.start == s.start and c.end == s.end
            for c in self.owner.index.by_id.values())

    def action_dismiss_one(self) -> None:
        """Hide the highlighted suggestion for the rest of the session."""
        index = self._current()
        if index is None:
            return
        s = self.suggestions[index]
        _DISMISSED.setdefault(self.owner, set()).add((s.segment_id, s.code_key))
        self._drop(index)

    def action_store(self) -> None:
        """Store the suggestions over chosen sources as codings of the coder `suggester`
        (the same core function as `qualcode suggest --store`; left out of every count
        unless chosen by name); the sources are chosen in a list, this one ticked."""
        from qualcode.tui.screens.analysis import MultiPickDialog

        project = self.owner.project
        options = [(str(s.id), s.name) for s in project.sources()]

        def chosen(values: list[str] | None) -> None:
            if values is None:
                return
            self._status(_("Storing suggestions as coder suggester…"))
            self.query_one("#suggest-busy").display = True
            self._store(project, [int(v) for v in values])

        self.app.push_screen(MultiPickDialog(
            _("Store suggestions as coder suggester: which sources? (none = all)"), options,
            [str(self.owner.source_id)]), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="suggest-store")
    def _store(self, project: Project, sources: list[int]) -> None:
        from qualcode.core.suggest import store_suggestions

        try:
            added, known = store_suggestions(project, sources)
        except QualcodeError as exc:
            self.post_message(SuggestionsStored(0, 0, exc.text()))
        except Exception as exc:  # never let a worker failure take the UI down
            self.post_message(SuggestionsStored(0, 0, f"{type(exc).__name__}: {exc}"))
        else:
            self.post_message(SuggestionsStored(added, known))

    def on_suggestions_stored(self, message: SuggestionsStored) -> None:
        self.query_one("#suggest-busy").display = False
        if message.error:
            self._status(_("Storing failed: {error}").format(error=message.error))
            return
        text = ngettext("{n} suggestion stored as coder suggester",
                        "{n} suggestions stored as coder suggester",
                        message.added).format(n=message.added)
        if message.known:
            text += " " + _("({n} already stored)").format(n=message.known)
        self._status(text)
        self.notify(text, timeout=4)
        if message.added:
            broadcast = getattr(self.app, "broadcast_change", None)
            if callable(broadcast):
                broadcast("suggest")

    def action_close(self) -> None:
        """Close the list (a running computation finishes in the background)."""
        self.dismiss(None)


def _flat(text: str) -> str:
    """Whitespace runs as single spaces, keeping a space at either end if there was one."""
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")
