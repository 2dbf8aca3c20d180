"""Data displays: the table shows exactly the core Display's cells; choosing displays; the
valence chart; Enter on a cell retrieves its codings."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, DataTable, Static

from qualcode.core.analysis.catalogue import DISPLAY_CHOICES, build_choice
from qualcode.core.analysis.query import retrieve
from qualcode.core.coders import CONSENSUS, SUGGESTER
from qualcode.core.export.figures import valence_counts
from qualcode.core.export.flat_table import format_cell
from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.matrix_view import MatrixScreen
from qualcode.tui.screens.pick_dialog import PickDialog
from qualcode.tui.screens.retrieval import RetrievalScreen

SIZE = (120, 40)


async def settle(app: QualcodeApp, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_matrix(app: QualcodeApp, pilot: Pilot[Any], choice: str,
                      **kwargs: Any) -> MatrixScreen:
    screen = MatrixScreen(choice, **kwargs)
    await app.push_screen(screen)
    await settle(app, pilot)
    return screen


def table(screen: MatrixScreen) -> DataTable[Any]:
    return screen.query_one("#mx-table", DataTable)


def shown(screen: MatrixScreen, row: int, col: int) -> str:
    """The text of frame cell (row, col) as the screen shows it."""
    assert screen.flat is not None
    n_index = screen.flat.n_index
    return str(table(screen).get_cell(f"r{row}", f"c{col + n_index}"))


def plain(widget: Static) -> str:
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


async def test_every_cell_equals_the_core_display(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        for choice in ("clustered:counts", "role:valence", "cooccurrence:c",
                       "triangulation:informant", "frequency:kind"):
            screen = await open_matrix(app, pilot, choice)
            display = build_choice(sample_project, choice, lang="en")
            assert screen.shown is not None and screen.shown.key == display.key
            frame = display.frame
            for i in range(frame.shape[0]):
                for j in range(frame.shape[1]):
                    expected = " ".join(format_cell(frame.iat[i, j], display.cell_kind).split())
                    assert shown(screen, i, j) == expected, (choice, i, j)
            await pilot.press("escape")


async def test_a_count_cell_is_the_number_of_codings(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_matrix(app, pilot, "clustered:counts", codebook="sobandi-2008")
        assert screen.shown is not None
        row = screen.shown.row_keys.index("SOB-1")
        col = screen.shown.col_keys.index("i:Rudi Hermawan")
        n = len(retrieve(sample_project, codes=["SOB-1"], informants=["Rudi Hermawan"]))
        assert n > 0 and shown(screen, row, col) == str(n)
        # rows are grouped: a heading row (the codebook) comes before the first code
        first = table(screen).ordered_rows[0]
        assert str(first.key.value).startswith("g")


async def test_choose_a_display_with_d(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_matrix(app, pilot, "clustered:counts")
        await pilot.press("d")
        assert isinstance(app.screen, PickDialog)
        assert len(app.screen.options) == len(DISPLAY_CHOICES)
        await pilot.press(*"c-coefficient", "enter")
        await settle(app, pilot)
        assert screen.choice == "cooccurrence:c"
        assert screen.shown is not None and screen.shown.cell_kind == "coefficient"


async def test_valence_chart_in_the_terminal(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_matrix(app, pilot, "clustered:counts", codebook="sobandi-2008")
        await pilot.press("v")
        await settle(app, pilot)
        assert screen.query_one("#mx-switch", ContentSwitcher).current == "mx-chart-box"
        chart = plain(screen.query_one("#mx-chart", Static))
        counts = valence_counts(build_choice(sample_project, "frequency:valence",
                                             codebook="sobandi-2008", lang="en"))
        for label, values in counts.iterrows():
            line = next(x for x in chart.splitlines() if x.startswith(str(label)[:20]))
            assert f"+{values['+']} 0:{values['0']} −{values['−']}" in line
        await pilot.press("v")
        await settle(app, pilot)
        assert screen.query_one("#mx-switch", ContentSwitcher).current == "mx-table"


async def test_choosing_a_display_leaves_the_chart(sample_project: Project) -> None:
    """After the chart, choosing another display (d) shows its table, focused (the arrow
    keys move the cursor), not the old chart."""
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_matrix(app, pilot, "frequency:valence")
        switch = screen.query_one("#mx-switch", ContentSwitcher)
        assert screen.chart and switch.current == "mx-chart-box"
        await pilot.press("d")
        assert isinstance(app.screen, PickDialog)
        await pilot.press(*"clustered matrix: codings", "enter")
        await settle(app, pilot)
        assert screen.choice == "clustered:counts"
        assert not screen.chart and switch.current == "mx-table"
        assert screen.shown is not None and screen.shown.key == build_choice(
            sample_project, "clustered:counts", lang="en").key
        grid = table(screen)
        assert app.focused is grid
        before = grid.cursor_coordinate
        await pilot.press("down")
        assert grid.cursor_coordinate != before
        # the chart (v) then another choice: the table again
        await pilot.press("v")
        await settle(app, pilot)
        assert switch.current == "mx-chart-box"
        await pilot.press("d", *"c-coefficient", "enter")
        await settle(app, pilot)
        assert screen.choice == "cooccurrence:c"
        assert not screen.chart and switch.current == "mx-table" and app.focused is grid


async def test_enter_on_a_cell_retrieves_its_codings(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_matrix(app, pilot, "clustered:counts", codebook="sobandi-2008")
        assert screen.shown is not None and screen.flat is not None
        grid = table(screen)
        row = grid.get_row_index(f"r{screen.shown.row_keys.index('SOB-3')}")
        col = grid.get_column_index(
            f"c{screen.flat.n_index + screen.shown.col_keys.index('i:Ratna Kusumawati')}")
        grid.move_cursor(row=row, column=col)
        cell = str(grid.get_cell_at(grid.cursor_coordinate))
        await pilot.press("enter")
        await settle(app, pilot)
        retrieval = app.screen
        assert isinstance(retrieval, RetrievalScreen)
        assert retrieval.filters.codes == ("SOB-3",)
        assert retrieval.filters.informants == ("Ratna Kusumawati",)
        expected = retrieve(sample_project, codes=["SOB-3"], informants=["Ratna Kusumawati"])
        assert len(retrieval.excerpts) == len(expected) > 0
        assert cell == str(len(expected))


async def test_coder_choice_changes_the_counts(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_matrix(app, pilot, "frequency:code", codebook="sobandi-2008")
        await pilot.press("o")
        assert isinstance(app.screen, PickDialog)
        await pilot.press(*"asisten", "enter")
        await settle(app, pilot)
        assert screen.coder == "asisten"
        display = build_choice(sample_project, "frequency:code", codebook="sobandi-2008",
                               coder="asisten", lang="en")
        assert shown(screen, 0, 0) == format_cell(display.frame.iat[0, 0])
        total = build_choice(sample_project, "frequency:code", codebook="sobandi-2008",
                             coder="asisten,peneliti", lang="en")
        assert display.frame.iloc[:, 0].sum() < total.frame.iloc[:, 0].sum()


async def test_coder_chooser_names_the_consensus_and_suggester_coders(
        sample_project: Project) -> None:
    """The special coders are described in the chooser; choosing one still stores its name."""
    first = sample_project.codings()[0]
    for coder in (CONSENSUS, SUGGESTER):
        sample_project.apply_code(first.source_id, first.start, first.end, first.code,
                                  coder=coder)
    for lang, consensus, suggester in (
            ("id", "koder konsensus", "saran mesin (suggester)"),
            ("en", "the consensus coder", "machine suggestions (suggester)")):
        app = QualcodeApp(sample_project, lang=lang)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_matrix(app, pilot, "frequency:code", codebook="sobandi-2008")
            await pilot.press("o")
            picker = app.screen
            assert isinstance(picker, PickDialog)
            labels = {value: str(label) for value, label in picker.options}
            assert labels[CONSENSUS] == consensus and labels[SUGGESTER] == suggester
            assert labels["asisten"] == "asisten"
            await pilot.press(*"suggester", "enter")
            await settle(app, pilot)
            assert screen.coder == SUGGESTER


async def test_returning_without_changes_does_not_rebuild(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_matrix(app, pilot, "clustered:valence")
        builds = screen._token
        await pilot.press("d", "escape")
        await settle(app, pilot)
        assert screen._token == builds
        sample_project.set_summary("SOB-1", "Sri Wahyuni", "Changed while away.")
        await pilot.press("d", "escape")  # the data changed: the display is rebuilt
        await settle(app, pilot)
        assert screen._token == builds + 1
