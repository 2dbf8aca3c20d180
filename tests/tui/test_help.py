"""Help screen: every binding of the screen underneath and of the app, grouped, translated."""

from __future__ import annotations

from coding_app import make_app

from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.widgets.key_bar import KeyBar

SIZE = (100, 32)


def entries(help_screen: HelpScreen) -> dict[str, dict[str, list[str]]]:
    """group title -> description -> keys."""
    return {g.title: {e.description: e.keys for e in g.entries} for g in help_screen.groups}


async def test_help_lists_home_and_app_bindings(project: Project) -> None:
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        groups = entries(help_screen)
        titles = list(groups)
        assert titles[0] == "On this screen" and titles[-1] == "Everywhere"
        first = help_screen.groups[0].entries[0]
        assert (first.keys, first.description) == (["c"], "Codebook")  # own keys before tab
        home = groups[titles[0]]
        assert home["Codebook"] == ["c"] and home["Memos"] == ["m"]
        assert home["Theme"] == ["t"]  # hidden from the footer, listed here
        everywhere = groups["Everywhere"]
        assert any("q" in keys for keys in everywhere.values())
        all_keys = [k for g in groups.values() for keys in g.values() for k in keys]
        assert len(all_keys) == len(set(all_keys))  # a shadowed key is listed once
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_help_follows_the_screen_and_language(project: Project) -> None:
    app = QualcodeApp(project, lang="id")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(CodebookScreen())
        await pilot.pause()
        app.push_screen(HelpScreen())
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        screen_group = entries(help_screen)[help_screen.groups[0].title]
        assert screen_group["Gabungkan"] == ["m"] and screen_group["Kode baru"] == ["a"]
        assert "Di mana saja" in entries(help_screen)
        described = {d for group in entries(help_screen).values() for d in group}
        assert not described & {"Quit", "Focus Next", "Copy selected text"}  # Textual's own
        assert "Keluar" in described


async def test_key_bar_keeps_help_quit_and_undo_on_a_narrow_terminal(
        sample_project: Project) -> None:
    app = make_app(sample_project, lang="id")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        every = [e[0] for e in bar.entries()]
        drawn = [k.key for k in bar._keys]
        assert "question_mark" in drawn and len(drawn) < len(every)
        assert drawn == [k for k in every if k in drawn]  # in order, nothing reshuffled
        assert bar.render().cell_len <= 80
        assert {"slash", "x"} <= set(drawn)  # the screen's own first keys stay
        assert {"question_mark", "q", "ctrl+z"} <= set(drawn)  # and help, quit, undo
    wide = make_app(sample_project, lang="id")
    async with wide.run_test(size=(200, 24)) as pilot:
        await pilot.pause()
        bar = wide.screen.query_one(KeyBar)
        assert [k.key for k in bar._keys] == [e[0] for e in bar.entries()]
