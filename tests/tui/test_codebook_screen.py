"""Codebook screen: browse codes; add, rename, recolour, re-key and merge through the store."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea, Tree

from qualcode.core.store import Project
from qualcode.core.store.codebooks import PALETTE
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.form_dialog import ColourDialog, FormDialog
from qualcode.tui.screens.pick_dialog import PickDialog
from qualcode.tui.widgets.code_picker import ChoiceDialog

SIZE = (100, 32)


async def open_codebook(app: QualcodeApp, pilot: Pilot[Any], code: str | None = None
                        ) -> CodebookScreen:
    screen = CodebookScreen(code)
    await app.push_screen(screen)
    await pilot.pause()
    return screen


def cursor_key(screen: CodebookScreen) -> str | None:
    node = screen.query_one("#cb-tree", Tree).cursor_node
    return node.data[1] if node is not None and node.data else None


def plain(widget: Static) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def detail_text(screen: CodebookScreen) -> str:
    return plain(screen.query_one("#cb-detail", Static))


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*[ch if ch != " " else "space" for ch in text])


async def test_tree_and_detail_show_codes_and_indicators(project: Project) -> None:
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_codebook(app, pilot, "SOB-1")
        await pilot.pause()
        assert cursor_key(screen) == "SOB-1"
        code = project.get_code("SOB-1")
        detail = detail_text(screen)
        assert code.label("en") in detail
        for indicator in project.indicators("SOB-1"):
            assert indicator.label_en in detail
        tree: Tree[Any] = screen.query_one("#cb-tree", Tree)
        books = [str(node.label) for node in tree.root.children]
        assert [b.split(" ")[0] for b in books] == [b.key for b in project.codebooks()]


async def test_add_emergent_code_through_the_form(project: Project) -> None:
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_codebook(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-key", Input).value = "EM-1"
        form.query_one("#field-label_id", Input).value = "Kepercayaan publik"
        form.query_one("#field-label_en", Input).value = "Public trust"
        form.query_one("#field-definition_en", TextArea).text = "Trust voiced by users."
        form.query_one("#field-shortcut", Input).value = "y"
        form.query_one("#field-colour", Input).value = "#123abc"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        code = project.get_code("EM-1")
        assert code.is_emergent and code.label("en") == "Public trust"
        assert (code.shortcut, code.colour) == ("y", "#123abc")
        assert code.definition("en") == "Trust voiced by users."
        await pilot.pause()
        assert cursor_key(screen) == "EM-1"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "EM-1" not in {c.key for c in project.codes()}
        assert "EM-1" not in screen.codes_by_key


async def test_form_keeps_input_and_shows_store_errors(project: Project) -> None:
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_codebook(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        await type_text(pilot, "SOB-1")  # an existing key
        await pilot.press("tab")
        await type_text(pilot, "Duplikat")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        error = plain(form.query_one("#form-error", Static))
        assert "already exists" in error
        assert form.query_one("#field-key", Input).value == "SOB-1"
        assert project.get_code("SOB-1").label("id") != "Duplikat"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)


async def test_rename_and_undo(project: Project) -> None:
    old = project.get_code("SOB-2").label_en
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_codebook(app, pilot, "SOB-2")
        await pilot.press("r")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        assert form.query_one("#field-label_en", Input).value == old
        form.query_one("#field-label_en", Input).value = "Works independently"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert project.get_code("SOB-2").label_en == "Works independently"
        assert "Works independently" in detail_text(screen)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert project.get_code("SOB-2").label_en == old
        assert "Works independently" not in detail_text(screen)


async def test_recolour_from_palette_and_typed(project: Project) -> None:
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_codebook(app, pilot, "SOB-3")
        current = project.get_code("SOB-3").colour
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ColourDialog)
        await pilot.press("down", "enter")
        await pilot.pause()
        expected = PALETTE[(PALETTE.index(current) + 1) if current in PALETTE else 1]
        assert project.get_code("SOB-3").colour == expected
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("tab")
        custom = app.screen.query_one("#colour-custom", Input)
        custom.value = ""
        await type_text(pilot, "#00ff7f")
        await pilot.press("enter")
        await pilot.pause()
        assert project.get_code("SOB-3").colour == "#00ff7f"


async def test_shortcut_change_and_conflict(project: Project) -> None:
    other = project.get_code("SOB-1").shortcut
    assert other
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_codebook(app, pilot, "SOB-4")
        await pilot.press("s")
        await pilot.pause()
        field = app.screen.query_one("#field-shortcut", Input)
        field.value = "z"
        await pilot.press("enter")
        await pilot.pause()
        assert project.get_code("SOB-4").shortcut == "z"
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#field-shortcut", Input).value = other
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)  # stays open with the error
        assert "already used" in plain(app.screen.query_one("#form-error", Static))
        assert project.get_code("SOB-4").shortcut == "z"


async def test_shortcut_used_by_the_coding_screen_is_refused(project: Project) -> None:
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_codebook(app, pilot, "SOB-4")
        for taken in ("x", "j", "?"):  # remove, next segment, help
            await pilot.press("s")
            await pilot.pause()
            app.screen.query_one("#field-shortcut", Input).value = taken
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, FormDialog)
            assert "used by the coding screen" in plain(app.screen.query_one("#form-error",
                                                                              Static))
            await pilot.press("escape")
            await pilot.pause()
        assert project.get_code("SOB-4").shortcut == "4"


async def test_merge_moves_codings_and_undo_restores(sample_project: Project) -> None:
    source = sample_project.sources()[0]
    assert source.id is not None
    for segment in sample_project.segments(source.id)[:3]:
        assert segment.id is not None
        sample_project.apply_code_to_segments([segment.id], "SIA-3")
    moving = len(sample_project.codings(codes=["SIA-3"]))
    target = len(sample_project.codings(codes=["SIA-2"]))
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_codebook(app, pilot, "SIA-3")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        await type_text(pilot, "SIA-2")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)  # a confirmation; Enter keeps the code
        assert f"{moving} codings move to SIA-2" in app.screen.title_text
        await pilot.press("enter")
        await pilot.pause()
        assert "SIA-3" in {c.key for c in sample_project.codes()}
        await pilot.press("m")
        await pilot.pause()
        await type_text(pilot, "SIA-2")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("up", "enter")  # "Merge"
        await pilot.pause()
        assert "SIA-3" not in {c.key for c in sample_project.codes()}
        assert len(sample_project.codings(codes=["SIA-2"])) == target + moving
        assert "SIA-3" not in screen.codes_by_key
        assert cursor_key(screen) == "SIA-2"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(sample_project.codings(codes=["SIA-3"])) == moving
        assert "SIA-3" in screen.codes_by_key


async def test_actions_on_a_codebook_node_ask_for_a_code(project: Project) -> None:
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_codebook(app, pilot, "sobandi-2008")
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen
        assert any("Choose a code" in n.message for n in app._notifications)
