"""Search: in the open transcript (ctrl+f, n/N) and across the project (a worker, Enter opens)."""

from __future__ import annotations

from coding_app import SIZE, coding_screen, make_app, segments, source_id
from textual.widgets import OptionList

from qualcode.core.store import Project
from qualcode.core.store.view import find_all, search_sources
from qualcode.tui.screens.search import SearchScreen


def occurrences(project: Project, name: str, term: str) -> list[int]:
    text = project.get_source(source_id(project, name)).text
    return find_all(text, term.lower())


def segment_of(project: Project, name: str, offset: int) -> int:
    return next(i for i, s in enumerate(segments(project, name)) if s.start <= offset < s.end)


async def test_find_in_transcript_walks_matches_with_n_and_shift_n(
        sample_project: Project) -> None:
    name = "01-kepala-badan.md"
    hits = occurrences(sample_project, name, "visi")
    assert len(hits) >= 3
    app = make_app(sample_project, name)
    async with app.run_test(size=SIZE) as pilot:
        screen = coding_screen(app)
        await pilot.press("ctrl+f", *"visi", "enter")
        assert [m[0] for m in screen.matches] == hits
        assert screen.transcript.cursor == segment_of(sample_project, name, hits[0])
        await pilot.press("n")
        assert screen.transcript.cursor == segment_of(sample_project, name, hits[1])
        await pilot.press("N", "N")
        assert screen.transcript.cursor == segment_of(sample_project, name, hits[-1])
        await pilot.press("escape")  # leaves search: n is the note key again
        assert screen.matches == []
        assert "find" not in str(screen.status_text())


async def test_find_without_match_says_so_and_keeps_the_cursor(sample_project: Project) -> None:
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = coding_screen(app)
        await pilot.press("j", "j", "ctrl+f", *"zzqqx", "enter")
        assert screen.transcript.cursor == 2
        assert "zzqqx" in str(screen.status_text())


async def test_project_search_lists_hits_and_enter_opens_the_source(
        sample_project: Project) -> None:
    hits = search_sources(sample_project, "pelatihan")
    assert len({h.source_id for h in hits}) >= 2
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("F")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"pelatihan", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        box = app.screen.query_one("#search-hits", OptionList)
        enabled = [i for i in range(box.option_count) if not box.get_option_at_index(i).disabled]
        assert len(enabled) == len(hits)
        last = hits[-1]
        await pilot.press("down", "end", "enter")
        screen = coding_screen(app)
        assert screen.source_id == last.source_id
        seg = segments(sample_project, screen.data.name)[screen.transcript.cursor]
        assert seg.start <= last.start < seg.end


def test_search_sources_reports_context_and_offsets(sample_project: Project) -> None:
    for hit in search_sources(sample_project, "Visi"):
        text = sample_project.get_source(hit.source_id).text
        assert text[hit.start:hit.end].lower() == "visi"
        assert hit.match.lower() == "visi"
    assert search_sources(sample_project, "   ") == []
