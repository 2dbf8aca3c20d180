"""The summary grid (data reduction): codes × informants, each cell the researcher's condensed
summary of what that informant said about that code.

Enter opens the cell editor: the cell's excerpts above, the summary below. A draft can be
generated from the excerpts (marked [DRAFT] until the researcher accepts it); memos attach
to cells. Every change is one undoable store action.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Label, Static, TextArea

from qualcode.core.analysis.labels import draft_mark, role_label
from qualcode.core.analysis.reduction import is_draft, strip_draft
from qualcode.errors import QualcodeError, error_text
from qualcode.i18n import N_, _
from qualcode.tui import keymap
from qualcode.tui.screens.analysis import AnalysisBase
from qualcode.tui.screens.form_dialog import FormDialog, FormField, Values
from qualcode.tui.screens.retrieval import VALENCE_MARK
from qualcode.tui.screens.screen_base import app_lang, localise_bindings
from qualcode.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from qualcode.core.analysis.reduction import SummaryCell
    from qualcode.core.store import Project

STATUS_NAMES = {  # a cell's summary status
    "accepted": N_("accepted"),
    "draft": N_("DRAFT (not accepted yet)"),
    "": N_("empty"),
}

CODE_WIDTH = 26
CELL_WIDTH = 18


def one_line(text: str) -> str:
    return " ".join(text.split())


def cell_text(cell: SummaryCell | None, memos: int) -> Text:
    """A grid cell: coding count, status mark, memo mark, the summary's start."""
    out = Text(no_wrap=True, overflow="ellipsis")
    if cell is None:
        return out
    out.append(f"{cell.codings} " if cell.codings else "· ", style="dim")
    if cell.status == "accepted":
        out.append("✓ ", style="green")
    elif cell.status == "draft":
        out.append("✎ ", style="yellow")
    if memos:
        out.append("• ", style="cyan")
    out.append(one_line(strip_draft(cell.text)))
    return out


