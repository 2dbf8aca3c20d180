"""Data displays (Miles & Huberman): any display of the analysis core as a table — clustered
and role-ordered matrices (counts, +/−, presence, summaries, quotes), triangulation,
co-occurrence (counts, c-coefficient), frequencies — and the valence chart in the terminal.

The display is built in a worker that only posts `DisplayReady`; the handler fills the table
with the same cells the exporters write (export.flat_table). Enter on a cell retrieves its
codings.
"""

from __future__ import annotations

import textwrap
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import ContentSwitcher, DataTable, Header, LoadingIndicator, Static

from qualcode.core.analysis.catalogue import (
    CHART_CHOICE,
    CHOICES_BY_KEY,
    DEFAULT_CHOICE,
    DISPLAY_CHOICES,
)
from qualcode.core.export.flat_table import FlatTable, flatten, format_cell
from qualcode.errors import error_text
from qualcode.i18n import _
from qualcode.tui import keymap
from qualcode.tui.screens.analysis import AnalysisBase
from qualcode.tui.screens.pick_dialog import PickDialog
from qualcode.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.core.analysis.base import Display

MAX_TEXT_WIDTH = 30
MAX_LABEL_WIDTH = 28


class DisplayReady(Message):
    """A display worker finished (`token` tells stale results apart)."""

    def __init__(self, token: int, display: Display | None, chart: pd.DataFrame | None = None,
                 chart_title: str = "", error: str = "") -> None:
        super().__init__()
        self.token = token
        self.shown = display
        self.chart = chart
        self.chart_title = chart_title
        self.error = error


def one_line(text: str) -> str:
    return " ".join(text.split())


def column_width(flat: FlatTable, col: int) -> int:
    """A readable width: numbers as wide as they are, text and labels capped."""
    heads = max((len(row[col]) for row in flat.header), default=0)
    values = max((len(one_line(format_cell(r[col]))) for r in flat.body), default=0)
    if col < flat.n_index:
        return max(4, min(max(values, heads), MAX_LABEL_WIDTH))
    if flat.numeric[col]:
        return max(3, min(max(values, heads), 14))
    return max(4, min(max(values, heads), MAX_TEXT_WIDTH))


def header_lines(label: str, width: int, most: int = 2) -> list[str]:
    """A header label wrapped to the column width, in at most `most` lines."""
    lines = textwrap.wrap(label, max(width, 1)) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][:max(width - 1, 0)] + "…"
    return lines


def fill_table(table: DataTable[Any], display: Display) -> list[int | None]:
    """Fill `table` with a display: row groups (codebook / parent code) become bold heading
    rows; returns, per table row, the frame row it shows (None for a heading).

    Keys: rows 'r<frame row>' / 'g<frame row>' (headings); columns 'c<flat column>'."""
    flat = flatten(display)
    grouped = flat.n_index - 1 if flat.n_index > 1 else 0
    table.clear(columns=True)
    columns = range(grouped, flat.width)
    widths = {col: column_width(flat, col) for col in columns}
    levels: list[dict[int, list[str]]] = []
    for level, row in enumerate(flat.header):
        lines = {}
        for col in columns:
            repeated = (level < len(flat.header) - 1 and col > max(grouped, flat.n_index)
                        and row[col - 1] == row[col])
            lines[col] = [] if repeated else header_lines(row[col], widths[col])
        levels.append(lines)
    heights = [max((len(v) for v in lines.values()), default=1) or 1 for lines in levels]
    table.header_height = max(1, sum(heights))
    for col in columns:
        parts = []
        for lines, height in zip(levels, heights, strict=True):
            parts += lines[col] + [""] * (height - len(lines[col]))
        table.add_column(Text("\n".join(parts), style="bold"), width=widths[col], key=f"c{col}")
    rows: list[int | None] = []
    previous: tuple[Any, ...] | None = None
    for i, body in enumerate(flat.body):
        group = tuple(body[:grouped])
        if grouped and group != previous:
            previous = group
            heading = " · ".join(str(g) for g in group if g not in (None, ""))
            table.add_row(Text(heading, style="bold italic", no_wrap=True, overflow="ellipsis"),
                          *[""] * (flat.width - grouped - 1), key=f"g{i}")
            rows.append(None)
        cells = []
        for col in range(grouped, flat.width):
            value = body[col]
            style = "bold" if col < flat.n_index else (
                "dim" if flat.numeric[col] and value == 0 else "")
            cells.append(Text(one_line(format_cell(value, display.cell_kind)), style=style,
                              justify="right" if flat.numeric[col] else "left",
                              no_wrap=True, overflow="ellipsis"))
        table.add_row(*cells, key=f"r{i}")
        rows.append(i)
    return rows


