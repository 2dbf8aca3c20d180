"""LaTeX with figures (`export x.tex --figures`): a PDF per drawn display beside the .tex,
included with numbered captions in the paper's language, written safely. No LaTeX compiler is
installed here, so the document's structure is checked as text, and each included file is
checked to be a PDF with a page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.core.analysis.display import DISPLAYS
from qualcode.core.atomic import FileExistsRefused
from qualcode.core.export import ExportError, export_displays
from qualcode.core.export.latex_figures import figures_folder
from qualcode.core.store import Project

FIGURE = re.compile(r"\\begin\{figure\}\[htbp\]\n\\centering\n\\includegraphics\[[^]]*\]"
                    r"\{([^}]*)\}\n\\caption\{([^}]*)\}\n\\label\{fig:[^}]*\}\n\\end\{figure\}")


def displays(project: Project, lang: str = "id") -> list:  # type: ignore[type-arg]
    return [DISPLAYS["summaries"](project, lang=lang),            # text: no figure
            DISPLAYS["clustered"](project, lang=lang, codebook="sobandi-2008"),
            DISPLAYS["frequency"](project, lang=lang)]


def test_figures_are_pdfs_beside_the_tex_included_and_numbered(sample_project: Project,
                                                                tmp_path: Path) -> None:
    shown = displays(sample_project)
    target = tmp_path / "bab 4.tex"
    written = export_displays(shown, target, figures=True)
    folder = tmp_path / "bab-4-figures"
    assert written == [target, folder / "figure-1.pdf", folder / "figure-2.pdf"]
    text = target.read_text(encoding="utf-8")
    assert "\\usepackage{booktabs,graphicx,amssymb}" in text
    assert "\\renewcommand{\\figurename}{Gambar}" in text
    assert "\\renewcommand{\\tablename}{Tabel}" in text
    figures = FIGURE.findall(text)
    assert [f for f, _ in figures] == ["bab-4-figures/figure-1.pdf", "bab-4-figures/figure-2.pdf"]
    assert [c for _, c in figures] == [shown[1].title, shown[2].title]
    for relative, _caption in figures:   # every included file exists and is a PDF
        pdf = (target.parent / relative).read_bytes()
        assert pdf.startswith(b"%PDF-") and b"/Type /Page" in pdf
    # tables and figures alternate as in the paper: table 1 (no figure), table 2, its figure, ...
    order = re.findall(r"\\begin\{(table|figure)\}", text)
    assert order == ["table", "table", "figure", "table", "figure"]
    assert text.index("\\end{document}") > text.rindex("\\end{figure}")
    assert not [p for p in tmp_path.rglob("*") if ".partial" in p.name]


def test_english_document_names_figures_figure(sample_project: Project, tmp_path: Path) -> None:
    target = tmp_path / "tables.tex"
    export_displays(displays(sample_project, "en")[1:2], target, figures=True, paper="letter")
    text = target.read_text(encoding="utf-8")
    assert "\\renewcommand{\\figurename}{Figure}" in text and "letterpaper" in text
    assert len(FIGURE.findall(text)) == 1
    assert (tmp_path / "tables-figures" / "figure-1.pdf").is_file()


def test_without_figures_the_tex_has_none_and_no_folder(sample_project: Project,
                                                        tmp_path: Path) -> None:
    export_displays(displays(sample_project), tmp_path / "t.tex")
    assert "\\begin{figure}" not in (tmp_path / "t.tex").read_text(encoding="utf-8")
    assert not (tmp_path / "t-figures").exists()


def test_an_existing_figure_is_refused_without_force(sample_project: Project,
                                                     tmp_path: Path) -> None:
    target = tmp_path / "t.tex"
    folder = figures_folder(target)
    folder.mkdir()
    (folder / "figure-2.pdf").write_bytes(b"the researcher's own drawing")
    with pytest.raises(FileExistsRefused, match=r"figure-2\.pdf"):
        export_displays(displays(sample_project), target, figures=True)
    assert not target.exists() and sorted(p.name for p in folder.iterdir()) == ["figure-2.pdf"]
    written = export_displays(displays(sample_project), target, figures=True, force=True)
    assert (folder / "figure-2.pdf").read_bytes().startswith(b"%PDF-") and len(written) == 3


def test_a_failing_tex_leaves_no_figures_behind(sample_project: Project, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from qualcode.core.export import latex_figures

    def broken(*_args: object) -> Path:
        raise OSError(28, "No space left on device")

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(latex_figures, "_write_text", broken)
    with pytest.raises(ExportError, match="No space left"):
        export_displays(displays(sample_project), out / "t.tex", figures=True)
    assert sorted(out.iterdir()) == []


def test_a_file_named_like_the_figures_folder_is_refused(sample_project: Project,
                                                         tmp_path: Path) -> None:
    (tmp_path / "t-figures").write_text("notes", encoding="utf-8")
    with pytest.raises(ExportError, match="folder of this name"):
        export_displays(displays(sample_project), tmp_path / "t.tex", figures=True)
    assert not (tmp_path / "t.tex").exists()


def test_cli_export_tex_with_figures(sample_project_file: Path, tmp_path: Path) -> None:
    target, copy = tmp_path / "x.tex", tmp_path / "sample.qualcode"
    shutil.copy(sample_project_file, copy)
    args = ["export", str(target), "-p", str(copy), "--what",
            "clustered,frequency", "--figures", "--lang", "en"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    included = FIGURE.findall(target.read_text(encoding="utf-8"))
    assert included and all((tmp_path / f).is_file() for f, _ in included)
    again = CliRunner().invoke(app, args)
    assert again.exit_code != 0 and "exists already" in again.output
