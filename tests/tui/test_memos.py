"""Memos screen: write, edit and browse memos on the project, a source, a code, an informant."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, TextArea

from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.memo_editor import MemoEditor
from qualcode.tui.screens.memos import MemosScreen
from qualcode.tui.widgets.code_picker import ChoiceDialog

SIZE = (100, 32)


async def open_memos(app: QualcodeApp, pilot: Pilot[Any], scope: str | None = None,
                     target: int | None = None) -> MemosScreen:
    screen = MemosScreen(scope, target)
    await app.push_screen(screen)
    await pilot.pause()
    return screen


async def write(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*[{" ": "space", "\n": "enter"}.get(ch, ch) for ch in text])


def listed_ids(screen: MemosScreen) -> list[int]:
    box = screen.query_one("#memos-list", OptionList)
    ids = [box.get_option_at_index(i).id for i in range(box.option_count)]
    return [int(i) for i in ids if i is not None]


async def test_write_a_project_memo(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en", coder="ani")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_memos(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await write(pilot, "Leadership\nmatters")
        await pilot.press("ctrl+s")
        await pilot.pause()
        memos = sample_project.memos()
        assert len(memos) == 1
        assert memos[0].body == "Leadership\nmatters"
        assert (memos[0].scope, memos[0].author) == ("project", "ani")
        assert app.screen is screen and listed_ids(screen) == [memos[0].id]


async def test_memo_on_the_source_the_screen_was_opened_for(sample_project: Project) -> None:
    source = sample_project.sources()[2]
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_memos(app, pilot, "source", source.id)
        await pilot.press("n")
        await pilot.pause()
        await write(pilot, "Queue at the front desk")
        await pilot.press("ctrl+s")
        await pilot.pause()
        memos = sample_project.memos("source", source.id)
        assert [m.body for m in memos] == ["Queue at the front desk"]


async def test_memo_attached_to_a_code_chosen_in_the_editor(sample_project: Project) -> None:
    code = sample_project.get_code("SOB-2")
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_memos(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, MemoEditor)
        editor.query_one("#memo-scope", Select).value = "code"
        await pilot.pause()
        target = editor.query_one("#memo-target", Select)
        assert target.display is not False
        target.value = code.id
        editor.query_one("#memo-title", Input).value = "Independence"
        editor.query_one("#memo-body", TextArea).text = "Staff rarely decide alone."
        await pilot.press("ctrl+s")
        await pilot.pause()
        memos = sample_project.memos("code", code.id)
        assert [(m.title, m.body) for m in memos] == [("Independence",
                                                      "Staff rarely decide alone.")]


async def test_memo_on_a_scope_needs_a_target(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_memos(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, MemoEditor)
        editor.query_one("#memo-scope", Select).value = "informant"
        await pilot.pause()
        editor.query_one("#memo-body", TextArea).text = "Who?"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor and sample_project.memos() == []


async def test_edit_a_memo_and_undo(sample_project: Project) -> None:
    memo = sample_project.add_memo("first draft", title="Draft")
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_memos(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, MemoEditor)
        body = editor.query_one("#memo-body", TextArea)
        assert body.text == "first draft"
        body.text = "second draft"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert sample_project.memos()[0].body == "second draft"
        assert len(sample_project.memos()) == 1 and sample_project.memos()[0].id == memo.id
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert sample_project.memos()[0].body == "first draft"


async def test_filter_cycles_through_scopes(sample_project: Project) -> None:
    source = sample_project.sources()[0]
    informant = sample_project.informants()[0]
    on_project = sample_project.add_memo("p")
    on_source = sample_project.add_memo("s", scope="source", target=source.id)
    on_informant = sample_project.add_memo("i", scope="informant", target=informant.id)
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_memos(app, pilot)
        assert sorted(listed_ids(screen)) == sorted(
            m.id for m in (on_project, on_source, on_informant) if m.id is not None)
        seen = {}
        for _ in range(4):
            await pilot.press("f")
            await pilot.pause()
            seen[screen.scope] = listed_ids(screen)
        assert seen["project"] == [on_project.id]
        assert seen["source"] == [on_source.id]
        assert seen["code"] == []
        assert seen["informant"] == [on_informant.id]


async def test_escape_with_unsaved_text_asks_once_then_discards(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_memos(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        await write(pilot, "unsaved thought")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert sample_project.memos() == []


async def test_delete_a_memo_after_confirming_and_undo(sample_project: Project) -> None:
    keep = sample_project.add_memo("stays", title="Keep")
    gone = sample_project.add_memo("goes", title="Drop")  # newest first: under the cursor
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_memos(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog) and "Drop" in app.screen.title_text
        await pilot.press("enter")  # the default answer is Cancel
        await pilot.pause()
        assert {m.id for m in sample_project.memos()} == {keep.id, gone.id}
        await pilot.press("delete", "up", "enter")
        await pilot.pause()
        assert [m.id for m in sample_project.memos()] == [keep.id]
        assert listed_ids(screen) == [keep.id]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert {m.id for m in sample_project.memos()} == {keep.id, gone.id}
        deleted = [n for n in app._notifications if n.title == "Drop"]
        assert deleted, "the deletion notice names the memo"
        assert any(n.message == "Undone: delete memo “Drop”" for n in app._notifications)
