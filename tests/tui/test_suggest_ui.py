"""Code suggestions on the coding screen: S computes them in a worker, a/x/Enter review them."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.suggest_panel import SuggestionsDialog

SIZE = (120, 40)
TRANSCRIPT = """---
informant: Budi
language: id
---
P: Bagaimana pegawai menguasai pekerjaan di sini?

I: Cuaca hari ini cerah sekali. Banyak pegawai belum menguasai pekerjaannya.
Mereka sering terlambat masuk kantor.
"""


def _setup(project: Project, tmp_path: Path) -> tuple[int, int, int]:
    """Import the transcript; (source id, start and end of the 'menguasai' answer)."""
    path = tmp_path / "budi.md"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    sid = project.import_files([path]).outcomes[0].source_id
    assert sid is not None
    text = project.get_source(sid).text
    seg = next(g for g in project.segments(sid) if "belum menguasai" in text[g.start:g.end])
    return sid, seg.start, seg.end


async def _open_suggestions(app: QualcodeApp, pilot: object) -> SuggestionsDialog:
    await pilot.press("S")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    dialog = app.screen
    assert isinstance(dialog, SuggestionsDialog)
    assert not dialog.running
    return dialog


def _highlight(dialog: SuggestionsDialog, code: str, start: int) -> None:
    index = next(n for n, s in enumerate(dialog.suggestions)
                 if s.code_key == code and s.start == start)
    dialog.query_one("#suggest-list", OptionList).highlighted = index


async def test_accepting_a_suggestion_applies_the_code(project: Project, tmp_path: Path) -> None:
    sid, start, end = _setup(project, tmp_path)
    app = QualcodeApp(project, lang="en", source_id=sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("minus")  # current valence: shortfall
        dialog = await _open_suggestions(app, pilot)
        assert {s.code_key for s in dialog.suggestions if s.start == start} >= {"SOB-1"}
        assert all(not project.get_segment(s.segment_id).is_interviewer
                   for s in dialog.suggestions)
        _highlight(dialog, "SOB-1", start)
        before = len(dialog.suggestions)
        await pilot.press("a")
        await pilot.pause()
        assert len(dialog.suggestions) == before - 1
        codings = project.codings_in(sid)
        sob1 = project.get_code("SOB-1").id
        assert [(c.start, c.end, c.valence) for c in codings if c.code_id == sob1] == [
            (start, end, "-")]
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        assert any(c.code_id == sob1 for c in screen.index.by_id.values())
        await pilot.press("ctrl+z")  # accepted suggestions are undoable
        await pilot.pause()
    assert not [c for c in project.codings_in(sid) if c.code_id == sob1]


async def test_dismiss_and_jump(project: Project, tmp_path: Path) -> None:
    sid, start, _end = _setup(project, tmp_path)
    app = QualcodeApp(project, lang="en", source_id=sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await _open_suggestions(app, pilot)
        _highlight(dialog, "SOB-1", start)
        await pilot.press("x")
        await pilot.pause()
        assert not any(s.code_key == "SOB-1" and s.start == start for s in dialog.suggestions)
        assert project.codings_in(sid) == []
        late = next(s for s in dialog.suggestions if "terlambat" in s.matched_text)
        _highlight(dialog, late.code_key, late.start)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        cursor = screen.transcript.cursor
        assert screen.model.starts[cursor] == late.start
        dialog = await _open_suggestions(app, pilot)  # dismissed stays dismissed
        assert not any(s.code_key == "SOB-1" and s.start == start for s in dialog.suggestions)
    assert project.codings_in(sid) == []


async def test_store_as_coder_suggester(project: Project, tmp_path: Path) -> None:
    """`s` stores the proposals over the chosen sources as codings of the coder `suggester`
    (one undoable action), which the counts leave out unless it is chosen."""
    from qualcode.core.analysis.query import resolve_coders
    from qualcode.core.coders import SUGGESTER
    from qualcode.core.suggest import suggest_for_source
    from qualcode.tui.screens.analysis import MultiPickDialog

    sid, _start, _end = _setup(project, tmp_path)
    other = tmp_path / "sari.md"
    other.write_text(TRANSCRIPT.replace("Budi", "Sari"), encoding="utf-8")
    project.import_files([other])
    expected = {(s.start, s.end, s.code_key) for s in suggest_for_source(
        project, sid, skip_coded=False)}
    assert expected
    app = QualcodeApp(project, lang="en", source_id=sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_suggestions(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, MultiPickDialog)
        await pilot.press("enter")  # only this source is ticked
        await app.workers.wait_for_complete()
        await pilot.pause()
        keys = {c.id: c.key for c in project.codes()}
        stored = {(c.start, c.end, keys[c.code_id]) for c in project.codings_in(sid)
                  if c.coder == SUGGESTER}
        assert stored == expected
        sari = project.get_source("sari.md").id or 0
        assert project.codings_in(sari) == []
        assert resolve_coders(project) == ("researcher",)  # the suggester is not counted
        assert resolve_coders(project, ["suggester"]) == ("suggester",)
        await pilot.press("escape", "ctrl+z")
        await pilot.pause()
    assert project.codings_in(sid) == []


async def test_each_suggestion_shows_its_weight_not_a_word_count(project: Project,
                                                                 tmp_path: Path) -> None:
    """The score is an idf-weighted sum; the row read '(4.738 kata cocok)' (words matched) in
    Indonesian. It now reads its weight with the language's decimal comma."""
    sid, start, _end = _setup(project, tmp_path)
    app = QualcodeApp(project, lang="id", source_id=sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await _open_suggestions(app, pilot)
        index = next(n for n, s in enumerate(dialog.suggestions)
                     if s.code_key == "SOB-1" and s.start == start)
        suggestion = dialog.suggestions[index]
        row = dialog.query_one("#suggest-list", OptionList).get_option_at_index(index).prompt
        weight = f"{suggestion.score:.1f}".replace(".", ",")
        assert f"(bobot {weight})" in str(row)
        assert "kata cocok" not in str(row)
