"""Helpers for the coding-screen tests: an app opened on a source, and store look-ups.

Also a script: `python tests/tui/coding_app.py PROJECT [SOURCE]` runs the app on a project,
opened straight on a source; `--auto PROJECT N` codes N segments headless (the kill test).
"""

from __future__ import annotations

import sys
from pathlib import Path

from qualcode.core.models import Coding, Segment
from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.coding import CodingScreen

SIZE = (120, 40)
SOURCE = "01-kepala-badan.md"


def source_id(project: Project, name: str = SOURCE) -> int:
    """The id of a sample source by name."""
    sid = project.get_source(name).id
    assert sid is not None
    return sid


def make_app(project: Project, name: str = SOURCE, *, lang: str = "en",
             coder: str = "researcher") -> QualcodeApp:
    """An app that opens straight on the coding screen of source `name`."""
    return QualcodeApp(project, lang=lang, coder=coder, source_id=source_id(project, name))


def coding_screen(app: QualcodeApp) -> CodingScreen:
    """The coding screen on top of the app."""
    screen = app.screen
    assert isinstance(screen, CodingScreen), type(screen).__name__
    return screen


def segments(project: Project, name: str = SOURCE) -> list[Segment]:
    """A source's segments in order."""
    return project.segments(source_id(project, name))


def codings(project: Project, name: str = SOURCE) -> list[Coding]:
    """A source's codings in text order."""
    return project.codings_in(source_id(project, name))


def code_key(project: Project, coding: Coding) -> str:
    """The key of a coding's code."""
    by_id = {c.id: c.key for c in project.codes()}
    return by_id[coding.code_id]


def spans_of(project: Project, key: str, name: str = SOURCE) -> set[tuple[int, int, str]]:
    """(start, end, valence) of the codings of one code in a source."""
    return {(c.start, c.end, c.valence) for c in codings(project, name)
            if code_key(project, c) == key}


def first_uncoded(project: Project, name: str = SOURCE, after: int = -1) -> int:
    """Index of the first informant segment after `after` that no coding overlaps."""
    spans = [(c.start, c.end) for c in codings(project, name)]
    for i, seg in enumerate(segments(project, name)):
        if i > after and not seg.is_interviewer and not any(
                a < seg.end and b > seg.start for a, b in spans):
            return i
    raise AssertionError("no uncoded segment")


def index_matches_store(app: QualcodeApp, project: Project) -> bool:
    """Whether the screen's in-memory coding index equals the store's codings."""
    screen = coding_screen(app)
    in_memory = {(c.id, c.start, c.end, c.code_id, c.valence, c.note)
                 for c in screen.index.by_id.values()}
    stored = {(c.id, c.start, c.end, c.code_id, c.valence, c.note)
              for c in project.codings_in(screen.source_id)}
    return in_memory == stored


async def auto_code(path: Path, count: int) -> None:
    """Headless: code `count` segments with the keys a researcher uses (u = next uncoded,
    1 = SOB-1), printing each committed coding's id as soon as the store returned it."""
    with Project.open(path) as proj:
        app = make_app(proj)
        async with app.run_test(size=SIZE) as pilot:
            screen = coding_screen(app)
            for _ in range(count):
                await pilot.press("u", "1")
                print(f"committed {screen.last_coding_id}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--auto":
        import asyncio

        asyncio.run(auto_code(Path(sys.argv[2]), int(sys.argv[3])))
    else:
        with Project.open(Path(sys.argv[1])) as proj:
            make_app(proj, sys.argv[2] if len(sys.argv) > 2 else SOURCE).run()
