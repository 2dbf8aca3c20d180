"""`qualcode matrix / conclusions / export / chart / optable` on the bundled sample project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from defusedxml import ElementTree
from typer.testing import CliRunner

from qualcode.cli import analysis as cli_analysis
from qualcode.cli.common import QualcodeTyper

runner = CliRunner()
WIDE = {"COLUMNS": "250"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _app() -> typer.Typer:
    """The real app once cli.py registers the analysis commands; until then a test app."""
    from qualcode.cli import app

    if "matrix" in {c.name for c in app.registered_commands}:
        return app
    test_app = QualcodeTyper(no_args_is_help=True)
    cli_analysis.register(test_app)
    return test_app


APP = _app()


@pytest.fixture
def project_file(sample_project_file: Path, tmp_path: Path) -> Path:
    """A private copy of the sample project file."""
    target = tmp_path / "sample.qualcode"
    shutil.copy(sample_project_file, target)
    return target


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(APP, list(args), env=env or WIDE)
    return result.exit_code, result.stdout, result.stderr


def printed_rows(output: str) -> dict[str, list[str]]:
    """Code label -> cells of each body row of a printed rich table with data in its cells."""
    rows = {}
    for line in output.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if any(cells[1:]):
            rows[cells[0]] = cells[1:]
    return rows


def test_every_analysis_command_has_an_example() -> None:
    commands = {c.name: c.callback for c in APP.registered_commands}
    for name in ("matrix", "conclusions", "export", "chart", "optable"):
        assert "Example: `qualcode " in (commands[name].__doc__ or ""), name


def test_matrix_shows_the_numbers_the_xlsx_export_holds(project_file: Path,
                                                        tmp_path: Path) -> None:
    from openpyxl import load_workbook

    code, out, _ = run("matrix", "clustered", "-p", str(project_file), "--lang", "en")
    assert code == 0
    assert "Conceptually clustered matrix: codings" in out
    shown = printed_rows(out)
    assert "Expertise" in shown and len(shown) >= 10

    target = tmp_path / "tables.xlsx"
    code, _, _ = run("export", str(target), "--what", "clustered", "-p", str(project_file),
                     "--lang", "en")
    assert code == 0
    book = load_workbook(target)
    assert len(book.sheetnames) == 2          # counts and +/−
    ws = book.worksheets[0]
    assert ws["A1"].value == "Conceptually clustered matrix: codings"
    written = {}
    for row in ws.iter_rows(min_row=3, values_only=True):
        if row[1] and all(isinstance(v, int) for v in row[2:] if v is not None):
            written[row[1]] = [str(v) for v in row[2:] if v is not None]
    assert written and shown == {label: written[label] for label in shown}
    assert sum(int(v) for v in shown["Expertise"]) > 0


def test_matrix_valence_cells_match_the_docx_export(project_file: Path, tmp_path: Path) -> None:
    from docx import Document

    code, out, _ = run("matrix", "role", "--cell", "valence", "-p", str(project_file))
    assert code == 0
    shown = printed_rows(out)
    target = tmp_path / "role.docx"
    code, stdout, _ = run("matrix", "role", "--cell", "valence", "-p", str(project_file),
                          "--out", str(target))
    assert code == 0 and str(target) in stdout
    table = Document(str(target)).tables[0]
    written = {row.cells[1].text: [c.text for c in row.cells[2:]] for row in table.rows[2:]}
    assert "Harus ahli" in shown
    for label, cells in shown.items():
        if label in written:
            assert cells == written[label], label


@pytest.mark.parametrize("cell", ["presence", "summaries", "quotes"])
def test_matrix_cell_kinds_export_the_core_frame(project_file: Path, tmp_path: Path,
                                                 cell: str) -> None:
    from openpyxl import load_workbook

    from qualcode.core.analysis.display import clustered_matrix
    from qualcode.core.export.flat_table import flatten, scalar
    from qualcode.core.export.xlsx import body_start
    from qualcode.core.store import Project

    target = tmp_path / f"{cell}.xlsx"
    assert run("matrix", "clustered", "--cell", cell, "-p", str(project_file),
               "--out", str(target))[0] == 0
    with Project.open(project_file) as proj:
        display = clustered_matrix(proj, cell=cell)
    ws = load_workbook(target).active
    first = body_start(flatten(display))
    for r, values in enumerate(display.frame.itertuples(index=False, name=None)):
        got = [ws.cell(row=first + r, column=3 + c).value for c in range(len(values))]
        assert got == [None if scalar(v) == "" else scalar(v) for v in values]


def test_export_all_to_xlsx_has_one_sheet_per_display(project_file: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "all.xlsx"
    code, _, err = run("export", str(target), "-p", str(project_file))
    assert code == 0, err
    names = load_workbook(target).sheetnames
    expected = sum(len(v) for v in cli_analysis.VARIANTS.values())
    assert len(names) == expected == len({n.lower() for n in names})
    assert all(len(n) <= 31 for n in names)


@pytest.mark.parametrize("suffix", ["docx", "md", "tex"])
def test_export_all_as_paper_tables(project_file: Path, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"all.{suffix}"
    code, _, err = run("export", str(target), "-p", str(project_file), "--lang", "en")
    assert code == 0, err
    tables = sum(len(v) for k, v in cli_analysis.VARIANTS.items()
                 if k not in cli_analysis.LISTING_ONLY)
    if suffix == "docx":
        from docx import Document

        assert len(Document(str(target)).tables) == tables
    else:
        lines = target.read_text("utf-8").splitlines()
        marker = r"\toprule" if suffix == "tex" else "| ---"
        assert sum(line.startswith(marker) for line in lines) == tables


def test_export_csv_writes_one_file_per_display(project_file: Path, tmp_path: Path) -> None:
    code, out, _ = run("export", str(tmp_path / "t.csv"), "--what", "triangulation,frequency",
                       "-p", str(project_file))
    assert code == 0
    assert sorted(p.name for p in tmp_path.glob("t-*.csv")) == [
        "t-frequency_code.csv", "t-frequency_kind.csv", "t-frequency_valence.csv",
        "t-triangulation_informant.csv", "t-triangulation_kind.csv"]
    assert out.count("ditulis") == 5


def test_conclusions_print_and_report(project_file: Path, tmp_path: Path) -> None:
    code, out, _ = run("conclusions", "-c", "sobandi-2008", "-p", str(project_file),
                       "--lang", "en")
    assert code == 0
    assert "1. Expertise (SOB-1)" in out and "6. " in out
    assert "Verdict:" in out and "Proposed verdict:" in out
    assert "Triangulation" in out and ("✓" in out or "✗" in out)
    target = tmp_path / "results.md"
    code, _, _ = run("conclusions", "-c", "sobandi-2008", "-p", str(project_file),
                     "--out", str(target))
    assert code == 0
    md = target.read_text("utf-8")
    assert md.count("\n## ") == 8                # method, six characteristics, summary
    assert "## Metode" in md and "Bab ini mencakup: " in md
    assert "### Bukti pendukung" in md and "> *“" in md


def test_chart_terminal_and_figures(project_file: Path, tmp_path: Path) -> None:
    code, out, _ = run("chart", "-p", str(project_file), "--lang", "en")
    assert code == 0
    assert "Code frequencies by valence" in out and "Expertise" in out and "█" in out
    png = tmp_path / "v.png"
    assert run("chart", "-p", str(project_file), "--out", str(png))[0] == 0
    assert png.read_bytes()[:8] == PNG_SIGNATURE
    svg = tmp_path / "net.svg"
    assert run("chart", "--kind", "network", "-p", str(project_file), "--out", str(svg))[0] == 0
    assert ElementTree.parse(svg).getroot().tag.endswith("svg")
    net = tmp_path / "c.png"
    assert run("matrix", "cooccurrence", "--measure", "c", "-p", str(project_file),
               "--out", str(net))[0] == 0
    assert net.read_bytes()[:8] == PNG_SIGNATURE


def test_optable_from_a_bundled_codebook_without_project(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from docx import Document

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QUALCODE_PROJECT", raising=False)
    code, out, _ = run("optable", "sobandi-2008")
    assert code == 0 and "Harus ahli" in out and "Menguasai pekerjaannya" in out
    target = tmp_path / "op.docx"
    assert run("optable", "sobandi-2008", "--lang", "en", "--out", str(target))[0] == 0
    table = Document(str(target)).tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Research focus", "Characteristic", "Parameters", "Data sources"]
    assert len(table.rows) == 7
    assert table.cell(1, 0)._tc is table.cell(6, 0)._tc     # the focus spans the six rows
    assert table.cell(1, 2).text.startswith("a. Masters the job\nb. ")


def test_optable_from_the_project(project_file: Path) -> None:
    code, out, _ = run("optable", "sobandi-2008", "-p", str(project_file), "--lang", "en")
    assert code == 0 and "Expertise" in out


@pytest.mark.parametrize(("args", "message"), [
    (["matrix", "nonsense"], "error: unknown display 'nonsense'"),
    (["matrix", "clustered", "--out", "x.jpg"], "unknown export format ('.jpg')"),
    (["matrix", "clustered", "--out", "missing/x.xlsx"], "does not exist"),
    (["matrix", "cooccurrence", "--cell", "valence"], "--cell does not apply"),
    (["export", "x.pdf"], "unknown export format"),
    (["export", "t.xlsx", "--what", "clustered,bogus"], "unknown display 'bogus'"),
    (["export", "missing/t.docx"], "does not exist"),
    (["conclusions", "--out", "r.xlsx"], "unknown export format ('.xlsx')"),
    (["chart", "--kind", "network"], "give --out"),
    (["chart", "--kind", "pie"], "unknown chart kind"),
    (["optable", "no-such-book"], "no codebook named 'no-such-book'"),
])
def test_bad_input_is_one_line_and_exit_code_2(project_file: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               args: list[str], message: str) -> None:
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")   # no .qualcode file here
    if args[0] != "optable":
        args = [*args, "-p", str(project_file)]
    code, _, err = run(*args, env={**WIDE, "LANGUAGE": "en"})
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[0].startswith("error: ") and message in lines[0]
    assert len(lines) <= 2 and "Traceback" not in err


def test_export_of_every_display_for_a_chosen_coder(sample_project_file: Path,
                                                    tmp_path: Path) -> None:
    """`--coder` reaches every display that counts codings (retrieval included); the ones that
    count none (summaries, operationalisation) are exported as they are, not refused."""
    import openpyxl

    out = tmp_path / "all.xlsx"
    code, _, err = run("export", str(out), "-p", str(sample_project_file), "--coder", "asisten",
                       "--lang", "en")
    assert code == 0, err
    book = openpyxl.load_workbook(out, read_only=True)
    sheet = next(ws for ws in book.worksheets if "etrieval" in ws.title or "xcerpt" in ws.title)
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0]]
    header = next(i for i, r in enumerate(rows) if "Coder" in r)
    coder_col = rows[header].index("Coder")
    coders = {r[coder_col] for r in rows[header + 1:] if len(r) > coder_col and r[coder_col]}
    assert coders == {"asisten"}