class SummaryGridScreen(AnalysisBase):
    """Codes (rows) × informants (columns); Enter edits the cell under the cursor.

    `g` is left to the app (the go-to menu, as on every screen): the draft is `d`. The key bar
    shows the keys in this order and drops the later ones when they do not fit (`?` stays);
    undo and redo are bound here too so that both show, next to each other.
    """

    CSS_PATH: ClassVar[list[str | PurePath]] = ["analysis.tcss", "summary_grid.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("summaries")

    def __init__(self, codebook: str | None = None, coder: str | None = None) -> None:
        super().__init__(codebook=codebook, coder=coder)
        self.cells: dict[tuple[str, str], SummaryCell] = {}
        self.memo_counts: dict[tuple[str, str], int] = {}
        self.labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="sg-bar", classes="an-bar")
        table: DataTable[Any] = DataTable(id="sg-table", cursor_type="cell", fixed_columns=1,
                                          header_height=2)
        yield table
        yield Static(id="sg-detail")
        yield KeyBar()

    def relabel(self) -> None:
        self.title = "qualcode"
        self.sub_title = _("Summary grid (code × informant)")

    # ---- loading -------------------------------------------------------------------------
    def refresh_data(self) -> None:
        from qualcode.core.analysis.query import code_table, informant_table
        from qualcode.core.analysis.reduction import summary_cells

        bar = Text(f"{_('Codebook')}: ", style="dim")
        bar.append(self.codebook_text(), style="bold")
        bar.append(f" · {_('Coder')}: ", style="dim")
        bar.append(self.coder_text(), style="bold")
        bar.append(f"   {_('✓ accepted  ✎ draft  • memo  number = codings')}", style="dim")
        self.query_one("#sg-bar", Static).update(bar)
        if not self.needs_reload(self.codebook, self.coder):
            return
        try:
            codes = code_table(self.project, self.codebook, self.lang)
            people = informant_table(self.project)
            cells = summary_cells(self.project, codebook=self.codebook, coder=self.coder,
                                  lang=self.lang)
        except QualcodeError as exc:
            self.invalidate()
            self.notify_error(exc)
            return
        self.cells = {(c.code, c.informant): c for c in cells}
        self.labels = {c.key: c.label for c in codes}
        by_id = {c.id: c.key for c in codes}
        names = {p.id: p.pseudonym for p in people}
        self.memo_counts = {}
        for memo in self.project.memos("summary"):
            key = (by_id.get(memo.code_id or 0, ""), names.get(memo.informant_id or 0, ""))
            self.memo_counts[key] = self.memo_counts.get(key, 0) + 1
        table: DataTable[Any] = self.query_one("#sg-table", DataTable)
        at = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column(_("Code"), width=CODE_WIDTH, key="code")
        for p in people:
            role = role_label(p.role, self.lang) if p.role else ""
            table.add_column(Text(f"{p.pseudonym}\n{role}"), width=CELL_WIDTH, key=p.pseudonym)
        group = None
        for n, code in enumerate(codes):
            if code.group != group:
                group = code.group
                table.add_row(Text(group, style="bold italic", no_wrap=True,
                                   overflow="ellipsis"), *[""] * len(people), key=f"group:{n}")
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append(f"{code.key} ", style="bold")
            label.append(code.label)
            table.add_row(label, *[cell_text(self.cells.get((code.key, p.pseudonym)),
                                             self.memo_counts.get((code.key, p.pseudonym), 0))
                                   for p in people], key=code.key)
        if table.row_count:
            row = min(at.row, table.row_count - 1)
            if row + 1 < table.row_count and str(table.ordered_rows[row].key.value).startswith(
                    "group:"):
                row += 1  # a heading row: start on its first code
            table.move_cursor(row=row, column=max(1, min(at.column, len(people))),
                              animate=False)
        table.focus()
        self._show_detail()

    # ---- the cell under the cursor -------------------------------------------------------
    def current_cell(self, coordinate: Coordinate | None = None) -> tuple[str, str] | None:
        """(code key, informant) of the cell under the cursor, or None."""
        table: DataTable[Any] = self.query_one("#sg-table", DataTable)
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(coordinate or table.cursor_coordinate)
        except Exception:  # CellDoesNotExist: an empty table
            return None
        row, col = key.row_key.value, key.column_key.value
        if row is None or col is None or row.startswith("group:") or col == "code":
            return None
        return row, col

    def _show_detail(self) -> None:
        detail = self.query_one("#sg-detail", Static)
        where = self.current_cell()
        if where is None:
            detail.update(Text(_("Move to a code × informant cell first."), style="dim"))
            return
        cell = self.cells.get(where)
        text = Text(
            _("{code} × {informant} · {n} codings").format(
                code=self.labels.get(where[0], where[0]),
                informant=where[1],
                n=cell.codings if cell else 0,
            ),
            style="bold",
        )
        status = cell.status if cell else ""
        text.append(f" · {_(STATUS_NAMES[status])}",
                    style={"draft": "yellow", "accepted": "green"}.get(status, "dim"))
        memos = self.memo_counts.get(where, 0)
        if memos:
            text.append(f" · {_('{n} memo(s)').format(n=memos)}", style="cyan")
        if cell and cell.text:
            text.append("\n" + cell.text)
        detail.update(text)

    @on(DataTable.CellHighlighted, "#sg-table")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.CellSelected, "#sg-table")
    def _selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_edit()

    def _cell_or_warn(self) -> tuple[str, str] | None:
        where = self.current_cell()
        if where is None:
            self.notify(_("Move to a code × informant cell first."), severity="warning")
        return where

    # ---- actions -------------------------------------------------------------------------
    def action_edit(self) -> None:
        """Open the cell editor (excerpts above, summary below)."""
        where = self._cell_or_warn()
        if where is None:
            return
        editor = SummaryEditor(self.project, where[0], self.labels.get(where[0], where[0]),
                               where[1], coder=self.coder, author=self.app_coder)
        self.app.push_screen(editor, lambda _saved: self.refresh_data())  # skipped if unchanged

    def action_draft(self) -> None:
        """Store a draft generated from the cell's excerpts (status draft)."""
        from qualcode.core.analysis.reduction import save_draft

        where = self._cell_or_warn()
        if where is not None and self.store_call(save_draft, self.project, *where,
                                                 coder=self.coder, lang=self.lang):
            self.refresh_data()
            # markup=False: the mark "[DRAFT]" would be read as a Rich style tag
            self.notify(_("Draft stored (marked {mark}); Enter to edit and accept it.")
                        .format(mark=draft_mark()), markup=False,
                        title=f"{where[0]} × {where[1]}")

    def action_accept(self) -> None:
        """Accept the cell's draft as it is (the [DRAFT] mark goes)."""
        where = self._cell_or_warn()
        if where is None:
            return
        cell = self.cells.get(where)
        if cell is None or cell.status != "draft" or not cell.text:
            self.notify(_("This cell has no draft to accept."), severity="warning")
            return
        if self.store_call(self.project.set_summary, *where, cell.text, status="accepted",
                           author=self.app_coder):
            self.refresh_data()
            self.notify(_("Summary accepted"), title=f"{where[0]} × {where[1]}", markup=False)

    def action_memo(self) -> None:
        """Write a memo on the cell."""
        where = self._cell_or_warn()
        if where is not None:
            write_cell_memo(self, self.project, where[0], self.labels.get(where[0], where[0]),
                            where[1], self.app_coder, self.refresh_data)

    def action_retrieve(self) -> None:
        """The cell's excerpts in the retrieval screen (Enter there opens the transcript)."""
        from qualcode.core.analysis.catalogue import Filters
        from qualcode.tui.screens.retrieval import RetrievalScreen

        where = self._cell_or_warn()
        if where is not None:
            coders = (self.coder,) if self.coder else ()
            self.app.push_screen(RetrievalScreen(Filters(codes=(where[0],),
                                                         informants=(where[1],),
                                                         coders=coders)))

    def action_codebook(self) -> None:
        def done(key: str | None) -> None:
            self.codebook = key
            self.refresh_data()
        self.pick_codebook(done)

    def action_coder(self) -> None:
        def done(name: str | None) -> None:
            self.coder = name
            self.refresh_data()
        self.pick_coder(done)

    def action_export(self) -> None:
        from qualcode.core.analysis.catalogue import build_choice

        build = lambda: build_choice(self.project, "summaries",  # noqa: E731
                                     codebook=self.codebook, lang=self.lang)
        self.open_export(["display", "all"], default="display", display=build,
                         display_key="summaries")


