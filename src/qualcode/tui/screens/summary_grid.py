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

from qualcode.core.analysis.labels import DRAFT_MARK, role_label
from qualcode.core.analysis.reduction import is_draft, strip_draft
from qualcode.errors import QualcodeError
from qualcode.tui import keymap
from qualcode.tui.error_text import error_text
from qualcode.tui.i18n import STRINGS, t
from qualcode.tui.screens.analysis import AnalysisBase
from qualcode.tui.screens.form_dialog import FormDialog, FormField, Values
from qualcode.tui.screens.retrieval import VALENCE_MARK
from qualcode.tui.screens.screen_base import app_lang, localise_bindings
from qualcode.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from qualcode.core.analysis.reduction import SummaryCell
    from qualcode.core.store import Project

STRINGS.update({
    "sg.title": {"id": "Grid ringkasan (kode × informan)", "en": "Summary grid (code × informant)"},
    "sg.edit": {"id": "Sunting", "en": "Edit"},
    "sg.draft": {"id": "Draf", "en": "Draft"},
    "sg.accept": {"id": "Terima", "en": "Accept"},
    "sg.keep_draft": {"id": "Simpan sbg draf", "en": "Keep as draft"},
    "sg.memo": {"id": "Memo sel", "en": "Cell memo"},
    "sg.retrieve": {"id": "Kutipan", "en": "Excerpts"},
    "sg.code": {"id": "Kode", "en": "Code"},
    "sg.legend": {"id": "✓ diterima  ✎ draf  • memo  angka = koding",
                  "en": "✓ accepted  ✎ draft  • memo  number = codings"},
    "sg.cell": {"id": "{code} × {informant} · {n} koding",
                "en": "{code} × {informant} · {n} codings"},
    "sg.status.accepted": {"id": "diterima", "en": "accepted"},
    "sg.status.draft": {"id": "DRAF (belum diterima)", "en": "DRAFT (not accepted yet)"},
    "sg.status.": {"id": "kosong", "en": "empty"},
    "sg.memos": {"id": "{n} memo", "en": "{n} memo(s)"},
    "sg.pick_cell": {"id": "Pilih sel kode × informan dulu.",
                     "en": "Move to a code × informant cell first."},
    "sg.drafted": {"id": "Draf disimpan (bertanda {mark}); Enter untuk menyunting dan menerima.",
                   "en": "Draft stored (marked {mark}); Enter to edit and accept it."},
    "sg.accepted": {"id": "Ringkasan diterima", "en": "Summary accepted"},
    "sg.nothing": {"id": "Sel ini belum punya draf untuk diterima.",
                   "en": "This cell has no draft to accept."},
    "sg.memo_title": {"id": "Memo pada {code} × {informant}", "en": "Memo on {code} × {informant}"},
    "sg.memo_body": {"id": "Memo", "en": "Memo"},
    "sg.memo_saved": {"id": "Memo disimpan", "en": "Memo saved"},
    "sg.excerpts": {"id": "Kutipan sel ini", "en": "This cell's excerpts"},
    "sg.no_excerpts": {"id": "(belum ada kutipan terkode)", "en": "(no coded excerpts yet)"},
    "sg.cell_memos": {"id": "Memo sel", "en": "Cell memos"},
    "sg.banner": {"id": "DRAF — dibuat otomatis dari kutipan. Periksa, sunting, lalu ctrl+s "
                        "untuk menerima.",
                  "en": "DRAFT — generated from the excerpts. Check it, edit it, then ctrl+s "
                        "to accept."},
    "sg.keys": {"id": "ctrl+s terima · ctrl+t simpan sbg draf · ctrl+g draf · ctrl+n memo · "
                      "Esc tutup",
                "en": "ctrl+s accept · ctrl+t keep as draft · ctrl+g draft · ctrl+n memo · "
                      "Esc close"},
    "sg.unsaved": {"id": "Belum disimpan: Esc lagi untuk membuang.",
                   "en": "Not saved: Esc again discards."},
})

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
        self.sub_title = self.tr("sg.title")

    # ---- loading -------------------------------------------------------------------------
    def refresh_data(self) -> None:
        from qualcode.core.analysis.query import code_table, informant_table
        from qualcode.core.analysis.reduction import summary_cells

        bar = Text(f"{self.tr('an.codebook')}: ", style="dim")
        bar.append(self.codebook_text(), style="bold")
        bar.append(f" · {self.tr('an.coder')}: ", style="dim")
        bar.append(self.coder_text(), style="bold")
        bar.append(f"   {self.tr('sg.legend')}", style="dim")
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
        table.add_column(self.tr("sg.code"), width=CODE_WIDTH, key="code")
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
            detail.update(Text(self.tr("sg.pick_cell"), style="dim"))
            return
        cell = self.cells.get(where)
        text = Text(self.tr("sg.cell", code=self.labels.get(where[0], where[0]),
                            informant=where[1], n=cell.codings if cell else 0), style="bold")
        status = cell.status if cell else ""
        text.append(f" · {self.tr('sg.status.' + status)}",
                    style={"draft": "yellow", "accepted": "green"}.get(status, "dim"))
        memos = self.memo_counts.get(where, 0)
        if memos:
            text.append(f" · {self.tr('sg.memos', n=memos)}", style="cyan")
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
            self.notify(self.tr("sg.pick_cell"), severity="warning")
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
            self.notify(self.tr("sg.drafted", mark=DRAFT_MARK), markup=False,
                        title=f"{where[0]} × {where[1]}")

    def action_accept(self) -> None:
        """Accept the cell's draft as it is (the [DRAFT] mark goes)."""
        where = self._cell_or_warn()
        if where is None:
            return
        cell = self.cells.get(where)
        if cell is None or cell.status != "draft" or not cell.text:
            self.notify(self.tr("sg.nothing"), severity="warning")
            return
        if self.store_call(self.project.set_summary, *where, cell.text, status="accepted",
                           author=self.app_coder):
            self.refresh_data()
            self.notify(self.tr("sg.accepted"), title=f"{where[0]} × {where[1]}", markup=False)

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
            raise QualcodeError(t("memo.empty", lang))
        project.add_cell_memo(code, informant, values["body"], author=author)

    def closed(values: Values | None) -> None:
        if values is not None:
            screen.notify(t("sg.memo_saved", lang))
            if done is not None:
                done()

    title = t("sg.memo_title", lang, code=code_label, informant=informant)
    fields = [FormField("body", t("sg.memo_body", lang), multiline=True)]
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

    def tr(self, text_key: str, /, **fmt: object) -> str:
        return t(text_key, self.lang, **fmt)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box summary-box"):
            yield Label(f"{self.code_label} × {self.informant}", classes="dialog-title")
            with VerticalScroll(id="se-excerpts"):
                yield Static(id="se-excerpt-text")
            yield Label(self.tr("sg.banner"), id="se-banner")
            yield TextArea(self.original, id="se-text", soft_wrap=True, show_line_numbers=False)
            yield Label("", id="form-error")
            yield Static(self.tr("sg.keys"), id="se-keys")

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
        text = Text(self.tr("sg.excerpts") + f" ({len(found)})\n", style="bold")
        if not found:
            text.append(self.tr("sg.no_excerpts") + "\n", style="dim")
        for e in found:
            mark, colour = VALENCE_MARK.get(e.valence, ("0", "grey50"))
            text.append(f"{mark} ", style=f"bold {colour}")
            text.append(f"“{one_line(e.text)}”")
            text.append(f"  {e.source}:{e.start} · {e.coder}\n", style="dim")
        memos = self.project.cell_memos(self.code, self.informant)
        if memos:
            text.append(self.tr("sg.cell_memos") + "\n", style="bold")
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
            self._error(self.tr("sg.unsaved"))
            return
        self.dismiss(False)
