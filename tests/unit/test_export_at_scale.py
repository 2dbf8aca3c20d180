"""The fast paths of `export all.xlsx` (issue 9) hold the same figures as the slow ones.

An export builds its displays under `shared_reads` (each query run once, counts rolled up from
one count per selection), counts a passage coded by several chosen coders once in one grouped
pass, and writes sheet rows as XML text. Each is checked against another way to the same
numbers: the displays built one by one, a de-duplication done in pandas, openpyxl's own cell
writer.
"""

from __future__ import annotations

import inspect
import itertools
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from lxml import etree
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.cli.analysis import VARIANTS, build_display, resolve_name, selected_names
from qualcode.core.analysis.display import DISPLAYS, Display
from qualcode.core.analysis.query import (
    COUNT_BY,
    add_locations,
    coding_counts,
    coding_frame,
    select_codings,
    source_texts_meta,
)
from qualcode.core.analysis.shared_reads import shared_reads
from qualcode.core.export import export_displays, xlsx_rows
from qualcode.core.export.flat_table import flatten
from qualcode.core.export.xlsx import body_start
from qualcode.core.location import TextMap, page_starts
from qualcode.core.store import Project

CODERS = "asisten,peneliti,pengamat"


def _third_coder(project: Project) -> None:
    """A third coder: some passages the others coded (same code, another valence), one code
    the others did not give a passage, and one passage of its own."""
    rows = sorted(project.codings(coder="peneliti"), key=lambda c: c.id)
    for row in rows[:6]:
        project.apply_code(row.source_id, row.start, row.end, row.code, coder="pengamat",
                           valence="-" if row.valence != "-" else "+")
    other = next(r for r in rows if r.code != rows[0].code)
    project.apply_code(rows[0].source_id, rows[0].start, rows[0].end, other.code,
                       coder="pengamat", valence="+")
    project.apply_code(rows[-1].source_id, rows[-1].end, rows[-1].end + 40, rows[-1].code,
                       coder="pengamat")


def _export_displays(project: Project, coder: str) -> list[Display]:
    """The displays `qualcode export all.xlsx --coders ...` writes, each built on its own
    (no shared reads)."""
    out = []
    for name in selected_names(None, "xlsx"):
        counts = "coder" in inspect.signature(DISPLAYS[resolve_name(name)]).parameters
        for options in VARIANTS.get(name, [{}]):
            out.append(build_display(project, name, "en", coder=coder if counts else None,
                                     **options))
    return out


def _sheet_body(ws: Any, display: Display) -> list[list[Any]]:
    flat = flatten(display)
    first = body_start(flat)
    return [[ws.cell(row=first + r, column=c + 1).value for c in range(flat.width)]
            for r in range(len(flat.body))]


def test_three_coder_export_holds_each_displays_numbers(sample_project_file: Path,
                                                       tmp_path: Path) -> None:
    """Every sheet of the 3-coder export equals its display built alone, and the codings
    per code equal a de-duplication of the three coders' own codings done in pandas."""
    import shutil

    from openpyxl import load_workbook

    path = tmp_path / "three.qualcode"
    shutil.copy(sample_project_file, path)
    sample_project = Project.open(path)
    _third_coder(sample_project)
    target = tmp_path / "all.xlsx"
    result = CliRunner().invoke(app, ["export", str(target), "-p", str(path),
                                      "--coders", CODERS, "--lang", "en"])
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    alone = _export_displays(sample_project, CODERS)
    assert len(book.worksheets) == len(alone)
    for ws, display in zip(book.worksheets, alone, strict=True):
        assert ws["A1"].value == display.title
        expected = [[None if v == "" else v for v in row] for row in flatten(display).body]
        assert _sheet_body(ws, display) == expected, display.key

    # the frequency sheet's codings per code, from each coder's codings de-duplicated here
    each = pd.concat([coding_frame(sample_project, coders=[c], codebook=None)
                      for c in CODERS.split(",")])
    first = each.sort_values("coding_id").drop_duplicates(["source_id", "start", "end",
                                                           "code_id"])
    assert len(first) < len(each)   # some passages were coded by more than one of them
    per_code = first.groupby("code")["coding_id"].count()
    frequency = next(d for d in alone if d.key == "frequency_code")
    sheet = book.worksheets[alone.index(frequency)]
    rows = _sheet_body(sheet, frequency)
    for key, row in zip(frequency.row_keys, rows, strict=True):
        assert row[2] == int(per_code.get(key, 0)), key
    # ... and per code and valence: the earliest coding of a passage gives its valence
    by_valence = next(d for d in alone if d.key == "frequency_valence")
    rows = _sheet_body(book.worksheets[alone.index(by_valence)], by_valence)
    counted = first.groupby(["code", "valence"])["coding_id"].count()
    for key, row in zip(by_valence.row_keys, rows, strict=True):
        for col, name in enumerate(by_valence.col_keys):
            valence, measure = name.split(":")
            if measure == "codings":
                assert row[2 + col] == int(counted.get((key, valence), 0)), (key, name)
    retrieval = next(d for d in alone if d.key == "retrieval")
    assert len(retrieval.frame) == len(first)
    sample_project.close()


