"""Coding screen workflows driven by keys; every test asserts the store's state afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from coding_app import (
    SIZE,
    coding_screen,
    codings,
    first_uncoded,
    index_matches_store,
    make_app,
    segments,
    spans_of,
)
from textual.widgets import Static

from qualcode.core.store import Project
from qualcode.tui.widgets.code_picker import ChoiceDialog, CodePicker
from qualcode.tui.widgets.key_bar import KeyBar
from qualcode.tui.widgets.note_dialog import NoteDialog


async def test_shortcut_applies_code_to_the_segment_under_the_cursor(
        sample_project: Project) -> None:
    target = first_uncoded(sample_project)
    seg = segments(sample_project)[target]
    before = spans_of(sample_project, "SOB-1")
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        assert coding_screen(app).transcript.cursor == target
        await pilot.press("1")
        assert spans_of(sample_project, "SOB-1") - before == {(seg.start, seg.end, "0")}
        assert index_matches_store(app, sample_project)


async def test_letter_shortcut_and_coder_name(sample_project: Project) -> None:
    target = first_uncoded(sample_project)
    seg = segments(sample_project)[target]
    app = make_app(sample_project, coder="rina")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", "i")  # i = SIA-2 in the Siagian codebook
    new = [c for c in codings(sample_project) if c.coder == "rina"]
    assert [(c.start, c.end) for c in new] == [(seg.start, seg.end)]


async def test_valence_preset_then_toggle_on_the_focused_coding(sample_project: Project) -> None:
    target = first_uncoded(sample_project)
    seg = segments(sample_project)[target]
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("minus", "u", "2")
        assert spans_of(sample_project, "SOB-2") >= {(seg.start, seg.end, "-")}
        assert coding_screen(app).valence == "-"
        await pilot.press("plus")  # the coding just applied is focused: toggled to +
        assert (seg.start, seg.end, "+") in spans_of(sample_project, "SOB-2")
        await pilot.press("j", "0")  # moved away: 0 only presets the next codings
        assert (seg.start, seg.end, "+") in spans_of(sample_project, "SOB-2")
        assert coding_screen(app).valence == "0"
        await pilot.press("k", "o", "minus")  # o focuses a coding on the segment again
        assert (seg.start, seg.end, "-") in spans_of(sample_project, "SOB-2")
        assert index_matches_store(app, sample_project)


async def test_shift_down_extends_the_selection_over_segments(sample_project: Project) -> None:
    target = first_uncoded(sample_project)
    segs = segments(sample_project)
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", "shift+down", "shift+down", "3")
        assert coding_screen(app).transcript.selection == (target, target + 2)
    assert (segs[target].start, segs[target + 2].end, "0") in spans_of(sample_project, "SOB-3")


async def test_word_mode_narrows_the_coding_inside_a_segment(sample_project: Project) -> None:
    first = first_uncoded(sample_project)
    segs = segments(sample_project)
    text = sample_project.get_source(segs[0].source_id).text
    target = next(i for i in range(first, len(segs))
                  if len(text[segs[i].start:segs[i].end].split()) >= 6)
    seg = segs[target]
    words = []
    pos = seg.start
    for word in text[seg.start:seg.end].split(" "):
        words.append((pos, pos + len(word)))
        pos += len(word) + 1
    words = [w for w in words if w[1] > w[0]]
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", *["j"] * (target - first))
        await pilot.press("e", "right", "right", "shift+left")
        assert coding_screen(app).transcript.narrow == (words[2][0], words[-2][1])
        await pilot.press("4")
        assert coding_screen(app).transcript.narrow is None  # applying leaves word mode
    assert (words[2][0], words[-2][1], "0") in spans_of(sample_project, "SOB-4")


async def test_remove_asks_which_coding_when_several(sample_project: Project) -> None:
    target = first_uncoded(sample_project)
    seg = segments(sample_project)[target]

    def here() -> set[str]:
        return {key for key in ("SOB-1", "SOB-2", "SOB-3")
                if (seg.start, seg.end, "0") in spans_of(sample_project, key)}

    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", "1", "2", "x")  # x removes the focused (last applied) coding
        assert here() == {"SOB-1"}
        await pilot.press("3", "j", "k", "x")  # nothing focused, two codings: a chooser
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "enter")  # the second in text order: SOB-3
        assert here() == {"SOB-1"}
        await pilot.press("delete")  # one coding left: removed without asking
        assert here() == set()
        assert index_matches_store(app, sample_project)


async def test_note_dialog_saves_the_note_on_the_coding(sample_project: Project) -> None:
    target = first_uncoded(sample_project)
    seg = segments(sample_project)[target]
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", "5", "n")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"jelas sekali", "ctrl+s")
        assert not isinstance(app.screen, NoteDialog)
        await pilot.press("n", "escape")  # escape cancels without a change
    notes = [c.note for c in codings(sample_project) if (c.start, c.end) == (seg.start, seg.end)]
    assert notes == ["jelas sekali"]


async def test_undo_and_redo_cover_apply_edit_note_and_remove(sample_project: Project) -> None:
    target = first_uncoded(sample_project)
    seg = segments(sample_project)[target]
    span = (seg.start, seg.end)
    app = make_app(sample_project)

    def state() -> set[tuple[int, int, str, str]]:
        return {(c.start, c.end, c.valence, c.note) for c in codings(sample_project)
                if (c.start, c.end) == span}

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", "6")
        assert state() == {(*span, "0", "")}
        await pilot.press("ctrl+z")
        assert state() == set()
        assert index_matches_store(app, sample_project)
        await pilot.press("ctrl+y")
        assert state() == {(*span, "0", "")}
        await pilot.press("o", "minus")
        assert state() == {(*span, "-", "")}
        await pilot.press("n", *"catatan", "ctrl+s")
        assert state() == {(*span, "-", "catatan")}
        await pilot.press("ctrl+z")
        assert state() == {(*span, "-", "")}
        await pilot.press("ctrl+z")
        assert state() == {(*span, "0", "")}
        await pilot.press("x")
        assert state() == set()
        await pilot.press("ctrl+z")
        assert state() == {(*span, "0", "")}
        await pilot.press("ctrl+y")
        assert state() == set()
        assert index_matches_store(app, sample_project)


async def test_next_uncoded_skips_coded_and_interviewer_segments(sample_project: Project) -> None:
    first = first_uncoded(sample_project)
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", "1", "tab")
        second = first_uncoded(sample_project, after=first)
        assert coding_screen(app).transcript.cursor == second
        assert not segments(sample_project)[second].is_interviewer


async def test_fuzzy_picker_applies_the_chosen_code(sample_project: Project) -> None:
    target = first_uncoded(sample_project)
    seg = segments(sample_project)[target]
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", "slash")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"innov", "enter")
        assert not isinstance(app.screen, CodePicker)
        await pilot.press("slash", *"SOB", "escape")  # escape applies nothing
    assert (seg.start, seg.end, "0") in spans_of(sample_project, "SIA-2")
    assert sum(1 for c in codings(sample_project) if (c.start, c.end) == (seg.start, seg.end)) == 1


async def test_movement_by_turn_page_and_ends(sample_project: Project) -> None:
    segs = segments(sample_project)
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        view = coding_screen(app).transcript
        await pilot.press("J")
        assert segs[view.cursor].turn_index == 1 and segs[view.cursor - 1].turn_index == 0
        await pilot.press("right_square_bracket", "K")
        assert segs[view.cursor].turn_index == 1
        await pilot.press("end")
        assert view.cursor == len(segs) - 1
        await pilot.press("home", "pagedown")
        paged = view.cursor
        assert paged > 5
        assert view.model.tops[paged] >= view.page_rows() - 2  # about one screenful down
        await pilot.press("pageup")
        assert view.cursor < paged
        await pilot.press("pageup")
        assert view.cursor == 0


async def test_click_selects_a_segment(sample_project: Project) -> None:
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        view = coding_screen(app).transcript
        row = view.model.tops[3] - view.scroll_offset.y
        await pilot.click("#transcript", offset=(20, row))
        assert view.cursor == 3


async def test_removing_another_coders_coding_asks_first(sample_project: Project) -> None:
    theirs = next(c for c in codings(sample_project) if c.coder != "researcher")
    segs = segments(sample_project)
    at = next(i for i, s in enumerate(segs) if s.start <= theirs.start < s.end)
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = coding_screen(app)
        screen.transcript.move_to(at)
        await pilot.pause()
        here = screen.codings_here()
        label = screen._coding_label(next(c for c in here if c.id == theirs.id)).plain
        assert f"[{theirs.coder}]" in label  # the chooser tells coders apart
        screen._remove(theirs.id)
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        assert theirs.coder in app.screen.title_text
        await pilot.press("enter")  # the default answer keeps it
        assert theirs.id in {c.id for c in codings(sample_project)}
        screen._remove(theirs.id)
        await pilot.pause()
        await pilot.press("up", "enter")  # "Remove"
        await pilot.pause()
        assert theirs.id not in {c.id for c in codings(sample_project)}
        assert index_matches_store(app, sample_project)


async def test_leaving_word_mode_drops_the_word_keys_from_the_key_bar(
        sample_project: Project) -> None:
    app = make_app(sample_project)
    async with app.run_test(size=(160, 30)) as pilot:
        bar = coding_screen(app).query_one(KeyBar)

        def drawn() -> list[str]:  # the keys of the bar's last render
            return [k.key for k in bar._keys]
        await pilot.press("u", "e")
        await pilot.pause()
        assert "right" in drawn()
        await pilot.press("escape")
        await pilot.pause()
        assert coding_screen(app).transcript.narrow is None
        assert "right" not in drawn()
        await pilot.press("e")
        await pilot.pause()
        assert "right" in drawn()
        await pilot.press("1")  # applying a code leaves word mode too
        await pilot.pause()
        assert "right" not in drawn()


async def test_undo_goes_to_the_text_it_changed(sample_project: Project) -> None:
    target = first_uncoded(sample_project)
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", "1", "end")
        assert coding_screen(app).transcript.cursor != target
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert coding_screen(app).transcript.cursor == target
        await pilot.press("home", "ctrl+y")
        await pilot.pause()
        assert coding_screen(app).transcript.cursor == target


async def test_the_panel_names_other_coders_not_me(sample_project: Project) -> None:
    theirs = next(c for c in codings(sample_project) if c.coder != "researcher")
    segs = segments(sample_project)
    at = next(i for i, s in enumerate(segs) if s.start <= theirs.start < s.end)
    for me, named in (("researcher", True), (theirs.coder, False)):
        app = make_app(sample_project, coder=me)
        async with app.run_test(size=SIZE) as pilot:
            screen = coding_screen(app)
            screen.transcript.move_to(at)
            await pilot.pause()
            shown = str(screen.query_one("#here", Static).render())
            assert (f"[{theirs.coder}]" in shown) is named


async def test_a_busy_project_is_a_message_and_the_next_try_works(sample_project: Project,
                                                                  tmp_path: Path) -> None:
    """Another program holding the write lock: the key gives a message, nothing is half
    written, the app goes on, and the same key works once the lock is gone."""
    path = Path(sample_project.url.removeprefix("sqlite:///"))
    with sample_project.engine.connect() as conn:  # the pooled connection: wait 0.1 s, not 5
        conn.exec_driver_sql("PRAGMA busy_timeout=100")
    target = first_uncoded(sample_project)
    seg = segments(sample_project)[target]
    before = len(codings(sample_project))
    other = sqlite3.connect(path, isolation_level=None)
    app = make_app(sample_project, lang="id")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        other.execute("BEGIN EXCLUSIVE")
        await pilot.press("1")
        await pilot.pause()
        assert any("proyek sedang sibuk" in n.message for n in app._notifications)
        other.execute("ROLLBACK")
        assert len(codings(sample_project)) == before
        await pilot.press("1")
        await pilot.pause()
        assert (seg.start, seg.end, "0") in spans_of(sample_project, "SOB-1")
        assert index_matches_store(app, sample_project)
    other.close()
