"""`qualcode agreement` on the bundled sample project (two coders)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text

runner = CliRunner()
WIDE = {"COLUMNS": "200"}


def test_agreement_prints_table_notes_and_sentence(sample_project_file: Path,
                                                   tmp_path: Path) -> None:
    target = tmp_path / "s.qualcode"
    shutil.copy(sample_project_file, target)
    result = runner.invoke(app, ["agreement", "-p", str(target), "--lang", "en",
                                 "-c", "sobandi-2008"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "All codes" in result.stdout and "SOB-5" in result.stdout
    assert "Two coders (asisten, peneliti) each coded" in result.stdout
    assert "Landis & Koch" in result.stdout


def test_agreement_writes_every_table_format(sample_project_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "s.qualcode"
    shutil.copy(sample_project_file, target)
    for suffix in ("csv", "xlsx", "docx", "tex", "md"):
        out = tmp_path / f"agreement.{suffix}"
        result = runner.invoke(app, ["agreement", "-p", str(target), "--out", str(out)],
                               env=WIDE)
        assert result.exit_code == 0, result.output
        assert out.exists()
    text = (tmp_path / "agreement.md").read_text(encoding="utf-8")
    assert "Krippendorff" in text and "asisten, peneliti" in text


def test_agreement_user_mistakes_are_one_line(sample_project_file: Path,
                                              tmp_path: Path) -> None:
    target = tmp_path / "s.qualcode"
    shutil.copy(sample_project_file, target)
    result = runner.invoke(app, ["agreement", "-p", str(target), "--coders", "asisten,zoe"])
    assert result.exit_code == 2 and "no codings by coder 'zoe'" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["agreement", "-p", str(target), "--coders", "asisten"])
    assert result.exit_code == 2 and "at least two coders" in result.output


def test_agreement_help_documents_the_units() -> None:
    result = runner.invoke(app, ["agreement", "--help"], env=WIDE)
    assert result.exit_code == 0
    for phrase in ("Segments:", "Characters:", "unitized alpha", "Example:"):
        assert phrase in result.stdout


def test_indonesian_notes_write_the_alpha_bands_with_decimal_commas(
        sample_project_file: Path, tmp_path: Path) -> None:
    """The Indonesian notes printed 0,80 for α but its bands as 0.800 / 0.667."""
    target = tmp_path / "s.qualcode"
    shutil.copy(sample_project_file, target)
    result = runner.invoke(app, ["agreement", "-p", str(target), "--lang", "id",
                                 "-c", "sobandi-2008"], env=WIDE)
    assert result.exit_code == 0, result.output
    printed = " ".join(result.stdout.split())  # the notes wrap at the terminal's width
    assert "≥ 0,800 reliabel, ≥ 0,667" in printed
    assert "0.800" not in printed and "0.667" not in printed
