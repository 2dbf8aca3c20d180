"""Importing .qdpx files as other programs write them: each known variant lands the coding on
the same words, with a warning; what qualcode cannot hold is listed, never dropped silently."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from exchange_fixtures import PHRASE, TEXT, project_xml, span_of, write_qdpx
from qualcode.core.exchange.qdpx_build import ProjectImport, import_qdpx

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text


def coded(result: ProjectImport) -> list[tuple[str, str, str, str]]:
    """(excerpt, code label, coder, note) of every coding in the imported project."""
    con = sqlite3.connect(result.path)
    rows = con.execute(
        'SELECT s.text, c.start, c."end", k.label_id, c.coder, c.note FROM coding c '
        "JOIN source s ON s.id = c.source_id JOIN code k ON k.id = c.code_id").fetchall()
    con.close()
    return [(text[a:b], label, coder, note) for text, a, b, label, coder, note in rows]


def run(tmp_path: Path, qde: bytes, files: dict[str, bytes], **kw: str) -> ProjectImport:
    archive = write_qdpx(tmp_path / "in.qdpx", qde, files, **kw)
    return import_qdpx(archive, tmp_path / "out.qualcode")


EXPECTED = [(PHRASE, "Kerja keras", "Sari", "Works late too.")]


def test_standard_file_imports_everything(tmp_path: Path) -> None:
    a, b = span_of(TEXT)
    result = run(tmp_path, project_xml(f"internal://{'x' * 8}.txt", a, b),
                 {f"sources/{'x' * 8}.txt": TEXT.encode()})
    assert coded(result) == EXPECTED
    assert result.warnings == [] and result.not_imported == []
    con = sqlite3.connect(result.path)
    assert con.execute("SELECT pseudonym, role, attributes FROM informant").fetchall() == [
        ("Bu Ani", "staff", '{"Age": 41}')]
    (name, informant, segments), = con.execute(
        "SELECT s.name, i.pseudonym, (SELECT count(*) FROM segment g WHERE g.source_id = s.id) "
        "FROM source s JOIN informant i ON i.id = s.informant_id").fetchall()
    assert (name, informant) == ("wawancara-ani", "Bu Ani") and segments >= 2


def test_inner_file_named_after_the_study(tmp_path: Path) -> None:
    a, b = span_of(TEXT)
    result = run(tmp_path, project_xml("internal://t.txt", a, b),
                 {"sources/t.txt": TEXT.encode()}, qde_name="MyStudy.qde")
    assert coded(result) == EXPECTED
    assert any("MyStudy.qde" in w for w in result.warnings)


def test_nvivo_windows_sources_folder(tmp_path: Path) -> None:
    a, b = span_of(TEXT)
    result = run(tmp_path, project_xml("internal://t.txt", a, b), {"Sources/t.txt": TEXT.encode()})
    assert coded(result) == EXPECTED
    assert any("Sources/" in w for w in result.warnings)


@pytest.mark.parametrize(("path", "base", "needle"), [
    ("t.txt", "", "bare file names"),
    ("relative:///interviews/t.txt", "C:/PROJECT/Sources", "relative:///"),
])
def test_other_source_paths(tmp_path: Path, path: str, base: str, needle: str) -> None:
    a, b = span_of(TEXT)
    inner = "sources/interviews/t.txt" if "interviews" in path else "sources/t.txt"
    result = run(tmp_path, project_xml(path, a, b, base_path=base), {inner: TEXT.encode()})
    assert coded(result) == EXPECTED
    assert any(needle in w for w in result.warnings)


def test_absolute_source_path_is_listed_not_read(tmp_path: Path) -> None:
    result = run(tmp_path, project_xml("absolute:///etc/passwd", 0, 4), {})
    assert coded(result) == []
    assert any("/etc/passwd" in item for item in result.not_imported)


@pytest.mark.parametrize("origin", ["NVivo 14 (Windows)", "ATLAS.ti 23.2"])
def test_crlf_counted_as_two_or_as_one(tmp_path: Path, origin: str) -> None:
    crlf = TEXT.replace("\n", "\r\n")
    a, b = span_of(crlf) if origin.startswith("NVivo") else span_of(TEXT)
    result = run(tmp_path, project_xml("internal://t.txt", a, b, origin=origin),
                 {"sources/t.txt": crlf.encode()})
    assert coded(result) == EXPECTED
    word = "two" if origin.startswith("NVivo") else "one"
    assert any(f"counted as {word} character" in w for w in result.warnings)


def test_crlf_reading_found_without_a_hint(tmp_path: Path) -> None:
    """No origin to go by: the reading whose selection falls between words wins."""
    crlf = TEXT.replace("\n", "\r\n")
    a, b = span_of(crlf)
    result = run(tmp_path, project_xml("internal://t.txt", a, b, origin="Some tool"),
                 {"sources/t.txt": crlf.encode()})
    assert coded(result) == EXPECTED


def test_byte_order_mark_at_text_start(tmp_path: Path) -> None:
    a, b = span_of(TEXT)
    result = run(tmp_path, project_xml("internal://t.txt", a, b),
                 {"sources/t.txt": b"\xef\xbb\xbf" + TEXT.encode()})
    assert coded(result) == EXPECTED
    assert any("byte-order mark" in w for w in result.warnings)


def test_utf8_byte_positions(tmp_path: Path) -> None:
    text = "Peneliti: Apa kabar, Bu Désirée? 😀\nInforman: Kami bekerja keras di kantor.\n"
    a, b = span_of(text)
    a_bytes, b_bytes = len(text[:a].encode()), len(text[:b].encode())
    assert (a_bytes, b_bytes) != (a, b)
    result = run(tmp_path, project_xml("internal://t.txt", a_bytes, b_bytes, origin="Taguette"),
                 {"sources/t.txt": text.encode()})
    assert coded(result) == EXPECTED
    assert any("UTF-8 bytes" in w for w in result.warnings)


def test_inline_plain_text_content(tmp_path: Path) -> None:
    a, b = span_of(TEXT)
    result = run(tmp_path, project_xml("", a, b, content=TEXT), {})
    assert coded(result) == EXPECTED


def test_what_qualcode_cannot_hold_is_listed(tmp_path: Path) -> None:
    a, b = span_of(TEXT)
    guid = "0f5a5b1e-0000-4000-8000-0000000000{:02d}".format
    extra = f"""
    <TextSource guid="{guid(20)}" name="only-word" richTextPath="internal://{guid(20)}.docx"/>
    <PictureSource guid="{guid(21)}" name="foto-loket" path="internal://{guid(21)}.jpg"/>
    <AudioSource guid="{guid(22)}" name="rekaman" path="relative:///rekaman.m4a"/>
    <PDFSource guid="{guid(23)}" name="lkjip.pdf" path="internal://{guid(23)}.pdf">
      <PDFSelection guid="{guid(24)}" page="2" firstX="1" firstY="1" secondX="9" secondY="9"/>
      <Representation guid="{guid(25)}" plainTextPath="internal://{guid(25)}.txt">
        <PlainTextSelection guid="{guid(26)}" startPosition="0" endPosition="7">
          <Coding guid="{guid(27)}"><CodeRef targetGUID="0f5a5b1e-0000-4000-8000-000000000002"/>
          </Coding></PlainTextSelection>
      </Representation>
    </PDFSource>"""
    graphs = f"""<Graphs><Graph guid="{guid(30)}" name="peta"/></Graphs>"""
    result = run(tmp_path, project_xml("internal://t.txt", a, b, extra_sources=extra,
                                       extra=graphs),
                 {"sources/t.txt": TEXT.encode(), f"sources/{guid(25)}.txt": b"Laporan kinerja",
                  f"sources/{guid(23)}.pdf": b"%PDF-1.4"})
    listed = "\n".join(result.not_imported)
    for needle in ("only-word", "foto-loket", "rekaman", "area selection", "graph"):
        assert needle in listed
    assert sorted(c[0] for c in coded(result)) == ["Laporan", PHRASE]


def project_indicators(path: Path, key: str) -> list[Any]:
    from qualcode.core.store import Project

    with Project.open(path) as project:
        return list(project.indicators(key))


def test_codings_reach_the_same_code_after_guids_change(tmp_path: Path) -> None:
    """A codebook whose GUIDs another program regenerated still updates the same codes."""
    from qualcode.core.codebooks import find_codebook, load_codebook
    from qualcode.core.exchange.qdc_read import import_qdc
    from qualcode.core.store import Project

    qdc = tmp_path / "renamed.qdc"
    qdc.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Other tool">
  <Codes><Code guid="{'a' * 8}-aaaa-4aaa-8aaa-{'a' * 12}" name="Harus ahli" isCodable="true"
    color="#abc"><Description>Menguasai pekerjaan.</Description>
    <Code guid="{'b' * 8}-bbbb-4bbb-8bbb-{'b' * 12}" name="Sub baru" isCodable="true"/></Code>
  </Codes></CodeBook>""", encoding="utf-8")
    with Project.create(tmp_path / "p.qualcode") as project:
        project.import_codebook(load_codebook(find_codebook("sobandi-2008")))
        before = len(project.codes())
        read = import_qdc(project, qdc)
        codes = {c.key: c for c in project.codes()}
    assert read.keys[f"{'a' * 8}-aaaa-4aaa-8aaa-{'a' * 12}"] == "SOB-1"
    assert len(codes) == before + 1
    assert codes["SOB-1"].colour == "#aabbcc"
    assert (codes["SOB-1"].label_en, codes["SOB-1"].definition_id) == ("Expertise",
                                                                       "Menguasai pekerjaan.")
    assert codes["SOB-1"].definition_en.startswith("The employee has expertise")
    assert [i.key for i in project_indicators(tmp_path / "p.qualcode", "SOB-1")] == [
        "SOB-1a", "SOB-1b"]
    assert codes["Sub-baru"].parent_id == codes["SOB-1"].id
