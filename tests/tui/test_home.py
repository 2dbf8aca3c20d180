"""Home screen: sources by informant with coding progress, codebooks, activity, settings."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static, Tree

from qualcode.core.analysis.labels import role_label
from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.home import HomeScreen, progress_bar

SIZE = (100, 32)


def tree_lines(screen: HomeScreen) -> list[str]:
    """The plain labels of the source tree, depth-first."""
    tree: Tree[Any] = screen.query_one("#home-sources", Tree)
    out: list[str] = []
    stack = list(reversed(tree.root.children))
    while stack:
        node = stack.pop()
        out.append(str(node.label))
        stack.extend(reversed(node.children))
    return out


def code_first_segments(project: Project, source_id: int, n: int, code: str = "SOB-1") -> None:
    for segment in project.segments(source_id)[:n]:
        assert segment.id is not None
        project.apply_code_to_segments([segment.id], code)


def test_progress_bar_fills_in_eighths() -> None:
    assert progress_bar(0.0) == ("", "░" * 8)
    assert progress_bar(1.0) == ("█" * 8, "")
    filled, empty = progress_bar(0.5)
    assert filled == "████" and len(filled + empty) == 8


async def test_home_groups_sources_by_informant_with_progress(sample_project: Project) -> None:
    first = sample_project.sources()[0]
    assert first.id is not None
    segments = sample_project.segments(first.id)
    code_first_segments(sample_project, first.id, len(segments) // 2)
    spans = [(c.start, c.end) for c in sample_project.codings_in(first.id)]
    coded = sum(1 for g in segments if any(a < g.end and b > g.start for a, b in spans))
    expected = f"{round(100 * coded / len(segments)):>3}%"
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        lines = tree_lines(screen)
        informant = sample_project.informants()
        by_id = {i.id: i for i in informant}
        owner = by_id[first.informant_id]
        group = next(i for i, line in enumerate(lines) if line.startswith(owner.pseudonym))
        assert first.name in lines[group + 1] and expected in lines[group + 1]
        assert role_label(owner.role, "en") in lines[group]  # "Head", not "head"
        assert role_label(owner.role, "en") != owner.role
        # sources without an informant are grouped by kind
        loose = [s for s in sample_project.sources() if s.informant_id is None]
        for source in loose:
            assert any(source.name in line for line in lines)
        codebooks = str(screen.query_one("#home-codebooks", Static).content)
        for book in sample_project.codebooks():
            assert (book.key in codebooks) == book.active
        activity = str(screen.query_one("#home-activity", Static).content)
        assert "apply SOB-1" in activity


async def test_grouping_by_kind(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        lines = tree_lines(app.screen)  # type: ignore[arg-type]
        kinds = {s.kind for s in sample_project.sources()}
        headings = [line for line in lines if "%" not in line]
        assert sorted(h.split(" (")[0] for h in headings) == sorted(kinds)


async def test_enter_opens_the_source_under_the_cursor(sample_project: Project) -> None:
    app = QualcodeApp(sample_project)
    opened: list[int] = []
    app.open_source = lambda source_id, offset=None: opened.append(source_id)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        tree: Tree[Any] = screen.query_one("#home-sources", Tree)
        assert tree.cursor_node is not None and tree.cursor_node.data is not None
        await pilot.press("down", "down")  # the next informant's first source
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert tree.cursor_node is not None
        assert opened == [tree.cursor_node.data]
        assert opened[0] in {s.id for s in sample_project.sources()}


async def test_language_toggle_is_stored_and_retranslates(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="id")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        assert screen.sub_title.startswith("Beranda")
        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "en"
        assert sample_project.get_meta("ui_lang") == "en"
        assert screen.sub_title.startswith("Home")
        descriptions = {b.description for _k, b in screen._bindings}
        assert "Codebook" in descriptions and "Buku kode" not in descriptions
        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "id" and sample_project.get_meta("ui_lang") == "id"


async def test_theme_toggle_switches_light_and_dark(sample_project: Project) -> None:
    app = QualcodeApp(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        was_dark = app.current_theme.dark
        await pilot.press("t")
        await pilot.pause()
        assert app.current_theme.dark is not was_dark
        assert sample_project.get_meta("ui_theme") == app.theme


async def test_home_refreshes_after_undo(sample_project: Project) -> None:
    source = sample_project.sources()[0]
    assert source.id is not None
    segments = sample_project.segments(source.id)
    count = len(sample_project.codings())
    sample_project.apply_code(source.id, segments[0].start, segments[-1].end, "SIA-2")
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = next(line for line in tree_lines(app.screen) if source.name in line)  # type: ignore[arg-type]
        await pilot.press("ctrl+z")
        await pilot.pause()
        after = next(line for line in tree_lines(app.screen) if source.name in line)  # type: ignore[arg-type]
        assert len(sample_project.codings()) == count
        assert "100%" in before and "100%" not in after


async def test_keys_open_codebook_and_memos(sample_project: Project) -> None:
    from qualcode.tui.screens.codebook import CodebookScreen
    from qualcode.tui.screens.memos import MemosScreen

    app = QualcodeApp(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemosScreen)


def test_snapshot_home_80x24(sample_project: Project, snap_compare: Any) -> None:
    assert snap_compare(QualcodeApp(sample_project, lang="id"), terminal_size=(80, 24))


def test_snapshot_home_160x48(sample_project: Project, snap_compare: Any) -> None:
    assert snap_compare(QualcodeApp(sample_project, lang="en"), terminal_size=(160, 48))


async def test_empty_project_shows_how_to_import(project: Project) -> None:
    app = QualcodeApp(project, lang="en")
    opened: list[int] = []
    app.open_source = lambda source_id, offset=None: opened.append(source_id)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = tree_lines(app.screen)  # type: ignore[arg-type]
        assert len(lines) == 1 and "qualcode import" in lines[0]
        await pilot.press("enter")
        await pilot.pause()
        assert opened == [] and isinstance(app.screen, HomeScreen)


async def test_focus_group_listed_with_its_informants(project: Project) -> None:
    """A source whose speakers were mapped to informants is a group source with its
    informants, not an interview without an informant."""
    from people_fixture import DATA, FGD
    from qualcode.core.metadata import SpeakerTarget

    report = project.import_files([DATA / FGD], overrides={"language": "id"})
    assert not report.errors
    for lang, unmapped, heading in (
            ("en", "interview (no informant)", "group discussion: Bu Rina, Pak Dedi"),
            ("id", "wawancara (tanpa informan)", "diskusi kelompok: Bu Rina, Pak Dedi")):
        app = QualcodeApp(project, lang=lang)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, HomeScreen)
            lines = tree_lines(screen)
            assert lines.index(unmapped) + 1 == next(
                i for i, line in enumerate(lines) if FGD in line)  # nobody mapped yet
            project.map_speakers(FGD, {"Bu Rina": SpeakerTarget("Bu Rina"),
                                       "Pak Dedi": SpeakerTarget("Pak Dedi")})
            screen.refresh_data()
            await pilot.pause()
            lines = tree_lines(screen)
            assert unmapped not in lines
            assert FGD in lines[lines.index(heading) + 1]
        project.map_speakers(FGD, {"Bu Rina": SpeakerTarget(""), "Pak Dedi": SpeakerTarget("")})
