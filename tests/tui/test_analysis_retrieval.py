"""Analysis hub and retrieval: filters over codes × informants × kinds × coders × valence, the
excerpts with context, and Enter jumping to the transcript position."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, SelectionList

from qualcode.core.analysis.catalogue import Filters
from qualcode.core.analysis.query import retrieve
from qualcode.core.location import Location
from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.analysis import AnalysisScreen, MultiPickDialog
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.retrieval import RetrievalScreen

SIZE = (120, 40)


async def settle(app: QualcodeApp, pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages be handled."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_retrieval(app: QualcodeApp, pilot: Pilot[Any],
                         filters: Filters | None = None) -> RetrievalScreen:
    screen = RetrievalScreen(filters)
    await app.push_screen(screen)
    await settle(app, pilot)
    return screen


async def test_home_a_opens_the_hub_and_its_keys_open_the_screens(
        sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AnalysisScreen)
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, RetrievalScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, AnalysisScreen)


async def test_filtered_excerpts_match_the_core_and_show_context(
        sample_project: Project) -> None:
    expected = retrieve(sample_project, codes=["SOB-1"], informants=["Rudi Hermawan"],
                        lang="en", context_chars=120)
    assert len(expected) >= 2
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_retrieval(app, pilot, Filters(codes=("SOB-1",),
                                                          informants=("Rudi Hermawan",)))
        assert [e.coding_id for e in screen.excerpts] == [e.coding_id for e in expected]
        box = screen.query_one("#ret-list", OptionList)
        assert box.option_count == len(expected)
        first = str(box.get_option_at_index(0).prompt)
        assert " ".join(expected[0].text.split()) in first
        assert " ".join(expected[0].before.split())[-20:] in " ".join(first.split())


async def test_enter_jumps_to_the_excerpt_position(sample_project: Project,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    expected = retrieve(sample_project, codes=["SOB-2"], lang="en")
    app = QualcodeApp(sample_project, lang="en")
    calls: list[tuple[int, int | None]] = []
    async with app.run_test(size=SIZE) as pilot:
        await open_retrieval(app, pilot, Filters(codes=("SOB-2",)))
        monkeypatch.setattr(app, "open_source",
                            lambda source_id, offset=None: calls.append((source_id, offset)))
        await pilot.press("down", "down", "enter")
        assert calls == [(expected[2].source_id, expected[2].start)]


async def test_enter_opens_the_coding_screen_on_the_excerpt_segment(
        sample_project: Project) -> None:
    target = retrieve(sample_project, codes=["SOB-5"], valence="-", lang="en")[0]
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_retrieval(app, pilot, Filters(codes=("SOB-5",), valence="-"))
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        assert screen.source_id == target.source_id
        segment = sample_project.segments(target.source_id)[screen.transcript.cursor]
        assert segment.start <= target.start < segment.end


async def test_valence_key_cycles_and_filters(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_retrieval(app, pilot)
        assert len(screen.excerpts) == len(retrieve(sample_project))
        await pilot.press("v")
        await settle(app, pilot)
        assert screen.filters.valence == "+"
        assert screen.excerpts and {e.valence for e in screen.excerpts} == {"+"}
        assert len(screen.excerpts) == len(retrieve(sample_project, valence="+"))
        await pilot.press("v")
        await settle(app, pilot)
        assert {e.valence for e in screen.excerpts} == {"-"}
        await pilot.press("x")
        await settle(app, pilot)
        assert screen.filters.is_empty()


async def test_kind_and_coder_filters_through_the_multi_choice(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_retrieval(app, pilot)
        await pilot.press("k")
        assert isinstance(app.screen, MultiPickDialog)
        await pilot.press("down", "space", "enter")  # observation
        await settle(app, pilot)
        assert screen.filters.kinds == ("observation",)
        assert screen.excerpts and {e.kind for e in screen.excerpts} == {"observation"}
        await pilot.press("o")
        coders = app.screen.query_one(SelectionList)
        first = str(coders.get_option_at_index(0).value)
        await pilot.press("space", "enter")
        await settle(app, pilot)
        assert screen.filters.coders == (first,)
        expected = retrieve(sample_project, kinds=["observation"], coders=[first])
        assert [e.coding_id for e in screen.excerpts] == [e.coding_id for e in expected]


async def test_a_selection_without_codings_says_so(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_retrieval(app, pilot, Filters(codes=("SIA-F",)))
        assert screen.excerpts == []
        assert screen.query_one("#ret-list", OptionList).option_count == 0
        assert "No coded excerpts" in str(screen.query_one("#ret-status").render())


@pytest.mark.parametrize(("lang", "heads"), [
    ("en", ["Key", "Code", "Informant", "Role", "Source kind", "Valence", "Coder",
            "Excerpt in context", "Note", "Position"]),
    ("id", ["Kunci", "Kode", "Informan", "Peran", "Jenis sumber", "Valensi", "Koder",
            "Kutipan dalam konteks", "Catatan", "Posisi"]),
])
async def test_export_names_code_key_coder_and_note(sample_project: Project, tmp_path: Path,
                                                     lang: str, heads: list[str]) -> None:
    """`e` writes one row per coding of the session's coder (the sample's peneliti), with
    its coder and note."""
    target = tmp_path / "excerpts.csv"
    app = QualcodeApp(sample_project, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_retrieval(app, pilot, Filters(codes=("SOB-1",)))
        await pilot.press("e")
        app.screen.query_one("#ex-format", Select).value = "csv"
        await pilot.pause()
        app.screen.query_one("#ex-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == heads
    body = [dict(zip(heads, row, strict=True)) for row in rows[1:]]
    codings = [c for c in sample_project.codings(coder="peneliti") if c.code == "SOB-1"]
    assert len(body) == len(codings) and len({tuple(r.values()) for r in body}) == len(body)
    assert sorted((r[heads[0]], r[heads[6]], r[heads[8]], r[heads[9]]) for r in body) == sorted(
        (c.code, c.coder, " ".join(c.note.split()),
         f"{c.source}, {Location(c.line, c.paragraph, c.page).text(lang)}") for c in codings)
    assert {r[heads[6]] for r in body} == {"peneliti"}
