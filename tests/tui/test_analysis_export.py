"""Export from the TUI: the dialog (what, format, file in the project's folder), the work in a
worker, the written file opened with its own library, and errors shown as notifications."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
from docx import Document
from textual.pilot import Pilot
from textual.widgets import Input, Select

from qualcode.core.analysis.catalogue import ALL_DISPLAYS, build_choice, export_folder
from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.analysis import AnalysisScreen
from qualcode.tui.screens.conclusions import ConclusionsScreen
from qualcode.tui.screens.export_dialog import ExportDialog
from qualcode.tui.screens.matrix_view import MatrixScreen

SIZE = (120, 40)


async def settle(app: QualcodeApp, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def messages(app: QualcodeApp, severity: str = "information") -> list[str]:
    return [n.message for n in app._notifications if n.severity == severity]


async def test_current_display_to_xlsx_holds_the_screen_numbers(sample_project: Project,
                                                                tmp_path: Path) -> None:
    target = tmp_path / "matrix.xlsx"
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = MatrixScreen("clustered:counts", codebook="sobandi-2008")
        await app.push_screen(screen)
        await settle(app, pilot)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#ex-path", Input).value.endswith("-clustered.xlsx")
        dialog.query_one("#ex-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert any(str(target) in m for m in messages(app))
    display = build_choice(sample_project, "clustered:counts", codebook="sobandi-2008",
                           lang="en")
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    expertise = next(r for r in rows if "Expertise" in r)
    numbers = [v for v in expertise if isinstance(v, int)]
    assert numbers == display.frame.iloc[display.row_keys.index("SOB-1")].tolist()


async def test_default_file_is_in_the_project_folder_and_format_sets_suffix(
        sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(AnalysisScreen())
        await pilot.pause()
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.folder == export_folder(sample_project)
        assert dialog.target().parent == export_folder(sample_project)
        assert dialog.target().suffix == ".xlsx"
        dialog.query_one("#ex-format", Select).value = "md"
        await pilot.pause()
        assert dialog.target().suffix == ".md"
        dialog.query_one("#ex-what", Select).value = "report"
        await pilot.pause()
        assert dialog.target().name.endswith("-conclusions.docx")
        await pilot.press("escape")
        assert isinstance(app.screen, AnalysisScreen)


async def export_all(app: QualcodeApp, pilot: Pilot[Any], target: Path,
                     fmt: str | None = None) -> None:
    """From the hub: `x`, every display, to `target` (in `fmt` if given)."""
    await app.push_screen(AnalysisScreen())
    await pilot.pause()
    await pilot.press("x")
    if fmt is not None:
        app.screen.query_one("#ex-format", Select).value = fmt
        await pilot.pause()
    app.screen.query_one("#ex-path", Input).value = str(target)
    await pilot.press("ctrl+s")
    await settle(app, pilot)


async def test_all_displays_to_xlsx_one_sheet_each(sample_project: Project,
                                                   tmp_path: Path) -> None:
    target = tmp_path / "all.xlsx"
    app = QualcodeApp(sample_project, lang="id")
    async with app.run_test(size=SIZE) as pilot:
        await export_all(app, pilot, target)
    assert len(openpyxl.load_workbook(target).sheetnames) == len(ALL_DISPLAYS)


async def test_all_displays_to_csv_one_file_each_and_one_message(sample_project: Project,
                                                                   tmp_path: Path) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await export_all(app, pilot, tmp_path / "all.csv", "csv")
        written = [m for m in messages(app) if "written" in m]
    files = sorted(tmp_path.glob("all-*.csv"))
    assert len(files) == len(ALL_DISPLAYS)  # the two clustered matrices no longer share one
    assert len(written) == 1 and f"{len(files)} files written in {tmp_path}" in written[0]
    counts, signs = (read_csv(tmp_path / f"all-clustered_{cell}.csv")
                     for cell in ("counts", "valence"))
    assert counts[0][:2] == signs[0][:2] == ["Group", "Code"]
    assert all(cell.isdigit() for row in counts[1:] for cell in row[2:] if cell)
    assert any("+" in cell for row in signs[1:] for cell in row[2:])


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


async def test_conclusions_report_to_docx(sample_project: Project, tmp_path: Path) -> None:
    target = tmp_path / "results.docx"
    sample_project.set_conclusion("SOB-1", verdict="not_effective", decided_by="ani")
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ConclusionsScreen(codebook="sobandi-2008"))
        await settle(app, pilot)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and dialog.what == "report"
        dialog.query_one("#ex-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "Expertise" in text and "Not effective" in text


async def test_chart_to_png(sample_project: Project, tmp_path: Path) -> None:
    target = tmp_path / "chart"
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(MatrixScreen("frequency:valence"))
        await settle(app, pilot)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#ex-what", Select).value = "chart"
        await pilot.pause()
        dialog.query_one("#ex-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


async def test_missing_folder_is_refused_in_the_dialog(sample_project: Project,
                                                       tmp_path: Path) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(AnalysisScreen())
        await pilot.pause()
        await pilot.press("x")
        app.screen.query_one("#ex-path", Input).value = str(tmp_path / "nope" / "t.xlsx")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "does not exist" in str(app.screen.query_one("#form-error").render())


async def test_a_path_through_a_file_is_refused_in_the_dialog_in_indonesian(
        sample_project: Project, tmp_path: Path) -> None:
    blocker = tmp_path / "catatan.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    app = QualcodeApp(sample_project, lang="id")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(AnalysisScreen())
        await pilot.pause()
        await pilot.press("x")
        app.screen.query_one("#ex-path", Input).value = str(blocker / "t.xlsx")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)  # the path stays there to correct
        shown = str(app.screen.query_one("#form-error").render())
        assert "adalah berkas, bukan folder" in shown
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


async def test_a_failing_export_is_an_error_notification(sample_project: Project,
                                                         tmp_path: Path) -> None:
    def broken(path: Path) -> list[Path]:
        raise PermissionError(f"{path}: permission denied")

    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = AnalysisScreen()
        await app.push_screen(screen)
        await pilot.pause()
        screen.start_export(broken, tmp_path / "x.xlsx")
        await settle(app, pilot)
        errors = messages(app, "error")
        assert errors and "permission denied" in errors[-1]


async def test_an_existing_file_is_replaced_only_after_confirming(sample_project: Project,
                                                                  tmp_path: Path) -> None:
    from qualcode.tui.screens.export_dialog import ReplaceDialog

    target = tmp_path / "matrix.xlsx"
    target.write_bytes(b"the researcher's own workbook")
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = MatrixScreen("clustered:counts", codebook="sobandi-2008")
        await app.push_screen(screen)
        await settle(app, pilot)
        for answer in ("n", "y"):
            await pilot.press("e")
            app.screen.query_one("#ex-path", Input).value = str(target)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ReplaceDialog)
            await pilot.press(answer)
            await settle(app, pilot)
            if answer == "n":   # back in the export dialog, the old file untouched
                assert isinstance(app.screen, ExportDialog)
                assert target.read_bytes() == b"the researcher's own workbook"
                await pilot.press("escape")
                await pilot.pause()
        assert app.screen is screen
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None and any("Expertise" in r for r in sheet.iter_rows(values_only=True))
    assert not [p for p in tmp_path.iterdir() if ".partial" in p.name]
