"""The export dialog's paper (A4 / Letter, saved as the project's setting the CLI's --paper
writes) and figures (each table followed by its figure, Word and LaTeX): the written files
opened with their own library."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Mm
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select

from qualcode.core.analysis.catalogue import all_displays
from qualcode.core.export.figures import has_figure
from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.analysis import AnalysisScreen
from qualcode.tui.screens.export_dialog import ExportDialog, ReplaceDialog
from qualcode.tui.screens.matrix_view import MatrixScreen

SIZE = (120, 44)


async def settle(app: QualcodeApp, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_hub_dialog(app: QualcodeApp, pilot: Pilot[Any]) -> ExportDialog:
    await app.push_screen(AnalysisScreen())
    await pilot.pause()
    await pilot.press("x")
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    return dialog


async def choose(dialog: ExportDialog, pilot: Pilot[Any], *, fmt: str, path: Path,
                 paper: str | None = None, figures: bool = False) -> None:
    """Pick the format, the paper, tick the figures box (by a click), type the file, export."""
    dialog.query_one("#ex-format", Select).value = fmt
    await pilot.pause()
    if paper is not None:
        dialog.query_one("#ex-paper", Select).value = paper
        await pilot.pause()
    if figures:
        await pilot.click("#ex-figures")
        await pilot.pause()
        assert dialog.query_one("#ex-figures", Checkbox).value
    dialog.query_one("#ex-path", Input).value = str(path)
    await pilot.press("ctrl+s")


async def test_all_displays_to_word_on_letter_with_figures(sample_project: Project,
                                                            tmp_path: Path) -> None:
    target = tmp_path / "tables.docx"
    assert sample_project.get_meta("paper") in (None, "")
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_hub_dialog(app, pilot)
        assert dialog.query_one("#ex-paper", Select).value == "a4"   # nothing saved yet
        await choose(dialog, pilot, fmt="docx", path=target, paper="letter", figures=True)
        await settle(app, pilot)
        assert sample_project.get_meta("paper") == "letter"   # as `--paper letter` saves it
        await pilot.press("escape")
        await pilot.pause()
        again = await open_hub_dialog(app, pilot)               # the saved choice is proposed
        assert again.query_one("#ex-paper", Select).value == "letter"
    doc = Document(str(target))
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    width, height = sorted((section.page_width / Mm(1), section.page_height / Mm(1)))
    assert (round(width, 1), round(height, 1)) == (215.9, 279.4)
    drawn = [d for d in all_displays(sample_project, lang="en") if has_figure(d)]
    assert len(drawn) >= 3 and len(doc.inline_shapes) == len(drawn)
    captions = [p.text for p in doc.paragraphs if p.style is not None
                and p.style.name == "Caption" and p.text.startswith("Figure ")]
    assert captions == [f"Figure {n}. {d.title}" for n, d in enumerate(drawn, start=1)]


async def test_word_without_figures_on_the_default_a4(sample_project: Project,
                                                      tmp_path: Path) -> None:
    target = tmp_path / "tables.docx"
    app = QualcodeApp(sample_project, lang="id")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_hub_dialog(app, pilot)
        await choose(dialog, pilot, fmt="docx", path=target)
        await settle(app, pilot)
    doc = Document(str(target))
    assert len(doc.inline_shapes) == 0
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert sorted(round(v / Mm(1)) for v in (section.page_width, section.page_height)) == [
        210, 297]
    assert sample_project.get_meta("paper") == "a4"


async def test_paper_and_figures_only_where_they_apply(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_hub_dialog(app, pilot)
        paper = dialog.query_one("#ex-paper", Select)
        figures = dialog.query_one("#ex-figures", Checkbox)
        assert dialog.chosen_format() == "xlsx" and paper.disabled and figures.disabled
        dialog.query_one("#ex-format", Select).value = "tex"
        await pilot.pause()
        assert not paper.disabled and not figures.disabled
        dialog.query_one("#ex-what", Select).value = "report"   # the report: paper, no figures
        await pilot.pause()
        assert dialog.chosen_format() == "docx" and not paper.disabled and figures.disabled
        figures.value = True
        assert dialog.options() == ("a4", False)


async def test_the_matrix_on_screen_to_latex_with_its_figure(sample_project: Project,
                                                             tmp_path: Path) -> None:
    target = tmp_path / "matriks.tex"
    app = QualcodeApp(sample_project, lang="id")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(MatrixScreen("clustered:counts", codebook="sobandi-2008"))
        await settle(app, pilot)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await choose(dialog, pilot, fmt="tex", path=target, figures=True)
        await settle(app, pilot)
    text = target.read_text(encoding="utf-8")
    assert "\\renewcommand{\\figurename}{Gambar}" in text and "a4paper" in text
    included = re.findall(r"\\includegraphics\[[^]]*\]\{([^}]*)\}", text)
    assert included == ["matriks-figures/figure-1.pdf"]
    assert (tmp_path / included[0]).read_bytes().startswith(b"%PDF-")


async def test_an_existing_figure_file_asks_before_it_is_replaced(sample_project: Project,
                                                                  tmp_path: Path) -> None:
    target = tmp_path / "m.tex"
    (tmp_path / "m-figures").mkdir()
    old = tmp_path / "m-figures" / "figure-1.pdf"
    old.write_bytes(b"the researcher's own figure")
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(MatrixScreen("clustered:counts", codebook="sobandi-2008"))
        await settle(app, pilot)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await choose(dialog, pilot, fmt="tex", path=target, figures=True)
        await pilot.pause()
        assert isinstance(app.screen, ReplaceDialog)
        assert "figure-1.pdf" in " ".join(p.name for p in app.screen.paths)
        await pilot.press("n")
        await pilot.pause()
        assert not target.exists() and old.read_bytes() == b"the researcher's own figure"
