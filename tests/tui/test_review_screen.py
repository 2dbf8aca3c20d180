"""The disagreement review screen: each kind of place resolved from the keyboard, the decision
recorded in the store and undone with ctrl+z; agreement before and after; blind toggle."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import Static

from disagreement_fixture import code_plan, span
from qualcode.core.coders import CONSENSUS
from qualcode.core.models import Adjudication
from qualcode.core.store import Project
from qualcode.core.store.read import blind_coders
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.form_dialog import FormDialog
from qualcode.tui.screens.review import ReviewScreen

SIZE = (120, 40)
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    return code_plan(project, tmp_path)


def consensus(project: Project) -> set[tuple[str, int, int, str]]:
    keys = {c.id: c.key for c in project.codes()}
    sid = project.get_source("a.txt").id or 0
    return {(keys[c.code_id], c.start, c.end, c.valence) for c in project.codings_in(sid)
            if c.coder == CONSENSUS}


def decisions(project: Project) -> list[tuple[str, list[str], str]]:
    with project.session() as s:
        return [(a.decision, a.accepted, a.decided_by)
                for a in s.execute(select(Adjudication).order_by(Adjudication.id)).scalars()]


async def open_review(app: QualcodeApp, pilot: object) -> ReviewScreen:
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("a", "v")  # type: ignore[attr-defined]  # home -> analysis -> review
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def settle(app: QualcodeApp, pilot: object) -> None:
    """Let the screen's workers (the scan after a change, agreement) finish."""
    for _round in range(3):
        await pilot.pause()  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def go_to(screen: ReviewScreen, pilot: object, code: str, at: tuple[int, int]) -> None:
    """Step with `n` until the place of `code` at `at` is shown."""
    for _step in range(len(screen.places) + 1):
        place = screen.place
        if place is not None and (place.code, place.start, place.end) == (code, *at):
            return
        await pilot.press("n")  # type: ignore[attr-defined]
    raise AssertionError(f"{code} {at} not reached")


async def test_each_kind_of_place_resolved_and_undone(coded: Project) -> None:
    app = QualcodeApp(coded, lang="en", coder="lead")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        assert len(screen.places) == 7 and screen.chosen == ["ana", "budi"]
        assert screen.before is not None and "ana, budi" in screen.before[0]
        # presence: budi never coded SOB-2 here; accept ana's (coder 1)
        await go_to(screen, pilot, "SOB-2", span(1))
        await pilot.press("1")
        await settle(app, pilot)
        assert consensus(coded) == {("SOB-2", *span(1), "0")}
        assert decisions(coded) == [("accept", ["ana"], "lead")]
        # the resolved place is skipped: the screen moved on to an open one
        assert screen.place is not None and not screen.place.resolved
        # valence: accept budi's (coder 2)
        await go_to(screen, pilot, "SOB-3", span(2))
        await pilot.press("2")
        await settle(app, pilot)
        assert ("SOB-3", *span(2), "-") in consensus(coded)
        # span: both coders' spans
        await go_to(screen, pilot, "SOB-4", span(3, 4))
        await pilot.press("b")
        await settle(app, pilot)
        assert {c for c in consensus(coded) if c[0] == "SOB-4"} == {
            ("SOB-4", *span(3, 4), "0"), ("SOB-4", *span(3), "0")}
        # presence of budi only: neither
        await go_to(screen, pilot, "SOB-1", span(7))
        await pilot.press("x")
        await settle(app, pilot)
        assert not {c for c in consensus(coded) if c[0] == "SOB-1"}
        assert decisions(coded)[-1] == ("neither", [], "lead")
        # span and valence: edit by hand
        await go_to(screen, pilot, "SOB-5", span(5, 6))
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        start, end = span(5)
        form.query_one("#field-end").value = str(end)  # type: ignore[attr-defined]
        form.query_one("#field-valence").value = "+"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert {c for c in consensus(coded) if c[0] == "SOB-5"} == {("SOB-5", start, end, "+")}
        assert decisions(coded)[-1][0] == "edit"
        assert sum(p.resolved for p in screen.places) == 5
        # undo the edit: its consensus coding and its record go
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert not {c for c in consensus(coded) if c[0] == "SOB-5"}
        assert [d[0] for d in decisions(coded)] == ["accept", "accept", "accept", "neither"]
        assert sum(p.resolved for p in screen.places) == 4
        shown = screen.place   # the screen went back to the place whose decision was undone
        assert shown is not None and (shown.code, shown.start) == ("SOB-5", span(5)[0])
        # agreement recomputed: now each coder against the consensus coder too
        await pilot.press("r")
        await settle(app, pilot)
        assert screen.now is not None and len(screen.now) == 3
        assert "against the consensus coder" in screen.now[1]
        assert screen.before != screen.now