def write_cell_memo(screen: Screen[Any], project: Project, code: str, code_label: str,
                    informant: str, author: str, done: Callable[[], Any] | None = None) -> None:
    """Ask for a memo on a code × informant cell and store it (undoable)."""
    lang = app_lang(screen)

    def submit(values: Values) -> None:
        if not values["body"].strip():
            raise QualcodeError(N_("The memo is empty."))
        project.add_cell_memo(code, informant, values["body"], author=author)

    def closed(values: Values | None) -> None:
        if values is not None:
            screen.notify(_("Memo saved", lang=lang))
            if done is not None:
                done()

    title = _("Memo on {code} × {informant}", lang=lang).format(
        code=code_label, informant=informant
    )
    fields = [FormField("body", _("Memo", lang=lang), multiline=True)]
    screen.app.push_screen(FormDialog(title, fields, submit), closed)


class SummaryEditor(ModalScreen[bool]):
    """Edit one cell: its excerpts and memos above, the summary text below."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["dialogs.tcss", "summary_grid.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("summary_editor")

    def __init__(self, project: Project, code: str, code_label: str, informant: str, *,
                 coder: str | None = None, author: str = "researcher") -> None:
        super().__init__(classes="dialog")
        self.project = project
        self.code = code
        self.code_label = code_label
        self.informant = informant
        self.coder = coder
        self.author = author
        self.lang = app_lang(self)
        saved = project.get_summary(code, informant)
        self.original = saved.text if saved else ""
        self._warned = False
        localise_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box summary-box"):
            yield Label(f"{self.code_label} × {self.informant}", classes="dialog-title")
            with VerticalScroll(id="se-excerpts"):
                yield Static(id="se-excerpt-text")
            yield Label(_("DRAFT — generated from the excerpts. Check it, edit it, then ctrl+s to "
                          "accept."), id="se-banner")
            yield TextArea(self.original, id="se-text", soft_wrap=True, show_line_numbers=False)
            yield Label("", id="form-error")
            yield Static(_("ctrl+s accept · ctrl+t keep as draft · ctrl+g draft · ctrl+n memo · "
                           "Esc close"), id="se-keys")

    def on_mount(self) -> None:
        if not self.children:
            return
        self.show_excerpts()
        self._banner()
        self.query_one("#se-text", TextArea).focus()

    def show_excerpts(self) -> None:
        """List the cell's excerpts (with valence) and memos above the editor."""
        from qualcode.core.analysis.query import retrieve

        found = retrieve(self.project, codes=[self.code], informants=[self.informant],
                         coders=(self.coder,) if self.coder else (), lang=self.lang,
                         context_chars=0)
        text = Text(_("This cell's excerpts") + f" ({len(found)})\n", style="bold")
        if not found:
            text.append(_("(no coded excerpts yet)") + "\n", style="dim")
        for e in found:
            mark, colour = VALENCE_MARK.get(e.valence, ("0", "grey50"))
            text.append(f"{mark} ", style=f"bold {colour}")
            text.append(f"“{one_line(e.text)}”")
            text.append(f"  {e.source}:{e.start} · {e.coder}\n", style="dim")
        memos = self.project.cell_memos(self.code, self.informant)
        if memos:
            text.append(_("Cell memos") + "\n", style="bold")
            for memo in memos:
                text.append(f"• {one_line(memo.title + ' ' + memo.body)}\n", style="cyan")
        text.rstrip()
        self.query_one("#se-excerpt-text", Static).update(text)

    @on(TextArea.Changed, "#se-text")
    def _banner(self) -> None:
        self.query_one("#se-banner").display = is_draft(self.query_one("#se-text", TextArea).text)

    def _error(self, message: str) -> None:
        error = self.query_one("#form-error", Label)
        error.update(Text(message))
        error.add_class("visible")

    def _save(self, status: str) -> None:
        text = self.query_one("#se-text", TextArea).text
        try:
            self.project.set_summary(self.code, self.informant, text, status=status,
                                     author=self.author)
        except QualcodeError as exc:
            self._error(error_text(exc, str(getattr(self.app, "lang", "id"))))
            return
        self.dismiss(True)

    def action_accept(self) -> None:
        """Store the text as the accepted summary (a draft mark is removed)."""
        self._save("accepted")

    def action_keep_draft(self) -> None:
        """Store the text but leave the cell a draft."""
        self._save("draft")

    def action_draft(self) -> None:
        """Replace the text with a draft generated from the excerpts (not stored yet)."""
        from qualcode.core.analysis.reduction import draft_summary

        try:
            draft = draft_summary(self.project, self.code, self.informant, coder=self.coder,
                                  lang=self.lang)
        except QualcodeError as exc:
            self._error(error_text(exc, str(getattr(self.app, "lang", "id"))))
            return
        area = self.query_one("#se-text", TextArea)
        area.text = draft
        area.focus()

    def action_memo(self) -> None:
        """Write a memo on this cell."""
        write_cell_memo(self, self.project, self.code, self.code_label, self.informant,
                        self.author, self.show_excerpts)

    def action_close(self) -> None:
        if self.query_one("#se-text", TextArea).text != self.original and not self._warned:
            self._warned = True
            self._error(_("Not saved: Esc again discards."))
            return
        self.dismiss(False)
