"""Project-wide search: every occurrence of a word or phrase across the active sources.

The search runs in a worker thread (the UI stays responsive on a large project); Enter on a hit
opens the coding screen at that place.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.core.store.view import SearchHit, search_sources
from qualcode.i18n import _
from qualcode.tui import keymap
from qualcode.tui.screens.screen_base import QualcodeScreen
from qualcode.tui.widgets.key_bar import KeyBar

LIMIT = 1000


class SearchScreen(QualcodeScreen):
    """A search box and the list of hits, grouped by source in name order."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("search")

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-body"):
            yield Static(_("Search all sources"), id="search-title")
            yield Input(self.query_text, placeholder=_("Word or phrase… (Enter)"),
                        id="search-input")
            yield Static(id="search-status")
            yield LoadingIndicator(id="search-busy")
            yield OptionList(id="search-hits")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#search-busy").display = False
        self.query_one("#search-input", Input).focus()
        if self.query_text.strip():
            self.run_search(self.query_text)

    def relabel(self) -> None:
        self.query_one("#search-title", Static).update(_("Search all sources"))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_search(event.value)

    def run_search(self, query: str) -> None:
        """Start a search in a worker; the list fills when it finishes."""
        query = query.strip()
        if not query:
            return
        self.query_text = query
        self.query_one("#search-status", Static).update(_("Searching «{q}»…").format(q=query))
        self.query_one("#search-busy").display = True
        self._search(query)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, query: str) -> None:
        hits = search_sources(self.project, query, limit=LIMIT)
        self.app.call_from_thread(self._show, query, hits)

    def _show(self, query: str, hits: list[SearchHit]) -> None:
        if query != self.query_text:
            return
        self.hits = hits
        self.query_one("#search-busy").display = False
        box = self.query_one("#search-hits", OptionList)
        box.clear_options()
        status = self.query_one("#search-status", Static)
        if not hits:
            status.update(_("No hits for «{q}».").format(q=query))
            return
        sources = len({h.source_id for h in hits})
        text = _("{n} hits in {s} sources").format(n=len(hits), s=sources)
        if len(hits) >= LIMIT:
            text += _(" (first {n} shown)").format(n=LIMIT)
        status.update(text)
        options: list[Option] = []
        last: int | None = None
        for n, hit in enumerate(hits):
            if hit.source_id != last:
                last = hit.source_id
                head = Text(hit.source, style="bold")
                if hit.informant:
                    head.append(f" · {hit.informant}", style="dim")
                options.append(Option(head, disabled=True))
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append("  …" + hit.before.lstrip(), style="dim")
            line.append(hit.match, style="bold reverse")
            line.append(hit.after.rstrip() + "…", style="dim")
            options.append(Option(line, id=str(n)))
        box.add_options(options)

    @on(OptionList.OptionSelected, "#search-hits")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        hit = self.hits[int(event.option.id)]
        self.app_action("open_source", hit.source_id, hit.start)

    def action_focus_input(self) -> None:
        """Back to the search box."""
        self.query_one("#search-input", Input).focus()

    def action_hits(self) -> None:
        """Move from the search box to the hits."""
        box = self.query_one("#search-hits", OptionList)
        if box.option_count:
            box.focus()
            if box.highlighted is None:
                box.highlighted = 1 if box.option_count > 1 else 0

    def action_back(self) -> None:
        """Close the search."""
        self.app.pop_screen()
