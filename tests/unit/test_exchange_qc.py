"""Exchange with qc (PyPI `qualitative-coding`), a real program reading and writing REFI-QDA.

qc cannot live in qualcode's environment (qc 1.7.8 pins rich<14, which Textual cannot use; older
releases pin numpy<2), so these tests run qc from its own environment named by QUALCODE_QC:

    python3 -m venv /tmp/qc && /tmp/qc/bin/pip install qualitative-coding==1.7.8
    QUALCODE_QC=/tmp/qc/bin/qc uv run pytest tests/unit/test_exchange_qc.py

qc is AGPL-licensed, so its demo project and its NVivo-made export are read from the installed
package at test time, never copied into this repository.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import zipfile
from bisect import bisect_left
from pathlib import Path

import pytest

from qualcode.core.exchange.positions import newline_positions
from qualcode.core.exchange.qdpx_build import import_qdpx
from qualcode.core.exchange.qdpx_write import export_qdpx

QC = os.environ.get("QUALCODE_QC", "")
if os.environ.get("CI") and not (QC and Path(QC).exists()):  # .ci/run installs qc: never skip
    raise RuntimeError("CI: QUALCODE_QC must name a qc executable (.ci/run installs one)")
pytestmark = pytest.mark.skipif(
    not QC or not Path(QC).exists(),
    reason="qc is not installed here: set QUALCODE_QC to a qc executable (see module docstring)")


def qc_data() -> Path:
    """The folder of the installed qualitative_coding package."""
    python = Path(QC).with_name("python")
    out = subprocess.run([str(python), "-c", "import qualitative_coding as q; "
                          "print(list(q.__path__)[0])"],
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def test_qc_demo_project_imports(tmp_path: Path) -> None:
    archive = qc_data() / "demo.qdpx"
    qde = zipfile.ZipFile(archive).read("project.qde").decode()
    result = import_qdpx(archive, tmp_path / "demo.qualcode")
    assert result.counts["codings"] == qde.count("<Coding ")
    assert result.counts["codes"] == qde.count("<Code ")
    con = sqlite3.connect(result.path)
    rows = con.execute('SELECT s.text, c.start, c."end", c.coder FROM coding c '
                       "JOIN source s ON s.id = c.source_id").fetchall()
    # qc codes whole lines: every selection is one line of its text, newline included
    for text, start, end, _coder in rows:
        assert start == 0 or text[start - 1] == "\n"
        assert "\n" not in text[start:end - 1] and (end == len(text) or text[end - 1] == "\n")
    assert {coder for *_r, coder in rows} <= {n.split('"')[0] for n in qde.split(' name="')[1:]}


def test_nvivo_export_shipped_with_qc_imports(tmp_path: Path) -> None:
    archive = qc_data() / "refi_qda" / "nvivo_project.qdpx"
    qde = zipfile.ZipFile(archive).read("project.qde").decode()
    result = import_qdpx(archive, tmp_path / "nvivo.qualcode")
    assert result.counts["sources"] == qde.count("<TextSource ")
    assert result.counts["codes"] == qde.count("<Code ")


def test_qualcode_export_opens_in_qc_on_the_same_lines(tmp_path: Path) -> None:
    from qualcode.core.sample import build_sample_project

    with build_sample_project(tmp_path / "s.qualcode", echo=lambda _m: None) as project:
        export_qdpx(project, tmp_path / "s.qdpx")
        expected = set()
        for c in project.codings():
            text = project.get_source(c.source_id).text
            line = bisect_left(newline_positions(text), c.start)
            code = project.get_code(c.code)
            expected.add((Path(c.source).stem + ".txt", line, c.coder, code.label_id))
    target = tmp_path / "qc"
    target.mkdir()
    env = {**os.environ, "PYTHONBREAKPOINT": "0"}   # qc 1.7.8's reader has a breakpoint()
    run = subprocess.run([QC, "init", "--import", str(tmp_path / "s.qdpx")], cwd=target,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    con = sqlite3.connect(target / "qualitative_coding.sqlite3")
    got = set(con.execute(
        "SELECT di.document_id, cl.line, cl.coder_id, cl.code_id FROM coded_line cl "
        "JOIN coded_line_location_association a ON a.coded_line_id = cl.id "
        "JOIN location l ON l.id = a.location_id "
        "JOIN document_index di ON di.id = l.document_index_id").fetchall())
    assert got == expected
