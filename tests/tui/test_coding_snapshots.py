"""Snapshots of the coding screen at 80x24 and 160x48 (pytest-textual-snapshot).

Update after an intended change with `uv run pytest tests/tui/test_coding_snapshots.py
--snapshot-update` and look at the SVGs in `__snapshots__/` before committing them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from coding_app import coding_screen, make_app

from qualcode.core.store import Project

NAME = "01-kepala-badan.md"


@pytest.fixture
def snap_project(sample_project_file: Path, tmp_path: Path) -> Iterator[Project]:
    target = tmp_path / "snap.qualcode"
    shutil.copy(sample_project_file, target)
    with Project.open(target) as project:
        yield project


def most_coded_segment(project: Project) -> int:
    """The first segment of the sample source with the most codings on it."""
    sid = project.get_source(NAME).id
    assert sid is not None
    spans = [(c.start, c.end) for c in project.codings_in(sid)]
    counts = [sum(1 for a, b in spans if a < s.end and b > s.start) for s in project.segments(sid)]
    best = max(counts)
    assert best >= 2, "the sample should have overlapping codings"
    return counts.index(best)


def test_coding_screen_80x24(snap_compare: Any, snap_project: Project) -> None:
    target = most_coded_segment(snap_project)
    app = make_app(snap_project, NAME, lang="id")

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        coding_screen(app).transcript.move_to(target)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_coding_screen_160x48_selection_and_words(snap_compare: Any,
                                                  snap_project: Project) -> None:
    target = most_coded_segment(snap_project)
    app = make_app(snap_project, NAME, lang="en")

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        coding_screen(app).transcript.move_to(target)
        await pilot.press("shift+down", "e", "right", "shift+left")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(160, 48), run_before=run_before)
