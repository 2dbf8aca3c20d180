"""Summary grid: code × informant cells; drafts from excerpts; accept; memos on cells; undo;
its keys (g is the app's go-to menu) and its key bar."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, TextArea
from textual.widgets._toast import Toast

from qualcode.core.analysis.labels import draft_mark
from qualcode.core.analysis.query import retrieve
from qualcode.core.analysis.reduction import summary_cells
from qualcode.core.store import Project
from qualcode.tui.app import GotoMenu, QualcodeApp
from qualcode.tui.screens.form_dialog import FormDialog
from qualcode.tui.screens.summary_grid import SummaryEditor, SummaryGridScreen
from qualcode.tui.widgets.key_bar import KeyBar

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
    app = QualcodeApp(sample_project, lang="en", coder="peneliti")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        go_to(screen, CODE, WHO)
        await pilot.press("enter")
        editor = app.screen
        assert isinstance(editor, SummaryEditor)
        excerpts = len(retrieve(sample_project, codes=[CODE], informants=[WHO]))
        assert f"({excerpts})" in str(editor.query_one("#se-excerpt-text").render())
        await pilot.press("ctrl+g")
        area = editor.query_one("#se-text", TextArea)
        assert area.text.startswith(draft_mark())
        assert editor.query_one("#se-banner").display
        area.move_cursor(area.document.end)
        await pilot.press(*" Checked", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        stored = sample_project.get_summary(CODE, WHO)
        assert stored is not None
        assert (stored.status, stored.author) == ("accepted", "peneliti")
        assert not stored.text.startswith(draft_mark()) and stored.text.endswith("Checked")
        assert "✓" in shown(screen, CODE, WHO)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert sample_project.get_summary(CODE, WHO) is None
        assert "✓" not in shown(screen, CODE, WHO)


def toasts(app: QualcodeApp) -> list[str]:
    """The notifications as shown on screen."""
    return [t.render().plain for t in app.screen.query(Toast)]


async def test_d_stores_a_draft_and_a_accepts_it(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        go_to(screen, "SOB-1", "Rudi Hermawan")
        await pilot.press("d")
        draft = sample_project.get_summary("SOB-1", "Rudi Hermawan")
        assert draft is not None and draft.status == "draft"
        assert draft.text.startswith(draft_mark())
        assert "✎" in shown(screen, "SOB-1", "Rudi Hermawan")
        await pilot.press("a")
        accepted = sample_project.get_summary("SOB-1", "Rudi Hermawan")
        assert accepted is not None and accepted.status == "accepted"
        assert accepted.text == draft.text[len(draft_mark()):].lstrip()
        assert "✓" in shown(screen, "SOB-1", "Rudi Hermawan")


async def test_draft_of_a_cell_without_codings_is_refused(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        go_to(screen, "SOB-4", "Rudi Hermawan")  # no codings there
        assert shown(screen, "SOB-4", "Rudi Hermawan").startswith("· ")
        await pilot.press("d")
        assert sample_project.get_summary("SOB-4", "Rudi Hermawan") is None
        assert any(n.severity == "error" for n in app._notifications)


async def test_memo_on_a_cell(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en", coder="peneliti")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        go_to(screen, CODE, WHO)
        await pilot.press("n")
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Ask about seniors", "ctrl+s")
        await pilot.pause()
        memos = sample_project.cell_memos(CODE, WHO)
        assert [(m.body, m.author) for m in memos] == [("Ask about seniors", "peneliti")]
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


async def test_draft_notice_shows_the_draft_mark(sample_project: Project) -> None:
    """The notice names the mark literally ("[DRAFT]" is not eaten as Rich markup)."""
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_grid(app, pilot)
        go_to(screen, "SOB-1", "Rudi Hermawan")
        await pilot.press("d")
        await pilot.pause()
        assert any(f"(marked {draft_mark()})" in text for text in toasts(app)), toasts(app)


async def test_g_opens_the_go_to_menu(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        go_to(screen, "SOB-1", "Rudi Hermawan")
        await pilot.press("g")
        assert isinstance(app.screen, GotoMenu)
        assert sample_project.get_summary("SOB-1", "Rudi Hermawan") is None
        await pilot.press("escape")
        assert app.screen is screen


async def test_key_bar_shows_the_main_keys(sample_project: Project) -> None:
    """At 120 columns: draft, accept, coder, export, undo (redo after it when it fits), help
    and quit."""
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        bar = screen.query_one(KeyBar)
        shown_keys = [(key, text) for _k, key, text, _on in bar.fitting(bar.size.width)]
        for entry in [("e", "Edit"), ("d", "Draft"), ("a", "Accept"), ("n", "Cell memo"),
                      ("r", "Excerpts"), ("b", "Codebook"), ("o", "Coder"), ("x", "Export"),
                      ("^z", "Undo"), ("?", "Help"), ("q", "Quit")]:
            assert entry in shown_keys, (entry, shown_keys)
        keys = [key for key, _text in shown_keys]
        assert "^y" not in keys or keys.index("^z") + 1 == keys.index("^y")
        assert ("g", "Draft") not in shown_keys


async def test_redo_on_the_grid(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(app, pilot)
        go_to(screen, "SOB-1", "Rudi Hermawan")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert sample_project.get_summary("SOB-1", "Rudi Hermawan") is None
        assert "✎" not in shown(screen, "SOB-1", "Rudi Hermawan")
        await pilot.press("ctrl+y")
        await pilot.pause()
        redone = sample_project.get_summary("SOB-1", "Rudi Hermawan")
        assert redone is not None and redone.status == "draft"
        assert "✎" in shown(screen, "SOB-1", "Rudi Hermawan")
