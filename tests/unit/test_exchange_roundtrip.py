"""qualcode -> .qdpx -> qualcode keeps every source, code, coding (position, coder, note, valence),
informant attribute, memo, summary and conclusion; the export follows Project.xsd."""

from __future__ import annotations

import string
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchange_snapshot import snapshot
from qualcode.core.codebook_schema import CodebookSpec, CodeSpec, IndicatorSpec, Text
from qualcode.core.exchange.qdc import DEFAULT_SCALE
from qualcode.core.exchange.qdpx_build import import_qdpx
from qualcode.core.exchange.qdpx_write import export_qdpx
from qualcode.core.exchange.safety import parse_xml, schema_errors
from qualcode.core.models import Informant, Source
from qualcode.core.store import Project


def roundtrip(path: Path, tmp: Path, *, crlf: bool = False) -> tuple[Path, Any]:
    archive = tmp / "out.qdpx"
    with Project.open(path) as project:
        export_qdpx(project, archive, crlf=crlf)
    with zipfile.ZipFile(archive) as zf:
        root = parse_xml(zf.read("project.qde"), "project.qde")
    assert schema_errors(root, "Project") == []
    assert b"<Sets/>" not in zipfile.ZipFile(archive).read("project.qde")
    result = import_qdpx(archive, tmp / "back.qualcode")
    return result.path, result


def test_sample_project_with_memos_summaries_conclusions(tmp_path: Path) -> None:
    from qualcode.core.sample import build_sample_project

    path = tmp_path / "sample.qualcode"
    with build_sample_project(path, echo=lambda _m: None) as project:
        codings = project.codings()
        first, other = codings[0], codings[5]
        informant = next(c.informant for c in codings if c.informant)
        source_id = first.source_id
        project.add_memo("Project-wide thoughts\nline two", title="Catatan")
        project.add_memo("On this source", scope="source", target=source_id, author="asisten")
        project.add_memo("On the code", scope="code", target=project.get_code(first.code).id)
        project.add_memo("On the coding", scope="coding", target=first.id)
        person = next(i for i in project.informants() if i.pseudonym == informant)
        project.add_memo("On the person", scope="informant", target=person.id)
        project.add_cell_memo(first.code, informant, "Cell memo", title="cell")
        project.set_summary(first.code, informant, "Menguasai tugas pokok.", "accepted")
        project.set_summary(other.code, informant, "[DRAFT] perlu dicek", "draft")
        project.set_conclusion(first.code, statement="Sudah efektif.", verdict="effective",
                               status="verified", decided_by="peneliti")
        project.link_evidence(first.code, first.id, "supports")
        project.link_evidence(first.code, other.id, "contradicts",
                              note="Satu kasus; pegawai baru.")
        with project.transaction() as (s, _rec):
            row = s.get(Informant, person.id)
            row.attributes = {"age": 41, "tenure": 12.5, "pns": True, "note": "ü 😀",
                              "langs": ["id", "jv"]}
            s.add(row)
    back, result = roundtrip(path, tmp_path)
    assert result.warnings == [] and result.not_imported == []
    before, after = snapshot(path), snapshot(back)
    assert before["memos"] and before["summaries"] and before["evidence"]
    assert after == before


def test_crlf_option_counts_positions_in_the_crlf_text(tmp_path: Path) -> None:
    from qualcode.core.sample import build_sample_project

    path = tmp_path / "sample.qualcode"
    with build_sample_project(path, echo=lambda _m: None) as project:
        coding = next(c for c in project.codings() if "\n" in project.get_source(
            c.source_id).text[: c.start])
        archive = tmp_path / "crlf.qdpx"
        export_qdpx(project, archive, crlf=True)
    with zipfile.ZipFile(archive) as zf:
        qde = zf.read("project.qde").decode()
        texts = {n: zf.read(n).decode() for n in zf.namelist() if n.endswith(".txt")}
    from qualcode.core.exchange.safety import guid

    selection = qde.split(f'guid="{guid("coding", coding.id)}"', 1)[1]
    start = int(selection.split('startPosition="', 1)[1].split('"', 1)[0])
    end = int(selection.split('endPosition="', 1)[1].split('"', 1)[0])
    text = next(t for t in texts.values() if "\r\n" in t and coding.excerpt.replace(
        "\n", "\r\n") in t)
    assert "\n" not in text.replace("\r\n", "")
    assert text[start:end] == coding.excerpt.replace("\n", "\r\n")
    assert start > coding.start
    back, _result = roundtrip(path, tmp_path, crlf=True)
    assert snapshot(back) == snapshot(path)


