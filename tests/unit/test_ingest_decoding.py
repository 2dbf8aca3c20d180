"""Encoding detection, newline normalisation and empty/binary rejection."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from qualcode.core.ingest import decode_bytes, normalise_newlines, read_source
from qualcode.errors import IngestError

SAMPLE = "Peneliti: “Apakah pegawai sudah ahli?”\nInforman: Ya — café é.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"), "utf-32-le"),
        (codecs.BOM_UTF32_BE + SAMPLE.encode("utf-32-be"), "utf-32-be"),
        (SAMPLE.encode("cp1252"), "cp1252"),
    ],
)
def test_decodes_each_encoding(data: bytes, encoding: str) -> None:
    text, found = decode_bytes(data, "x.txt")
    assert found == encoding
    assert text == SAMPLE  # BOM dropped, smart quotes and accents intact


def test_cp1252_smart_quotes_and_accents() -> None:
    data = b"Informan: \x93Kami sudah siap\x94 \x96 kata Bu Ren\xe9e.\r\n"
    text, encoding = decode_bytes(data, "word-export.txt")
    assert encoding == "cp1252"
    assert text == "Informan: “Kami sudah siap” – kata Bu Renée.\r\n"


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    text, encoding = decode_bytes(b"Catatan \x81 dan \x9d \xe9", "odd.txt")
    assert encoding == "cp1252"
    assert text == "Catatan \x81 dan \x9d é"


def test_bomless_utf16_is_recognised() -> None:
    text, encoding = decode_bytes("Peneliti: halo\n".encode("utf-16-le"), "x.txt")
    assert (text, encoding) == ("Peneliti: halo\n", "utf-16-le")


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n", codecs.BOM_UTF8 + b"\n\n"])
def test_empty_file_is_rejected(data: bytes) -> None:
    with pytest.raises(IngestError, match=r"^notes\.txt: file is empty$") as info:
        decode_bytes(data, "notes.txt")
    assert info.value.hint


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        bytes(range(1, 32)) * 20 + b"some text",
        codecs.BOM_UTF16_LE + "ok\x00\x00\x00".encode("utf-16-le"),
    ],
)
def test_binary_file_is_rejected(data: bytes) -> None:
    with pytest.raises(IngestError, match="looks like a binary file, not a transcript") as info:
        decode_bytes(data, "photo.txt")
    assert str(info.value).startswith("photo.txt: ")
    assert info.value.hint


def test_a_few_control_characters_are_tolerated() -> None:
    text, _ = decode_bytes(b"Halaman satu\x0c\nHalaman dua\x0b ok", "x.txt")
    assert "\x0c" in text


def test_truncated_utf16_is_an_ingest_error() -> None:
    with pytest.raises(IngestError, match="cannot be decoded as utf-16-le"):
        decode_bytes(codecs.BOM_UTF16_LE + b"a\x00b", "x.txt")


def test_normalise_newlines_only_touches_line_endings() -> None:
    raw = "a\r\nb\rc\n\td  \r\n\r\ne\u0301 😀\r"
    assert normalise_newlines(raw) == "a\nb\nc\n\td  \n\ne\u0301 😀\n"
    assert normalise_newlines("no change\n") == "no change\n"


def test_read_source_reports_encoding_and_normalises(tmp_path: Path) -> None:
    path = tmp_path / "word.txt"
    path.write_bytes("Peneliti: “Siap?”\r\nInforman: Siap, café.\r\n".encode("cp1252"))
    parsed = read_source(path)
    assert parsed.encoding == "cp1252"
    assert parsed.text == "Peneliti: “Siap?”\nInforman: Siap, café.\n"
    assert [parsed.text[t.start : t.end] for t in parsed.turns] == ["“Siap?”", "Siap, café."]


def test_read_source_utf16_file(tmp_path: Path) -> None:
    path = tmp_path / "notepad.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "P: Apa kabar?\r\nI: Baik.\r\n".encode("utf-16-le"))
    parsed = read_source(path)
    assert parsed.encoding == "utf-16-le"
    assert [t.speaker for t in parsed.turns] == ["P", "I"]


def test_read_source_empty_and_binary_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"\r\n \r\n")
    with pytest.raises(IngestError, match=r"empty\.md: file is empty"):
        read_source(empty)
    binary = tmp_path / "blob.srt"
    binary.write_bytes(b"\x00\x01\x02\x03garbage\x00\xff")
    with pytest.raises(IngestError, match=r"blob\.srt: looks like a binary file"):
        read_source(binary)
