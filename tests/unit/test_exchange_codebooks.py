"""Codebooks as REFI-QDA .qdc (validated against Codebook.xsd), CSV and YAML: conversions keep
hierarchy, colours, definitions, indicators and codebooks (sets); bad CSV names the row."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.core.codebooks import bundled_codebooks, find_codebook, load_codebook
from qualcode.core.exchange.csv_codebook import read_codebook_file, write_codebook_file
from qualcode.core.exchange.qdc import specs_from_project
from qualcode.core.exchange.qdc_read import import_qdc, read_qdc
from qualcode.core.exchange.safety import parse_xml, schema_errors
from qualcode.core.store import Project
from qualcode.errors import CodebookError

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text


def plain(spec: object) -> object:
    return dataclasses.replace(spec, path=None)  # type: ignore[type-var]


@pytest.mark.parametrize("path", bundled_codebooks(), ids=lambda p: p.stem)
@pytest.mark.parametrize("suffix", [".qdc", ".yaml"])
def test_bundled_codebooks_survive_qdc_and_yaml(tmp_path: Path, path: Path, suffix: str) -> None:
    spec = load_codebook(path)
    out = write_codebook_file([spec], tmp_path / f"book{suffix}")
    if suffix == ".qdc":
        assert schema_errors(parse_xml(out.read_bytes(), "qdc"), "Codebook") == []
    (back,) = read_codebook_file(out)
    assert plain(back) == plain(spec)


def test_csv_keeps_hierarchy_labels_definitions_colours(tmp_path: Path) -> None:
    spec = load_codebook(find_codebook("apparatus-development"))
    out = write_codebook_file([spec], tmp_path / "book.csv")
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("key,parent,label,definition")
    (back,) = read_codebook_file(out)
    strip = lambda c: (c.key, c.label, c.definition, c.colour,  # noqa: E731
                       tuple(k.key for k in c.children))
    assert [strip(c) for c, _p in back.iter_codes()] == [strip(c) for c, _p in spec.iter_codes()]
    assert [p for _c, p in back.iter_codes()] == [p for _c, p in spec.iter_codes()]


@pytest.mark.parametrize(("rows", "needle"), [
    ("key,parent,label\nA,,Satu\nA,,Dua\n", ":3: duplicate key 'A'"),
    ("key,parent,label\nA,Z,Satu\n", ":2: parent 'Z'"),
    ("key,parent,label\nA,B,Satu\nB,A,Dua\n", "its own ancestor"),
    ("key,label\nA B,Satu\n", ":2: key 'A B'"),
    ("nama,label\nA,Satu\n", ":1: no column 'key'"),
])
def test_csv_errors_name_the_row(tmp_path: Path, rows: str, needle: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(rows, encoding="utf-8")
    with pytest.raises(CodebookError, match=needle.replace("(", r"\(")):
        read_codebook_file(path)


def test_semicolon_csv_from_excel(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffkey;parent;label;definition\nK-1;;Beban kerja;Banyak tugas\n"
                     "K-2;K-1;Lembur;\n".encode())
    (spec,) = read_codebook_file(path)
    assert spec.key == "excel"
    assert [(c.key, p, c.label.id) for c, p in spec.iter_codes()] == [
        ("K-1", None, "Beban kerja"), ("K-2", "K-1", "Lembur")]


def test_project_codebooks_to_qdc_and_into_another_project(tmp_path: Path) -> None:
    with Project.create(tmp_path / "a.qualcode") as project:
        for key in ("sobandi-2008", "siagian-2014"):
            project.import_codebook(load_codebook(find_codebook(key)))
        project.add_code("EM-1", "Beban kerja", "Workload", colour="#123456", parent="SOB-1")
        project.update_code("SOB-2", colour="#abcdef")
        specs = specs_from_project(project)
    out = write_codebook_file(specs, tmp_path / "all.qdc")
    xml = out.read_text(encoding="utf-8")
    assert xml.count("<Set ") == 3 and "<Sets/>" not in xml
    with Project.create(tmp_path / "b.qualcode") as other:
        read = import_qdc(other, out)
        assert read.warnings == []
        assert [plain(s) for s in specs_from_project(other)] == [plain(s) for s in specs]


def test_foreign_codebook_sets_become_codebooks(tmp_path: Path) -> None:
    path = tmp_path / "nvivo.qdc"
    g = "0f5a5b1e-0000-4000-8000-0000000000{:02d}".format
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo 14">
 <Codes>
  <Code guid="{g(1)}" name="Leadership" isCodable="false" color="#FF0000">
   <Description>How leaders act.</Description>
   <Code guid="{g(2)}" name="Role model" isCodable="true"/></Code>
  <Code guid="{g(3)}" name="Rewards" isCodable="true"/>
 </Codes>
 <Sets>
  <Set guid="{g(4)}" name="Factors"><MemberCode guid="{g(1)}"/><MemberCode guid="{g(2)}"/></Set>
  <Set guid="{g(5)}" name="Other"><MemberCode guid="{g(3)}"/></Set>
 </Sets>
</CodeBook>""", encoding="utf-8")
    read = read_qdc(path)
    books = {s.key: [(c.key, c.label.id, c.definition.id, c.colour, p)
                     for c, p in s.iter_codes()] for s in read.specs}
    assert books == {"Factors": [("Leadership", "Leadership", "How leaders act.", "#ff0000", None),
                                 ("Role-model", "Role model", "", None, "Leadership")],
                     "Other": [("Rewards", "Rewards", "", None, None)]}
    assert any("folder" in w for w in read.warnings)


def test_cli_codebook_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["codebook", "convert", "sobandi-2008", "s.qdc"]).exit_code == 0
    assert runner.invoke(app, ["codebook", "convert", "s.qdc", "s.csv"]).exit_code == 0
    assert runner.invoke(app, ["init", "p.qualcode"]).exit_code == 0
    result = runner.invoke(app, ["codebook", "import", "s.csv", "-p", "p.qualcode"])
    assert result.exit_code == 0, result.output
    assert "codebook sobandi-2008: 6 codes" in result.output
    result = runner.invoke(app, ["export", "book.qdc", "-p", "p.qualcode"])
    assert result.exit_code == 0, result.output
    assert read_qdc(tmp_path / "book.qdc").specs[0].key == "sobandi-2008"
    bad = runner.invoke(app, ["codebook", "convert", "s.qdc", "s.txt"])
    assert bad.exit_code == 2 and "unknown codebook format" in bad.output
