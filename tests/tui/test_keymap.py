"""One key map: no key means two things, no code shortcut shadows a key, escape goes back one
level, and the go-to menu reaches every screen from everywhere."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from coding_app import SIZE, coding_screen, codings, make_app
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

import qualcode.tui
from qualcode.core.codebooks import bundled_codebooks, load_codebook
from qualcode.core.store import Project
from qualcode.tui import keymap
from qualcode.tui.app import QualcodeApp
from qualcode.tui.widgets.key_bar import KeyBar


@pytest.mark.parametrize("scope", list(keymap.all_scopes()))
def test_no_key_means_two_things_on_one_screen_or_mode(scope: str) -> None:
    assert keymap.clashes(scope) == []


def test_a_clash_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    coding = (*keymap.KEYMAP["coding"], keymap.Key("x", "suggest", "Suggest"),
              keymap.Key("right", "memo", "Memo", mode="words"), keymap.Key("g", "pick", "Pick"))
    monkeypatch.setitem(keymap.KEYMAP, "coding", coding)
    found = keymap.clashes("coding")
    assert any("x is remove and suggest" in p for p in found)
    assert any("coding/words: right" in p for p in found)
    assert any("g (pick) hides the global goto" in p for p in found)


def test_every_screen_takes_its_keys_from_the_key_map() -> None:
    declared = {tuple((b.key, b.action) for b in Binding.make_bindings(keymap.bindings(scope)))
                for scope in keymap.all_scopes()}
    found = 0
    for info in pkgutil.walk_packages(qualcode.tui.__path__, "qualcode.tui."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == info.name and "BINDINGS" in vars(cls):
                own = tuple((b.key, b.action) for b in Binding.make_bindings(cls.BINDINGS))
                assert own in declared, f"{cls.__name__} declares keys outside keymap.py"
                found += 1
    assert found >= 20


def test_bundled_code_shortcuts_never_shadow_a_key() -> None:
    checked = 0
    for path in bundled_codebooks():
        spec = load_codebook(path)
        for code, _parent in spec.iter_codes():
            if code.shortcut:
                conflict = keymap.shortcut_conflict(code.shortcut)
                assert conflict is None, f"{spec.key} {code.key}: {code.shortcut!r} is " \
                                         f"{conflict and conflict.action}"
                checked += 1
    assert checked >= 20


@pytest.mark.parametrize("char", ["q", "g", "x", "e", "?", "+", "0", "N"])
def test_keys_of_the_coding_screen_and_app_are_reserved(char: str) -> None:
    assert keymap.shortcut_conflict(char) is not None


async def test_a_project_shortcut_on_a_screen_key_never_applies(sample_project: Project) -> None:
    sample_project.update_code("SOB-1", shortcut="x")  # allowed by the store, e.g. from the CLI
    sample_project.update_code("SOB-2", shortcut="q")
    before = len(codings(sample_project))
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = coding_screen(app)
        assert "x" not in screen.shortcuts and "q" not in screen.shortcuts
        await pilot.press("x")  # remove (nothing here to remove), never "apply SOB-1"
        await pilot.pause()
        assert len(codings(sample_project)) == before
        assert {"x", "q"} <= screen.query_one("#codes-panel").reserved  # type: ignore[attr-defined]


async def test_escape_twice_from_an_analysis_screen_lands_home(sample_project: Project) -> None:
    """The reported trip: coding, `g a`, a display, esc esc put the user on the coding screen,
    where `l` (language on home) applied a Siagian code."""
    before = len(codings(sample_project))
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g", "a")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert _name(app) == "RetrievalScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert _name(app) == "AnalysisScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert _name(app) == "HomeScreen"
        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "id" and len(codings(sample_project)) == before


SCREENS = {"home": "HomeScreen", "transcript": "CodingScreen", "codebook": "CodebookScreen",
           "memos": "MemosScreen", "search": "SearchScreen", "analysis": "AnalysisScreen",
           "retrieval": "RetrievalScreen", "summaries": "SummaryGridScreen",
           "displays": "MatrixScreen", "conclusions": "ConclusionsScreen",
           "review": "ReviewScreen"}
PARENT = {"home": "HomeScreen", "retrieval": "AnalysisScreen", "summaries": "AnalysisScreen",
          "displays": "AnalysisScreen", "conclusions": "AnalysisScreen",
          "review": "AnalysisScreen"}


def _name(app: QualcodeApp) -> str:
    return type(app.screen).__name__


def test_the_goto_menu_lists_every_screen() -> None:
    assert {where for _key, where, _text in keymap.GOTO} == set(SCREENS)


async def test_goto_reaches_every_screen_and_escape_goes_up_one_level(
        sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        for target in SCREENS:
            await _go(pilot, app, target)
            assert _name(app) == SCREENS[target]
            bar = app.screen.query_one(KeyBar)
            shown = {active.binding.action.removeprefix("app.")
                     for key, active in app.screen.active_bindings.items()
                     if key in {k for k, *_rest in bar.fitting(80)}}
            essential = {"help", "undo", "quit"}
            if isinstance(app.focused, Input):  # q and ? are typed there: f1 and ^z remain
                essential.discard("quit")
            assert essential <= shown, f"{target} at 80 columns: {shown}"
            await pilot.press("escape")
            await pilot.pause()
            assert _name(app) == PARENT.get(target, "HomeScreen"), f"escape from {target}"


@pytest.mark.parametrize("start", list(SCREENS))
async def test_the_goto_menu_works_on_every_screen(sample_project: Project, start: str) -> None:
    names = list(SCREENS)
    target = names[(names.index(start) + 3) % len(names)]
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _go(pilot, app, start)
        assert _name(app) == SCREENS[start]
        await _go(pilot, app, target)
        assert _name(app) == SCREENS[target], f"{start} -> {target}"
        assert len(app.screen_stack) <= 3  # home, the hub, an analysis screen at most


async def _go(pilot: Any, app: QualcodeApp, where: str) -> None:
    key = next(key for key, name, _text in keymap.GOTO if name == where)
    await pilot.press("ctrl+g", key)  # ctrl+g: also where a text field has the focus
    await pilot.pause()
    assert isinstance(app.screen, Screen)


async def test_goto_transcript_returns_to_the_last_one_even_after_quitting(
        sample_project: Project) -> None:
    name = "03-kabid-mutasi.txt"
    app = make_app(sample_project, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _go(pilot, app, "home")  # home takes the "last source" to select it
        await _go(pilot, app, "codebook")
        await _go(pilot, app, "transcript")
        assert coding_screen(app).data.name == name
        await pilot.press("q")
    again = QualcodeApp(sample_project, lang="en")
    async with again.run_test(size=SIZE) as pilot:
        await _go(pilot, again, "transcript")
        assert coding_screen(again).data.name == name
