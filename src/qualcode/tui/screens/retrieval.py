"""Retrieval: every coded excerpt for a selection of codes × informants × source kinds ×
coders × valence, with its surrounding context (dimmed); Enter jumps to the transcript.

The query runs in a worker that only posts `RetrievalReady`; the handler fills the list.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Header, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.core.analysis.catalogue import Filters
from qualcode.core.analysis.labels import kind_label, role_label
from qualcode.core.coders import coder_label
from qualcode.core.models import SOURCE_KINDS
from qualcode.errors import error_text
from qualcode.i18n import N_, _
from qualcode.tui import keymap
from qualcode.tui.screens.analysis import AnalysisBase, MultiPickDialog
from qualcode.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from qualcode.core.analysis.query import Excerpt

PICK_TITLES = {  # titles of the filter pickers
    "codes": N_("Codes to show"),
    "informants": N_("Informants to show"),
    "kinds": N_("Source kinds"),
    "coders": N_("Coders"),
}

LIMIT = 500
CONTEXT = 120
VALENCE_CYCLE: tuple[str | None, ...] = (None, "+", "-", "0")
VALENCE_MARK = {"+": ("+", "green"), "-": ("−", "red"), "0": ("0", "grey50")}


class RetrievalReady(Message):
    """A retrieval worker finished (`token` tells stale results apart)."""

    def __init__(self, token: int, excerpts: list[Excerpt], error: str = "") -> None:
        super().__init__()
        self.token = token
        self.excerpts = excerpts
        self.error = error


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def excerpt_prompt(e: Excerpt, lang: str) -> Text:
    """One excerpt as the list shows it: a heading line, then the coded text (bold) in its
    dimmed context."""
    mark, colour = VALENCE_MARK.get(e.valence, ("0", "grey50"))
    line = Text()
    line.append(f" {mark} ", style=f"bold reverse {colour}")
    line.append(f" {e.code} ", style="bold")
    line.append(e.code_label)
    if e.interviewer:
        who = e.who or ""
    elif e.informant:
        who = e.informant + (f" ({role_label(e.role, lang)})" if e.role else "")
    else:
        who = kind_label(e.kind, lang)
    where = f"{e.source}, {e.location.text(lang)}" if e.location else f"{e.source}:{e.start}"
    line.append(f" · {who} · {where} · {e.coder}", style="dim" if not e.interviewer
                else "dim italic")
    line.append("\n")
    before, after = _flat(e.before), _flat(e.after)
    if before.strip():
        line.append("…" + before.lstrip(), style="dim")
    line.append(_flat(e.text).strip(), style="bold")
    if after.strip():
        line.append(after.rstrip() + "…", style="dim")
    if e.note:
        line.append(f"\n  ✎ {_flat(e.note)}", style="italic dim")
    return line


class RetrievalScreen(AnalysisBase):
    """Coded excerpts for the chosen filters, with context; Enter opens the transcript."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["analysis.tcss", "retrieval.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("retrieval")

    def __init__(self, filters: Filters | None = None, codebook: str | None = None) -> None:
        super().__init__(codebook=codebook)
        self.filters = filters or Filters()
        self.excerpts: list[Excerpt] = []
        self.truncated = False
        self._token = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="ret-filters", classes="an-bar")
        yield Static(id="ret-status", classes="an-status")
        yield LoadingIndicator(id="busy")
        yield OptionList(id="ret-list")
        yield KeyBar()

    def relabel(self) -> None:
        self.title = "qualcode"
        self.sub_title = _("Retrieval")
        self._show_filters()

    def _show_filters(self) -> None:
        f, all_ = self.filters, _("all")
        parts = [(_("Codes"), ", ".join(f.codes)), (_("Informants"), ", ".join(f.informants)),
                 (_("Kinds"), ", ".join(kind_label(k, self.lang) for k in f.kinds)),
                 (_("Coders"), ", ".join(coder_label(c, self.lang) for c in f.coders)),
                 (_("Valence"), {"-": "−"}.get(f.valence or "", f.valence or ""))]
        text = Text()
        for n, (label, value) in enumerate(parts):
            if n:
                text.append(" · ", style="dim")
            text.append(f"{label}: ", style="dim")
            text.append(value or all_, style="bold" if value else "")
        self.query_one("#ret-filters", Static).update(text)

    # ---- loading -------------------------------------------------------------------------
    def refresh_data(self) -> None:
        self._show_filters()
        if not self.needs_reload(self.filters, self.codebook):
            return
        self._token += 1
        self.set_busy(True)
        self.query_one("#ret-status", Static).update(_("Retrieving excerpts…"))
        self._retrieve(self._token, self.filters, self.codebook, self.lang)

    @work(thread=True, exclusive=True, exit_on_error=False, group="retrieval")
    def _retrieve(self, token: int, f: Filters, codebook: str | None, lang: str) -> None:
        from qualcode.core.analysis.query import retrieve

        try:
            found = retrieve(self.project, codebook=codebook, codes=f.codes,
                             informants=f.informants, kinds=f.kinds, coders=f.coders,
                             valence=f.valence, lang=lang, context_chars=CONTEXT,
                             limit=LIMIT + 1)
        except Exception as exc:  # shown to the researcher, never a crash
            self.post_message(RetrievalReady(token, [], error_text(exc, self.lang)))
            return
        self.post_message(RetrievalReady(token, found))

    def on_retrieval_ready(self, message: RetrievalReady) -> None:
        message.stop()
        if message.token != self._token:
            return
        self.set_busy(False)
        status = self.query_one("#ret-status", Static)
        box = self.query_one("#ret-list", OptionList)
        keep = box.highlighted
        box.clear_options()
        if message.error:
            self.invalidate()
            self.excerpts = []
            status.update(Text(message.error, style="bold red"))
            return
        self.truncated = len(message.excerpts) > LIMIT
        self.excerpts = message.excerpts[:LIMIT]
        if not self.excerpts:
            status.update(_("No coded excerpts for this selection."))
            return
        text = _("{n} excerpts · Enter opens the transcript at the excerpt"
                 ).format(n=len(self.excerpts))
        if self.truncated:
            text += _(" (first {n} shown)").format(n=LIMIT)
        status.update(text)
        box.add_options([Option(excerpt_prompt(e, self.lang), id=str(n))
                         for n, e in enumerate(self.excerpts)])
        box.highlighted = min(keep or 0, len(self.excerpts) - 1)
        box.focus()

    # ---- actions -------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#ret-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        excerpt = self.excerpts[int(event.option.id)]
        self.app_action("open_source", excerpt.source_id, excerpt.start)

    def set_filters(self, filters: Filters) -> None:
        """Show the excerpts of another selection."""
        self.filters = filters
        self.refresh_data()

    def action_pick(self, what: str) -> None:
        """Choose the codes / informants / kinds / coders to show (none chosen = all)."""
        from qualcode.core.analysis.catalogue import coders
        from qualcode.core.analysis.query import code_table

        options: list[tuple[str, str | Text]]
        if what == "codes":
            options = []
            for c in code_table(self.project, self.codebook, self.lang):
                label = Text(c.key, style="bold")
                label.append(f"  {c.label}")
                label.append(f"  {c.group}", style="dim")
                options.append((c.key, label))
        elif what == "informants":
            options = [(i.pseudonym, f"{i.pseudonym}" + (
                f" ({role_label(i.role, self.lang)})" if i.role else ""))
                for i in self.project.informants()]
        elif what == "kinds":
            options = [(k, kind_label(k, self.lang)) for k in SOURCE_KINDS]
        else:
            options = [(name, coder_label(name, self.lang)) for name in coders(self.project)]
        current: tuple[str, ...] = getattr(self.filters, what)

        def chosen(values: list[str] | None) -> None:
            if values is None:
                return
            chosen_ = tuple(values)
            f = self.filters
            self.set_filters(replace(f, codes=chosen_) if what == "codes" else
                             replace(f, informants=chosen_) if what == "informants" else
                             replace(f, kinds=chosen_) if what == "kinds" else
                             replace(f, coders=chosen_))

        self.app.push_screen(MultiPickDialog(_(PICK_TITLES[what]), options, current),
                             chosen)

    def action_cycle_valence(self) -> None:
        """All → + → − → 0 → all."""
        at = VALENCE_CYCLE.index(self.filters.valence)
        self.set_filters(replace(self.filters,
                                 valence=VALENCE_CYCLE[(at + 1) % len(VALENCE_CYCLE)]))

    def action_clear(self) -> None:
        """Show every coded excerpt again."""
        self.set_filters(Filters())

    def action_export(self) -> None:
        """Write the retrieved excerpts (as the retrieval display) to a file."""
        from functools import partial

        from qualcode.core.analysis.catalogue import retrieval_listing

        build = partial(retrieval_listing, self.project, self.filters, codebook=self.codebook,
                        lang=self.lang)
        self.open_export(["retrieval"], default="retrieval", display=build)