@pytest.mark.parametrize("speakers", ["informants", "interviewer", "all"])
def test_shared_reads_roll_up_the_same_counts(sample_project: Project, speakers: str) -> None:
    """Under shared_reads every grouping is summed from one finest count; each equals the
    database's own GROUP BY, and a change after the block is seen."""
    _third_coder(sample_project)
    sel = select_codings(sample_project, coders=[CODERS], speakers=speakers)
    groupings = [by for n in range(len(COUNT_BY) + 1)
                 for by in itertools.combinations(COUNT_BY, n)]
    direct = {by: coding_counts(sample_project, by, sel) for by in groupings}
    with shared_reads(sample_project):
        rolled = {by: coding_counts(sample_project, by, sel) for by in groupings}
    for by in groupings:
        a, b = direct[by], rolled[by]
        assert list(a.columns) == list(b.columns) and list(a.dtypes) == list(b.dtypes), by
        order = list(a.columns)
        pd.testing.assert_frame_equal(a.sort_values(order, na_position="first")
                                      .reset_index(drop=True),
                                      b.sort_values(order, na_position="first")
                                      .reset_index(drop=True))


def test_shared_reads_end_with_their_block(sample_project: Project) -> None:
    """A coding added after the block is counted: nothing read inside it is kept."""
    sel = select_codings(sample_project, coders=["asisten,peneliti"], speakers="all")
    with shared_reads(sample_project):
        before = int(coding_counts(sample_project, ("code_id",), sel)["n"].sum())
    row = sample_project.codings(coder="asisten")[0]
    sample_project.apply_code(row.source_id, row.end + 5, row.end + 30, row.code,
                              coder="asisten")
    with shared_reads(sample_project):
        assert int(coding_counts(sample_project, ("code_id",), sel)["n"].sum()) == before + 1


def test_vectorised_locations_equal_textmap(sample_project: Project) -> None:
    """add_locations finds for every coding the line, paragraph and page TextMap.at finds."""
    frame = coding_frame(sample_project, coders=["asisten,peneliti"])
    placed = add_locations(sample_project, frame)
    texts = source_texts_meta(sample_project, frame["source_id"].unique())
    for sid, start, line, paragraph, page in zip(placed["source_id"], placed["start"],
                                                 placed["line"], placed["paragraph"],
                                                 placed["page"], strict=True):
        text, meta = texts[int(sid)]
        where = TextMap(text, page_starts(meta)).at(int(start))
        assert (line, paragraph) == (where.line, where.paragraph)
        assert (None if pd.isna(page) else int(page)) == where.page
    assert placed["line"].dtype == "int64" and str(placed["page"].dtype) == "Int64"


def _tricky() -> Display:
    """Text that XML must escape, keep or refuse, every scalar type, and 45 columns."""
    values = ["R&D <b> 5 > 3", " spaced ", "line\r\nbreak\ttab", "=SUM(A1)", "+62 812",
              "", "x" * 40000, "ünï “quotes” — 中文 🙂", True, False, 3, 2.5, 1e20, 0.1,
              None, 7]
    width = 45
    row = (values * 3)[:width]
    frame = pd.DataFrame([row, list(reversed(row))], columns=[f"c{n}" for n in range(width)],
                         dtype=object)
    frame.index = pd.Index(["a & b", "-1"], name="Code")
    return Display("tricky", "Tricky <title> & more", frame, "mixed", ["note \r one"], "en")


def _sheets(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        out = {}
        for name in book.namelist():
            data = book.read(name)
            if name.startswith("xl/worksheets/"):
                data = etree.tostring(etree.fromstring(data), method="c14n")
            if name != "docProps/core.xml":   # holds the time of writing
                out[name] = data
        return out


def test_sheet_rows_are_written_as_openpyxl_writes_them(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows written as text are, after canonicalisation, the XML openpyxl's own cell
    writer makes for the same cells (the path a row with an unusual value takes)."""
    from export_samples import all_displays

    displays = [*all_displays(), _tricky()]
    fast = export_displays(displays, tmp_path / "fast.xlsx")[0]
    monkeypatch.setattr(xlsx_rows, "PLAIN_TYPES", ())   # every row through openpyxl
    slow = export_displays(displays, tmp_path / "slow.xlsx")[0]
    assert _sheets(fast) == _sheets(slow)


@pytest.mark.parametrize("text", ["bell \x07", "nul \x00", "\ufffe"])
def test_text_xml_cannot_hold_fails_as_in_openpyxl(tmp_path: Path, text: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Control characters are refused as openpyxl and lxml refuse them, and nothing is left
    behind."""
    frame = pd.DataFrame({"Note": [text]}, index=pd.Index(["k"], name="Code"))
    display = Display("tricky", "T", frame, "text", [], "en")
    errors = []
    for plain in (xlsx_rows.PLAIN_TYPES, ()):
        monkeypatch.setattr(xlsx_rows, "PLAIN_TYPES", plain)
        with pytest.raises(Exception) as failed:  # the two errors are compared below
            export_displays([display], tmp_path / "t.xlsx")
        errors.append((type(failed.value), str(failed.value)))
    assert errors[0] == errors[1]
    assert not list(tmp_path.iterdir())
