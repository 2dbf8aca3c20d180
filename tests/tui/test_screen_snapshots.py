"""Snapshots of the codebook, memos and analysis screens at 80x24 and 160x48.

The home and coding screens have their own snapshot modules. Update after an intended change
with `uv run pytest tests/tui/test_screen_snapshots.py --snapshot-update` and look at the SVGs
in `__snapshots__/` before committing them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import text
from textual.widgets import Input

from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.analysis import AnalysisScreen
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.memos import MemosScreen

SIZES = [(80, 24), (160, 48)]
WRITTEN = datetime(2026, 3, 2, 9, 30)


def with_memos(project: Project) -> Project:
    """Three memos of different scopes, all dated `WRITTEN` so the snapshot is stable."""
    code = next(c for c in project.codes() if c.key == "SOB-1")
    informant = project.informants()[0]
    project.add_memo("Staff at the front desk depend on one senior for SIASN questions.",
                     title="Expertise sits with one person", scope="code", target=code.id)
    project.add_memo("Compare what the head says about training with the staff's account.",
                     title="Triangulate training", scope="informant", target=informant.id)
    project.add_memo("Second coding round after the member check in April.",
                     title="Plan")
    with project.engine.begin() as conn:
        conn.execute(text("UPDATE memo SET created_at = :w, updated_at = :w"), {"w": WRITTEN})
    return project


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_codebook(sample_project: Project, snap_compare: Any,
                           size: tuple[int, int]) -> None:
    app = QualcodeApp(sample_project, lang="en")

    async def run_before(pilot: Any) -> None:
        await app.push_screen(CodebookScreen("SOB-2"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_memos(sample_project: Project, snap_compare: Any,
                        size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    # Local time depends on the machine's time zone; the snapshot shows the stored UTC time.
    monkeypatch.setattr("qualcode.tui.screens.memos.local_time",
                        lambda when: when.strftime("%d-%m %H:%M"))
    app = QualcodeApp(with_memos(sample_project), lang="id")

    async def run_before(pilot: Any) -> None:
        await app.push_screen(MemosScreen())
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_analysis_hub(sample_project: Project, snap_compare: Any,
                               size: tuple[int, int]) -> None:
    app = QualcodeApp(sample_project, lang="en")

    async def run_before(pilot: Any) -> None:
        await app.push_screen(AnalysisScreen())
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


# The other screens, each reached as a researcher would: the go-to menu (ctrl+g, then a
# letter, see keymap.GOTO), then the keys given.
REACHED = {
    "search": ("s", "S", "I", "A", "S", "N", "enter"),
    "retrieval": ("r",),
    "summaries": ("u",),
    "displays": ("d",),
    "conclusions": ("k",),
    "goto_menu": ("escape", "ctrl+g"),
    "help_on_transcript": ("t", "question_mark"),
    "transcript_160": ("t",),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(REACHED))
def test_snapshot_every_screen(sample_project: Project, snap_compare: Any,
                               size: tuple[int, int], screen: str) -> None:
    if screen == "transcript_160" and size != (160, 48):
        pytest.skip("test_coding_snapshots.py has the transcript at 80x24")
    app = QualcodeApp(sample_project, lang="en")

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press("ctrl+g", *REACHED[screen])
        await app.workers.wait_for_complete()  # the search and the displays run in workers
        for box in app.screen.query(Input):
            box.cursor_blink = False  # a blinking cursor is drawn or not by the clock
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
