"""Every file error is a file-level error: bombs, FIFOs, huge files, bad values and names stop
only their own file, and say why on one line."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from qualcode.core import input_files
from qualcode.core.codebooks import load_codebook, parse_codebook
from qualcode.core.ingest import read_source
from qualcode.core.ingest.docx import check_archive
from qualcode.core.ingest.manifest import load_manifest
from qualcode.core.ingest.prepare import prepare
from qualcode.core.store import Project
from qualcode.errors import CodebookError, IngestError

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text

LAUGHS = ("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
          + "".join(f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n"
                    for p, n in zip("abcdefgh", "bcdefghi", strict=True)))


def front(block: str, body: str = "Informan: Kami melayani masyarakat.\n") -> str:
    return f"---\n{block}\n---\n{body}"


@pytest.mark.parametrize(("block", "expected"), [
    ("date: 2024-13-45", "line 2: front matter: cannot read the value '2024-13-45'"),
    ("informant: !!int abc", "line 2: front matter: cannot read the value 'abc'"),
    ("a: &a [1, *a]", "recursive alias"),
    ("deep: " + "[" * 200 + "]" * 200, "nested more than"),
    (LAUGHS, "aliases expand to more than"),
])
def test_hostile_front_matter_is_a_one_line_file_error(tmp_path: Path, block: str,
                                                       expected: str) -> None:
    path = tmp_path / "x.md"
    path.write_text(front(block), encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        read_source(path)
    assert expected in caught.value.message
    assert "\n" not in caught.value.message


def test_front_matter_keys_are_located_in_linear_time(tmp_path: Path) -> None:
    """20,000 keys took 71 s (a regex over the block per key): now refused by size; the line
    of a key is found in one pass (timed in the fuzz run, not here)."""
    path = tmp_path / "many.md"
    path.write_text(front("\n".join(f"k{i}: v" for i in range(20_000)) + "\nkind: wrong"),
                    encoding="utf-8")
    with pytest.raises(IngestError, match="front matter is longer than"):
        read_source(path)
    few = tmp_path / "few.md"
    few.write_text(front("\n".join(f"k{i}: v" for i in range(2_000)) + "\nkind: wrong"),
                   encoding="utf-8")
    with pytest.raises(IngestError, match=r"line 2002: unknown kind 'wrong'"):
        read_source(few)


def test_caption_hours_beyond_reason_are_a_malformed_timing(tmp_path: Path) -> None:
    path = tmp_path / "x.vtt"
    path.write_text("WEBVTT\n\n99999999999999999999:00:01.000 --> 99999999999999999999:00:02.000"
                    "\n<v Bu Sari>Kami melayani.\n", encoding="utf-8")
    with pytest.raises(IngestError, match="malformed cue timing"):
        read_source(path)


def test_fifos_are_refused_before_reading(tmp_path: Path) -> None:
    for name in ("pipe.txt", "manifest.yaml", "codebook.yaml"):
        os.mkfifo(tmp_path / name)
    with pytest.raises(IngestError, match="not a regular file"):
        read_source(tmp_path / "pipe.txt")
    with pytest.raises(IngestError, match="not a regular file"):
        load_manifest(tmp_path / "manifest.yaml")
    with pytest.raises(CodebookError, match="not a regular file"):
        load_codebook(tmp_path / "codebook.yaml")


def test_every_input_has_a_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(input_files, "MAX_MANIFEST_BYTES", 1000)
    big = tmp_path / "manifest.yaml"
    big.write_text("a.txt: {informant: x}\n" * 100, encoding="utf-8")
    with pytest.raises(IngestError, match=r"manifest.yaml: 2 KB is more than a manifest may be"):
        load_manifest(big)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x")
    with open(path, "r+b") as handle:
        handle.truncate(input_files.MAX_SOURCE_BYTES + 1)  # sparse: no real 64 MB written
    with pytest.raises(IngestError, match=r"64.0 MB is more than a transcript may be"):
        read_source(path)


def _docx_with_parts(parts: int, size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(parts):
            archive.writestr(f"word/header{i}.xml", b"<w:hdr/>" * (size // 8))
    return buffer.getvalue()


def test_archives_are_checked_on_their_real_inflated_bytes() -> None:
    """24 header parts of 10 MiB: every entry under the old per-entry threshold."""
    data = _docx_with_parts(24, 10 * 1024 * 1024)
    assert len(data) < 1024 * 1024
    with pytest.raises(IngestError, match="possible decompression bomb"):
        check_archive(data, "bomb.docx")
    lying = bytearray(data)  # declared sizes say 1 byte; the inflated bytes say otherwise
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        at = lying.find(info.filename.encode(), 0)
        lying[at - 8: at - 4] = (1).to_bytes(4, "little")  # local header's size field
    with pytest.raises(IngestError, match=r"decompression bomb|damaged"):
        check_archive(bytes(lying), "lying.docx")
    check_archive(_docx_with_parts(2, 64 * 1024), "fine.docx")


def test_a_file_with_no_codable_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "labels.txt"
    path.write_text("Peneliti:\nInforman:\nPeneliti:\n", encoding="utf-8")
    result = prepare(path, None, None, {}, False)
    assert result.error is not None and "no codable text" in result.error.text("en")


def test_a_file_name_that_is_not_utf8_is_a_file_error(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    path = tmp_path / name
    try:
        path.write_text("Informan: Kami melayani.\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system refuses such names")
    result = prepare(path, None, None, {}, False)
    assert result.error is not None and "file name is not valid UTF-8" in result.error.text("en")


def test_the_batch_goes_on_after_every_kind_of_bad_file(project: Project, tmp_path: Path) -> None:
    bad = {"date.md": front("date: 2024-13-45"), "tag.md": front("role: !!float x"),
           "deep.md": front("a: " + "[" * 3000 + "]" * 3000),
           "laughs.md": front(LAUGHS),
           "hours.srt": "1\n123456789012345678901:00:01,000 --> 1:00:02,000\nKami.\n",
           "labels.txt": "Peneliti:\nInforman:\n"}
    for name, text in bad.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    good = tmp_path / "zz-good.txt"
    good.write_text("Informan: Pegawai kami melayani masyarakat dengan baik.\n",
                    encoding="utf-8")
    os.mkfifo(tmp_path / "fifo.txt")
    paths = [*(tmp_path / n for n in bad), tmp_path / "fifo.txt", good]
    report = project.import_files(paths)
    assert [o.status for o in report.outcomes] == ["error"] * 7 + ["imported"]
    assert all("\n" not in o.message for o in report.errors)
    assert [s.name for s in project.sources()] == ["zz-good.txt"]


@pytest.mark.parametrize(("text", "expected"), [
    ("a.txt: {date: 2024-13-45}\n", "cannot read the value"),
    (LAUGHS, "aliases expand"),
    ("a.txt: " + "{x: " * 100 + "1" + "}" * 100 + "\n", "nested more than"),
])
def test_hostile_manifests_are_one_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match=expected):
        load_manifest(path)


SOBANDI = (Path(__file__).resolve().parents[2] / "codebooks" / "sobandi-2008.yaml").read_text(
    encoding="utf-8")


@pytest.mark.parametrize(("text", "expected"), [
    (LAUGHS, "aliases expand"),
    (SOBANDI.replace("year: 2008", "year: !!int abc"), ":9: cannot read value 'abc'"),
    (SOBANDI.replace("year: 2008", "year: 2024-13-45"), ":9: cannot read value '2024-13-45'"),
    (SOBANDI.replace("year: 2008", "year: " + "[" * 500 + "]" * 500), ":9: not valid YAML: "
     "nested more than"),
])
def test_hostile_codebooks_name_file_and_line(text: str, expected: str) -> None:
    with pytest.raises(CodebookError) as caught:
        parse_codebook(text, "cb.yaml")
    assert caught.value.message.startswith("cb.yaml:")
    assert expected in caught.value.message
