"""Opening fast: the first frame already shows the transcript, the store loads behind it.

`qualcode open` starts the app on a `ProjectHandle` whose reads use sqlite3 while SQLAlchemy
loads in the background; these tests drive that path with the pilot and check the store.
"""

from __future__ import annotations

import gc
import shutil
from pathlib import Path
from typing import Any

from coding_app import SIZE, SOURCE, coding_screen, first_uncoded, segments, spans_of

from qualcode.core.store import Project
from qualcode.core.store.handle import ProjectHandle
from qualcode.core.store.read import SegmentRow, find_source_id
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.transcript_model import TranscriptLayout
from qualcode.tui.widgets.key_bar import KeyBar


def _copy(sample_project_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "fast.qualcode"
    shutil.copy(sample_project_file, target)
    return target


def _watch_frames(app: QualcodeApp) -> list[tuple[int, bool]]:
    """(transcript width, store loaded) at every frame the coding screen produced."""
    frames: list[tuple[int, bool]] = []
    shown = app._display

    def display(screen: Any, renderable: Any) -> None:
        shown(screen, renderable)
        view = getattr(screen, "transcript", None)
        if view is not None and renderable is not None:
            frames.append((view.model.width, app.handle.ready))
    app._display = display  # type: ignore[method-assign]
    return frames


async def test_first_frame_shows_the_transcript_before_the_store_loads(
        sample_project_file: Path, tmp_path: Path) -> None:
    path = _copy(sample_project_file, tmp_path)
    handle = ProjectHandle.open(path)
    sid = find_source_id(handle.reader, SOURCE)
    app = QualcodeApp(handle, lang="en", source_id=sid)
    frames = _watch_frames(app)
    gc.disable()  # as `qualcode open` starts; the app turns collection back on once loaded
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            width, loaded = frames[0]
            assert width > 0  # laid out in the very first frame, not one frame later
            assert not loaded  # drawn from sqlite3 reads, before the store was open
            view = coding_screen(app).transcript
            assert "".join(s.text for s in view.render_line(0)).strip()  # text on row 0
            while not app.handle.ready:
                await pilot.pause(0.05)
            await pilot.pause(0.2)  # the app notices on its next check
            assert gc.isenabled()
    finally:
        gc.enable()
        handle.close()


async def test_codes_pressed_before_the_store_loads_are_stored(
        sample_project_file: Path, tmp_path: Path) -> None:
    path = _copy(sample_project_file, tmp_path)
    with Project.open(path) as project:
        target = first_uncoded(project)
        seg = segments(project)[target]
        before = spans_of(project, "SOB-1")
    handle = ProjectHandle.open(path)
    app = QualcodeApp(handle, lang="en", source_id=find_source_id(handle.reader, SOURCE))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("u", "1")  # at once: the first store call waits for the load
            assert handle.ready
    finally:
        handle.close()
    with Project.open(path) as project:
        assert spans_of(project, "SOB-1") - before == {(seg.start, seg.end, "0")}


async def test_the_rest_of_a_long_transcript_is_wrapped_after_the_first_frame(
        sample_project: Project) -> None:
    handle = ProjectHandle.of(sample_project)
    sid = sample_project.get_source(SOURCE).id
    app = QualcodeApp(handle, lang="en", source_id=sid)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        view = coding_screen(app).transcript
        full = TranscriptLayout(view.model.text, view.model.segments)
        full.wrap(view.model.width)
        assert not view.model.partial
        assert (view.model.lines, view.model.height) == (full.lines, full.height)
        await pilot.press("end")
        assert view.scroll_offset.y + 20 >= view.model.height - 20


def test_partial_wrap_is_exact_on_its_rows_and_estimates_the_rest() -> None:
    text = " ".join(f"kata{i}" for i in range(400))
    segs = [SegmentRow(i, i * 200, i * 200 + 199, i // 2, "I", False) for i in range(10)]
    full = TranscriptLayout(text, segs)
    full.wrap(30)
    part = TranscriptLayout(text, segs)
    part.wrap(30, rows=12)
    assert part.partial and not full.partial
    exact = [i for i, top in enumerate(part.tops) if top < 12]
    assert exact and all(part.lines[i] == full.lines[i] for i in exact)
    assert part.locate(3) == full.locate(3)
    part.wrap(30)
    assert not part.partial and (part.lines, part.height) == (full.lines, full.height)


async def test_key_bar_lists_the_screen_keys_and_clicks_them(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en",
                      source_id=sample_project.get_source(SOURCE).id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        entries = {shown: description for _, shown, description, _ in bar.entries()}
        assert entries["/"] == "Pick code" and entries["?"] == "Help"
        text = bar.render().plain
        assert text.index("/ Pick code") < text.index("? Help")
        offset = text.index("? Help") + 1
        await pilot.click(KeyBar, offset=(offset, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert "/ Pick code" in app.screen.query_one(KeyBar).render().plain