async def test_show_resolved_and_agreed_codings(coded: Project) -> None:
    app = QualcodeApp(coded, lang="en", coder="lead")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        assert screen.agreed_left == 1
        await pilot.press("a")  # SOB-1 at sentence 0: both coders agree
        await settle(app, pilot)
        assert consensus(coded) == {("SOB-1", *span(0), "+")}
        assert screen.agreed_left == 0
        for _n in range(7):
            await pilot.press("x")
            await settle(app, pilot)
        await settle(app, pilot)
        assert len(decisions(coded)) == 7
        assert screen.place is None  # nothing left to review
        await pilot.press("s")  # show resolved places again
        await settle(app, pilot)
        assert screen.place is not None and screen.place.resolved


async def test_blind_toggle_on_home(coded: Project) -> None:
    app = QualcodeApp(coded, lang="en", coder="ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await settle(app, pilot)
        await pilot.pause()
        assert blind_coders(coded.reader) == ["ana"]
        await pilot.press("a", "v")  # review while blind: refused, said on the screen
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and "blind" in screen.error
        await pilot.press("escape", "escape", "b")
        await pilot.pause()
        assert blind_coders(coded.reader) == []


async def test_agreement_opened_after_decisions_is_not_called_before_review(
        coded: Project) -> None:
    """Reopening the review after some decisions labelled figures that already include them
    'before review'; the label now says how many places were resolved by then."""
    app = QualcodeApp(coded, lang="en", coder="lead")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        assert "before review:" in str(screen._agreement_text())
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert len(decisions(coded)) == 2
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("v")  # the hub's review entry: a fresh screen
        await settle(app, pilot)
        again = app.screen
        assert isinstance(again, ReviewScreen) and again is not screen
        shown = str(again._agreement_text())
        assert "before review:" not in shown
        assert "when this screen opened, 2 places already resolved:" in shown


async def test_help_lists_accept_coder_once_and_names_the_focused_area(coded: Project) -> None:
    """`?` on review: the keys 1-9 are one line; the focused area has a human name."""
    from rich.console import Console

    from qualcode.tui.screens.help import HelpScreen

    app = QualcodeApp(coded, lang="en", coder="lead")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(help_screen.render_groups())
        lines = [" ".join(line.split()) for line in console.export_text().splitlines()]
        assert [line for line in lines if "Accept coder N" in line] == ["1-9 Accept coder N"]
        titles = [g.title for g in help_screen.groups]
        assert "Scrolling area (focused)" in titles
        assert not any("VerticalScroll" in t for t in titles)


LONG = "\n\n".join(
    f"Informan: Paragraf {n} tentang layanan kepegawaian di kantor kami. Pegawai datang pagi, "
    f"menyiapkan berkas, melayani guru dan bidan yang mengurus kenaikan pangkat. Antrean "
    f"kadang panjang pada akhir bulan, tetapi petugas tetap ramah." for n in range(1, 13))


async def test_small_terminal_gives_the_coders_table_room(project: Project,
                                                          tmp_path: Path) -> None:
    """At 80x24 the passage keeps few context lines so the coders' table is in view; at
    120x40 the full context (240 characters either side) is shown."""
    from qualcode.tui.screens.review import CONTEXT, passage_lines

    (tmp_path / "long.txt").write_text(LONG, encoding="utf-8")
    project.import_files([tmp_path / "long.txt"])
    sid = project.get_source("long.txt").id or 0
    start = LONG.index("Paragraf 6")
    end = LONG.index("ramah.", start) + len("ramah.")
    project.apply_code(sid, start, end, "SOB-2", coder="ana")
    project.apply_code(sid, 0, 20, "SOB-1", coder="budi")
    project.apply_code(sid, 0, 20, "SOB-1", coder="ana")
    before = " ".join(LONG[start - CONTEXT:start].split())
    for size, full in (((80, 24), False), ((120, 40), True)):
        app = QualcodeApp(project, lang="en", coder="lead")
        async with app.run_test(size=size) as pilot:
            screen = await open_review(app, pilot)
            await go_to(screen, pilot, "SOB-2", (start, end))
            await pilot.pause()
            passage = screen.query_one("#rv-passage", Static)
            shown = " ".join(str(passage.content).split())
            assert passage.region.height <= passage_lines(size[1])
            assert "Paragraf 6" in shown
            assert (before in shown) is full
            table = screen.query_one("#rv-coders").region
            bar_top = size[1] - 1
            assert bar_top - table.y >= (7 if not full else 10)  # head + a few lines of cells
