"""Summary grid: code × informant cells; drafts from excerpts; accept; memos on cells; undo."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, TextArea

from qualcode.core.analysis.labels import DRAFT_MARK
from qualcode.core.analysis.reduction import summary_cells
from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.form_dialog import FormDialog
from qualcode.tui.screens.summary_grid import SummaryEditor, SummaryGridScreen

SIZE = (120, 40)
CODE, WHO = "SOB-2", "Drs. Hartono"


async def open_grid(app: QualcodeApp, pilot: Pilot[Any]) -> SummaryGridScreen:
    screen = SummaryGridScreen(codebook="sobandi-2008")
    await app.push_screen(screen)
    await pilot.pause()
    return screen


def grid(screen: SummaryGridScreen) -> DataTable[Any]:
    return screen.query_one("#sg-table", DataTable)


def go_to(screen: SummaryGridScreen, code: str, informant: str) -> None:
    table = grid(screen)
    table.move_cursor(row=table.get_row_index(code), column=table.get_column_index(informant))


def shown(screen: SummaryGridScreen, code: str, informant: str) -> str:
    return str(grid(screen).get_cell(code, informant))


async def test_grid_shows_every_cell_with_its_coding_count(sample_project: Project) -> None:
    cells = summary_cells(sample_project, codebook="sobandi-2008")
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        for cell in cells:
            text = shown(screen, cell.code, cell.informant)
            assert text.startswith(f"{cell.codings} " if cell.codings else "· ")


async def test_draft_edited_and_accepted_is_stored_as_accepted(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en", coder="ani")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        go_to(screen, CODE, WHO)
        await pilot.press("enter")
        editor = app.screen
        assert isinstance(editor, SummaryEditor)
        assert "(4)" in str(editor.query_one("#se-excerpt-text").render())
        await pilot.press("ctrl+g")
        area = editor.query_one("#se-text", TextArea)
        assert area.text.startswith(DRAFT_MARK)
        assert editor.query_one("#se-banner").display
        area.move_cursor(area.document.end)
        await pilot.press(*" Checked", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        stored = sample_project.get_summary(CODE, WHO)
        assert stored is not None
        assert (stored.status, stored.author) == ("accepted", "ani")
        assert not stored.text.startswith(DRAFT_MARK) and stored.text.endswith("Checked")
        assert "✓" in shown(screen, CODE, WHO)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert sample_project.get_summary(CODE, WHO) is None
        assert "✓" not in shown(screen, CODE, WHO)


async def test_g_stores_a_draft_and_a_accepts_it(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        go_to(screen, "SOB-1", "Rudi Hermawan")
        await pilot.press("g")
        draft = sample_project.get_summary("SOB-1", "Rudi Hermawan")
        assert draft is not None and draft.status == "draft"
        assert draft.text.startswith(DRAFT_MARK)
        assert "✎" in shown(screen, "SOB-1", "Rudi Hermawan")
        await pilot.press("a")
        accepted = sample_project.get_summary("SOB-1", "Rudi Hermawan")
        assert accepted is not None and accepted.status == "accepted"
        assert accepted.text == draft.text[len(DRAFT_MARK):].lstrip()
        assert "✓" in shown(screen, "SOB-1", "Rudi Hermawan")


async def test_draft_of_a_cell_without_codings_is_refused(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        go_to(screen, "SOB-4", "Rudi Hermawan")  # no codings there
        assert shown(screen, "SOB-4", "Rudi Hermawan").startswith("· ")
        await pilot.press("g")
        assert sample_project.get_summary("SOB-4", "Rudi Hermawan") is None
        assert any(n.severity == "error" for n in app._notifications)


async def test_memo_on_a_cell(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en", coder="ani")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        go_to(screen, CODE, WHO)
        await pilot.press("n")
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Ask about seniors", "ctrl+s")
        await pilot.pause()
        memos = sample_project.cell_memos(CODE, WHO)
        assert [(m.body, m.author) for m in memos] == [("Ask about seniors", "ani")]
        assert "•" in shown(screen, CODE, WHO)


async def test_editor_escape_warns_before_discarding(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        go_to(screen, CODE, WHO)
        await pilot.press("enter", *"unsaved", "escape")
        assert isinstance(app.screen, SummaryEditor)
        await pilot.press("escape")
        assert app.screen is screen
        assert sample_project.get_summary(CODE, WHO) is None
