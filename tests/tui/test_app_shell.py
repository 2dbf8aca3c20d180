"""The app shell: navigation contract, go-to menu, help, command palette, undo, reopening."""

from __future__ import annotations

from pathlib import Path

import pytest
from coding_app import SIZE, coding_screen, codings, first_uncoded, make_app, segments, source_id
from textual.command import CommandPalette

from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.coding import CodingScreen


async def test_codings_survive_quitting_and_reopening(sample_project: Project,
                                                      tmp_path: Path) -> None:
    target = first_uncoded(sample_project)
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", "1", "shift+down", "c", "minus", "n", *"ok", "ctrl+s", "q")
    before = [(c.id, c.start, c.end, c.code_id, c.valence, c.note) for c in codings(sample_project)]
    path = Path(sample_project.url.removeprefix("sqlite:///"))
    sample_project.close()
    with Project.open(path) as again:
        after = [(c.id, c.start, c.end, c.code_id, c.valence, c.note) for c in codings(again)]
        assert after == before
        seg = segments(again)[target]
        assert any(c[1:3] == (seg.start, seg.end) for c in after)
        reopened = make_app(again)
        async with reopened.run_test(size=SIZE) as pilot:
            await pilot.pause()
            shown = {(c.id, c.start, c.end, c.valence, c.note)
                     for c in coding_screen(reopened).index.by_id.values()}
            assert shown == {(c[0], c[1], c[2], c[4], c[5]) for c in after}
            await pilot.press("ctrl+z")  # the undo log survives the restart too
            assert len(codings(again)) == len(after)
            assert [c.note for c in codings(again) if c.note == "ok"] == []


async def test_open_source_puts_the_cursor_on_the_offset(sample_project: Project) -> None:
    name = "03-kabid-mutasi.txt"
    seg = segments(sample_project, name)[40]
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        app.open_source(source_id(sample_project, name), seg.start + 3)
        await pilot.pause()
        screen = coding_screen(app)
        assert screen.transcript.cursor == 40
        app.open_source(source_id(sample_project, name), segments(sample_project, name)[2].start)
        await pilot.pause()
        assert coding_screen(app) is screen and screen.transcript.cursor == 2
        assert sum(isinstance(s, CodingScreen) for s in app.screen_stack) == 1


async def test_undo_with_nothing_to_undo_only_notifies(project: Project, tmp_path: Path) -> None:
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+z", "ctrl+y")
        messages = [n.message for n in app._notifications]
        assert "Nothing to undo." in messages and "Nothing to redo." in messages


async def test_command_palette_lists_the_coding_screen_actions(sample_project: Project) -> None:
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = {cmd.title for cmd in app.get_system_commands(app.screen)}
        assert {"Pick code", "Remove", "Next uncoded", "Words", "Undo", "Quit"} <= titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Next uncoded")
        await command.callback()
        await pilot.pause()
        assert coding_screen(app).transcript.cursor == first_uncoded(sample_project)


@pytest.mark.parametrize("lang", ["id", "en"])
async def test_ctrl_p_opens_the_command_palette(sample_project: Project, lang: str) -> None:
    app = make_app(sample_project, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.lang = "en" if lang == "id" else "id"  # re-translating keeps the palette key
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)


async def test_help_lists_the_coding_keys_and_code_shortcuts(sample_project: Project) -> None:
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        help_screen = app.screen
        assert type(help_screen).__name__ == "HelpScreen"
        described = {e.description for g in help_screen.groups for e in g.entries}  # type: ignore[attr-defined]
        assert {"Pick code", "Next uncoded", "Extend selection down", "Words"} <= described
        assert any(d.startswith("SOB-1 ") for d in described)


async def test_indonesian_is_the_default_language(sample_project: Project) -> None:
    app = make_app(sample_project, lang="id")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = coding_screen(app)
        assert "valensi" in str(screen.status_text())
        app.lang = "en"
        screen.apply_language()
        await pilot.pause()
        descriptions = {a.binding.description for a in app.screen.active_bindings.values()}
        assert "Pick code" in descriptions and "Pilih kode" not in descriptions
        assert "valence" in str(screen.status_text())
        panel_codes = screen.query_one("#codes")
        prompts = [str(panel_codes.get_option_at_index(i).prompt)  # type: ignore[attr-defined]
                   for i in range(panel_codes.option_count)]  # type: ignore[attr-defined]
        assert any("Expertise" in p for p in prompts)


async def test_a_source_reopens_where_it_was_left_even_after_quitting(
        sample_project: Project) -> None:
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["j"] * 12)
        left_at = coding_screen(app).transcript.cursor
        await pilot.press("escape")  # home builds behind a screen opened on a source
        await pilot.pause()
        assert not isinstance(app.screen, CodingScreen)
        tree = app.screen.query_one("#home-sources")
        assert tree.cursor_node.data == source_id(sample_project)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert coding_screen(app).transcript.cursor == left_at
        await pilot.press("j", "j", "q")
    again = make_app(sample_project)  # a new session on the same file
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert coding_screen(again).transcript.cursor == left_at + 2


async def test_a_theme_chosen_anywhere_is_kept(sample_project: Project) -> None:
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "textual-light"  # as the palette's theme command does
        await pilot.press("q")
    assert sample_project.get_meta("ui_theme") == "textual-light"
    again = make_app(sample_project)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "textual-light"
