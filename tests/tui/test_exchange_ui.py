"""REFI-QDA from the terminal UI: the export dialog writes .qdpx and .qdc; a .qdpx typed into
the import dialog becomes a new project beside it, and the dialog lists what was left out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from test_analysis_export import SIZE, messages
from test_import_dialog import _lines, _run_import
from textual.widgets import Select, Static

from exchange_fixtures import TEXT, project_xml, span_of, write_qdpx
from qualcode.core.exchange.qdc_read import read_qdc
from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp


async def test_export_dialog_writes_the_project_as_qdpx(sample_project: Project,
                                                        tmp_path: Path) -> None:
    target = tmp_path / "study.qdpx"
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        from qualcode.tui.screens.analysis import AnalysisScreen

        await app.push_screen(AnalysisScreen())
        await pilot.pause()
        await pilot.press("x")
        app.screen.query_one("#ex-what", Select).value = "project"
        await pilot.pause()
        assert app.screen.query_one("#ex-format", Select).value == "qdpx"
        from textual.widgets import Input

        app.screen.query_one("#ex-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(str(target) in m for m in messages(app))
    from qualcode.core.exchange.qdpx_build import import_qdpx

    result = import_qdpx(target, tmp_path / "back.qualcode")
    assert result.counts["codings"] == len(sample_project.codings())


async def test_export_dialog_writes_the_codebooks_as_qdc(sample_project: Project,
                                                         tmp_path: Path) -> None:
    target = tmp_path / "codes.qdc"
    app = QualcodeApp(sample_project, lang="id")
    async with app.run_test(size=SIZE) as pilot:
        from textual.widgets import Input

        from qualcode.tui.screens.analysis import AnalysisScreen

        await app.push_screen(AnalysisScreen())
        await pilot.pause()
        await pilot.press("x")
        app.screen.query_one("#ex-what", Select).value = "codebook"
        await pilot.pause()
        app.screen.query_one("#ex-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    keys = {c.key for spec in read_qdc(target).specs for c, _p in spec.iter_codes()}
    assert keys == {c.key for c in sample_project.codes()}


async def test_import_dialog_turns_a_qdpx_into_a_new_project(project: Project,
                                                             tmp_path: Path) -> None:
    extra = ('<PictureSource guid="0f5a5b1e-0000-4000-8000-000000000031" name="foto" '
             'path="internal://x.jpg"/>')
    archive = write_qdpx(tmp_path / "dari-nvivo.qdpx",
                         project_xml("internal://t.txt", *span_of(TEXT), extra_sources=extra),
                         {"Sources/t.txt": TEXT.encode()})
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await _run_import(app, pilot, str(archive))
        status = str(dialog.query_one("#import-status", Static).render())
        assert "dari-nvivo.qualcode" in status
        text = _lines(dialog)
        assert "Sources/" in text and "foto" in text
        await pilot.press("escape")
    con = sqlite3.connect(tmp_path / "dari-nvivo.qualcode")
    assert con.execute("SELECT count(*) FROM coding").fetchone() == (1,)
    assert project.counts()["sources"] == 0   # the open project is untouched