# ---- generated projects ------------------------------------------------------------------------
CHARS = st.sampled_from([*string.ascii_letters, *" .,:?!\n", "é", "e\u0301", "n\u0303", "😀",
                         "👩🏽\u200d🏫", "ß", "\u200d", "—", "\t", "ŋ", "ﬁ"])
TEXTS = st.lists(CHARS, max_size=120).map("".join)
XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n"),
                   max_size=8)
ATTRS = st.dictionaries(st.sampled_from(["age", "gol", "lama", "catatan", "list"]),
                        st.one_of(st.integers(-5, 10**6), st.booleans(),
                                  XML_TEXT, st.floats(allow_nan=False,
                                                                 allow_infinity=False, width=32),
                                  st.lists(XML_TEXT, max_size=2)), max_size=3)


@st.composite
def projects(draw: Any) -> dict[str, Any]:
    texts = draw(st.lists(TEXTS, min_size=1, max_size=4))
    codings = []
    for number, text in enumerate(texts):
        for _ in range(draw(st.integers(0, 4)) if text else 0):
            a = draw(st.integers(0, len(text) - 1))
            b = draw(st.integers(a + 1, len(text)))
            codings.append((number, a, b, draw(st.sampled_from(["G-1", "G-2", "G-3"])),
                            draw(st.sampled_from(["ani", "budi", "Çelik 😀"])),
                            draw(st.sampled_from(["+", "-", "0"])), draw(TEXTS)))
    return {"texts": texts, "codings": codings, "attrs": draw(ATTRS),
            "memo": draw(TEXTS), "summary": draw(TEXTS), "crlf": draw(st.booleans())}


def build(path: Path, spec: dict[str, Any]) -> None:
    book = CodebookSpec(
        key="gen", title=Text("Gen", "Gen"), author="", year=None, page=None, citation="",
        language="id", description=Text(), focus=Text(), scale=DEFAULT_SCALE,
        codes=(CodeSpec("G-1", Text("Satu 😀", "One"), Text("déf", ""), colour="#123abc",
                        indicators=(IndicatorSpec("G-1a", Text("a", "a"), {"id": ("x",)}),),
                        children=(CodeSpec("G-2", Text("Dua", "")),)),
               CodeSpec("G-3", Text("Tiga\u0301", "Three"))))
    with Project.create(path) as project:
        project.import_codebook(book)
        with project.transaction() as (s, _rec):
            person = Informant(pseudonym="Bu Ani 😀", role="staff", unit="BKD",
                               attributes=spec["attrs"])
            s.add(person)
            s.flush()
            for number, text in enumerate(spec["texts"]):
                s.add(Source(name=f"src-{number}.txt", text=text, content_hash=str(number),
                             informant_id=person.id if number == 0 else None,
                             kind="observation" if number == 1 else "interview",
                             date="2025-02-03" if number == 0 else None, language="id"))
        ids = {src.name: src.id for src in project.sources()}
        for number, a, b, code, coder, valence, note in spec["codings"]:
            project.apply_code(ids[f"src-{number}.txt"], a, b, code, coder=coder,
                               valence=valence, note=note)
        if spec["memo"]:
            project.add_memo(spec["memo"], title=spec["memo"][:5], scope="source",
                             target=ids["src-0.txt"])
        if spec["summary"].strip():
            project.set_summary("G-1", "Bu Ani 😀", spec["summary"])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=projects())
def test_generated_projects_survive_the_round_trip(tmp_path_factory: Any,
                                                   spec: dict[str, Any]) -> None:
    tmp = tmp_path_factory.mktemp("gen")
    path = tmp / "gen.qualcode"
    build(path, spec)
    back, result = roundtrip(path, tmp, crlf=spec["crlf"])
    assert result.not_imported == []
    assert snapshot(back) == snapshot(path)


def test_characters_xml_cannot_hold_are_replaced_and_counted(tmp_path: Path) -> None:
    """A control character (say, pasted from a PDF) cannot go into XML: it is written as
    U+FFFD and the export says how many; the rest of the memo survives."""
    path = tmp_path / "ctl.qualcode"
    build(path, {"texts": ["Teks"], "codings": [], "attrs": {"gol": "III\x03b"},
                 "memo": "a\x0bb", "summary": "", "crlf": False})
    with Project.open(path) as project:
        summary = export_qdpx(project, tmp_path / "ctl.qdpx")
    assert summary.replaced == 3   # the attribute, the memo and its title (its first words)
    back = import_qdpx(tmp_path / "ctl.qdpx", tmp_path / "back.qualcode").path
    snap = snapshot(back)
    assert snap["informants"][0][3] == '{"gol": "III\\ufffdb"}'
    assert snap["memos"][0][6] == "a\ufffdb"