class MatrixScreen(AnalysisBase):
    """One display at a time, chosen from the catalogue (d), as a table or a chart (v)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["analysis.tcss", "matrix_view.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("displays")

    def __init__(self, choice: str = DEFAULT_CHOICE, *, codebook: str | None = None,
                 coder: str | None = None, chart: bool = False) -> None:
        super().__init__(codebook=codebook, coder=coder)
        self.choice = choice if choice in CHOICES_BY_KEY else DEFAULT_CHOICE
        self.chart = chart or self.choice == CHART_CHOICE
        self.shown: Display | None = None
        self.flat: FlatTable | None = None
        self.row_map: list[int | None] = []
        self._token = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="mx-bar", classes="an-bar")
        yield LoadingIndicator(id="busy")
        with ContentSwitcher(initial="mx-table", id="mx-switch"):
            yield DataTable(id="mx-table", cursor_type="cell", fixed_columns=1,
                            zebra_stripes=True)
            with VerticalScroll(id="mx-chart-box"):
                yield Static(id="mx-chart")
        yield Static(id="mx-cell")
        yield KeyBar()

    def relabel(self) -> None:
        self.title = "qualcode"
        self.sub_title = _("Data displays")
        self._show_bar()

    def _show_bar(self) -> None:
        bar = Text(f"{_('Display')}: ", style="dim")
        bar.append(CHOICES_BY_KEY[self.choice].label(self.lang), style="bold")
        bar.append(f" · {_('Codebook')}: ", style="dim")
        bar.append(self.codebook_text(), style="bold")
        bar.append(f" · {_('Coder')}: ", style="dim")
        bar.append(self.coder_text(), style="bold")
        self.query_one("#mx-bar", Static).update(bar)

    # ---- building ------------------------------------------------------------------------
    def refresh_data(self) -> None:
        self._show_bar()
        if not self.needs_reload(self.choice, self.codebook, self.coder, self.chart):
            return
        self._token += 1
        self.set_busy(True)
        self.query_one("#mx-cell", Static).update(Text(_("Building the display…"), style="dim"))
        self._build(self._token, self.choice, self.codebook, self.coder, self.lang, self.chart)

    @work(thread=True, exclusive=True, exit_on_error=False, group="display")
    def _build(self, token: int, choice: str, codebook: str | None, coder: str | None,
               lang: str, chart: bool) -> None:
        from qualcode.core.analysis.catalogue import build_choice, chart_display

        try:
            display = build_choice(self.project, choice, codebook=codebook, coder=coder,
                                   lang=lang)
            counts, title = None, ""
            if chart:
                from qualcode.core.export.figures import valence_counts

                source = chart_display(self.project, display, codebook=codebook, coder=coder,
                                       lang=lang)
                counts, title = valence_counts(source), source.title
        except Exception as exc:  # shown to the researcher, never a crash
            self.post_message(DisplayReady(token, None, error=error_text(exc, self.lang)))
            return
        self.post_message(DisplayReady(token, display, counts, title))

    def on_display_ready(self, message: DisplayReady) -> None:
        message.stop()
        if message.token != self._token:
            return
        self.set_busy(False)
        cell = self.query_one("#mx-cell", Static)
        if message.error or message.shown is None:
            self.invalidate()
            cell.update(Text(message.error, style="bold red"))
            return
        self.shown = message.shown
        self.flat = flatten(message.shown)
        table: DataTable[Any] = self.query_one("#mx-table", DataTable)
        at = table.cursor_coordinate
        self.row_map = fill_table(table, message.shown)
        if table.row_count:
            first = next((n for n, r in enumerate(self.row_map) if r is not None), 0)
            table.move_cursor(row=max(first, min(at.row, table.row_count - 1)),
                              column=min(max(at.column, 1 if table.columns else 0),
                                         len(table.columns) - 1), animate=False)
        if message.chart is not None:
            from qualcode.core.export.terminal_chart import LABEL_WIDTH, rich_chart

            width = max(10, self.size.width - LABEL_WIDTH - 24)
            body = rich_chart(message.chart, width=width, lang=self.lang,
                              title=_("Chart from: {title}").format(title=message.chart_title))
            self.query_one("#mx-chart", Static).update(body)
        switch = self.query_one("#mx-switch", ContentSwitcher)
        switch.current = "mx-chart-box" if self.chart and message.chart is not None \
            else "mx-table"
        if switch.current == "mx-table":
            table.focus()
        self._show_cell()

    # ---- the cell under the cursor -------------------------------------------------------
    def current(self) -> tuple[int, int | None] | None:
        """(frame row, frame column or None for the label column) under the cursor."""
        table: DataTable[Any] = self.query_one("#mx-table", DataTable)
        if self.shown is None or self.flat is None or not table.row_count:
            return None
        at = table.cursor_coordinate
        row = self.row_map[at.row] if 0 <= at.row < len(self.row_map) else None
        if row is None:
            return None
        grouped = self.flat.n_index - 1 if self.flat.n_index > 1 else 0
        col = at.column + grouped - self.flat.n_index
        return row, col if col >= 0 else None

    def _show_cell(self) -> None:
        out = self.query_one("#mx-cell", Static)
        if self.shown is None or self.flat is None:
            out.update("")
            return
        text = Text()
        where = None if self.chart else self.current()
        if where is not None:
            row, col = where
            body = self.flat.body[row]
            label = body[self.flat.n_index - 1] if self.flat.n_index else f"{row + 1}"
            text.append(str(label), style="bold")
            if col is not None:
                heads = [h[self.flat.n_index + col] for h in self.flat.header]
                text.append(" × " + " / ".join(h for h in heads if h), style="bold")
                value = format_cell(body[self.flat.n_index + col], self.shown.cell_kind)
                text.append(f": {value}")
            text.append("\n")
        text.append(" ".join(self.shown.notes), style="dim")
        out.update(text)

    @on(DataTable.CellHighlighted, "#mx-table")
    def _highlighted(self) -> None:
        self._show_cell()

    @on(DataTable.CellSelected, "#mx-table")
    def _selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_retrieve()

    # ---- actions -------------------------------------------------------------------------
    def set_choice(self, key: str) -> None:
        """Show another display of the catalogue: its table (the chart only for the chart's
        own entry, "frequencies per valence (with chart)"), with the table focused."""
        self.choice = key
        self.chart = key == CHART_CHOICE
        if not self.chart:
            self.query_one("#mx-switch", ContentSwitcher).current = "mx-table"
            self.query_one("#mx-table", DataTable).focus()
        self.refresh_data()

    def action_choose(self) -> None:
        options: list[tuple[str, str | Text]] = [(c.key, c.label(self.lang))
                                                 for c in DISPLAY_CHOICES]

        def chosen(key: str | None) -> None:
            if key:
                self.set_choice(key)

        self.app.push_screen(PickDialog(_("Choose display"), options, value=self.choice),
                             chosen)

    def action_toggle_chart(self) -> None:
        """Switch between the table and the valence chart."""
        self.chart = not self.chart
        self.refresh_data()

    def action_retrieve(self) -> None:
        """The codings behind the cell under the cursor, in the retrieval screen."""
        from dataclasses import replace

        from qualcode.core.analysis.catalogue import cell_filters
        from qualcode.tui.screens.retrieval import RetrievalScreen

        where = self.current()
        filters = cell_filters(self.shown, *where) if where and self.shown else None
        if filters is None:
            self.notify(_("This cell does not point to codings."), severity="warning")
            return
        if self.coder:
            filters = replace(filters, coders=(self.coder,))
        self.app.push_screen(RetrievalScreen(filters, codebook=self.codebook))

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
        whats = ["display", "all", "chart", "network"] if self.shown else ["all", "chart"]
        whats += ["project", "codebook"]
        self.open_export(whats, default="display" if self.shown else "all",
                         display=self.shown,
                         display_key=self.shown.key if self.shown else "display")
