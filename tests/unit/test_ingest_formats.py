"""Each input format: .txt, .md (front matter), .docx, .vtt, .srt, and the dispatcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.core.ingest import (
    SUPPORTED_SUFFIXES,
    ParsedSource,
    content_hash,
    parse_text,
    read_source,
)
from qualcode.errors import IngestError

DATA = Path(__file__).parent.parent / "data" / "ingest"


def _turn_texts(parsed: ParsedSource) -> list[tuple[str | None, str]]:
    return [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns]


# --- plain text -----------------------------------------------------------------------------


def test_txt_fixture() -> None:
    parsed = read_source(DATA / "interview-kepala-dinas.txt")
    assert parsed.fmt == "txt"
    assert parsed.metadata == {}
    speakers = [t.speaker for t in parsed.turns]
    assert speakers == [None] + ["Peneliti", "Informan"] * 3
    assert parsed.turns[6].is_interviewer is False
    assert parsed.turns[5].is_interviewer is True
    assert _turn_texts(parsed)[4][1].endswith("Anggarannya memang terbatas.")
    assert parsed.text == (DATA / "interview-kepala-dinas.txt").read_text(encoding="utf-8")


def test_txt_keeps_everything_but_line_endings() -> None:
    raw = "P: Tab\there  \r\nI: e\u0301 😀 trailing  \r\n"
    parsed = parse_text(raw)
    assert parsed.text == "P: Tab\there  \nI: e\u0301 😀 trailing  \n"
    assert _turn_texts(parsed) == [("P", "Tab\there"), ("I", "e\u0301 😀 trailing")]


# --- markdown -------------------------------------------------------------------------------


def test_markdown_fixture_front_matter_and_turns() -> None:
    parsed = read_source(DATA / "observasi-loket.md")
    assert parsed.fmt == "md"
    assert parsed.metadata == {
        "informant": "Loket pelayanan",
        "role": "front office",
        "unit": "Dinas Kependudukan",
        "kind": "observation",
        "date": "2024-03-06",
        "language": "id",
        "title": "Observasi loket pelayanan",
        "attributes": {"shift": "pagi"},
    }
    assert parsed.text.startswith("# Catatan observasi\n")
    assert "---" not in parsed.text
    turns = _turn_texts(parsed)
    assert turns[0] == (None, "# Catatan observasi")
    assert turns[1][0] is None and turns[1][1].startswith("Catatan: antrean")
    assert ("Petugas", "Silakan, Pak, ada yang bisa dibantu?") in turns
    assert ("Warga", "Sudah, ini fotokopinya.") in turns
    assert turns[-2:] == [(None, "## Kesan"), (None, "Pelayanan cepat, tetapi ruang tunggu penuh.")]


def test_markdown_without_front_matter() -> None:
    parsed = parse_text("Peneliti: Apa?\nInforman: Itu.\n", "md")
    assert parsed.metadata == {}
    assert parsed.text == "Peneliti: Apa?\nInforman: Itu.\n"


def test_markdown_front_matter_variants() -> None:
    text = "---\r\nInformant: Pak Hadi\r\ndate: '5 Maret 2024'\r\nlanguage: English\r\n...\r\nHalo."
    parsed = parse_text(text, "md")
    assert parsed.metadata == {"informant": "Pak Hadi", "date": "5 Maret 2024", "language": "en"}
    assert parsed.text == "Halo."
    assert parse_text("---\n---\nIsi.", "md").text == "Isi."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ninformant: [a, b\n---\nIsi.", r"^notes\.md, line 3: front matter: "),
        ("---\ninformant: Budi\nrole: ketua\n\tdate: x\n---\nIsi.", r"^notes\.md, line 4: "),
        ("---\ninformant: Budi\nIsi tanpa penutup.\n", r"^notes\.md, line 1: .*never closed"),
        ("---\n- a\n- b\n---\nIsi.", r"^notes\.md, line 2: front matter must be"),
        ("---\ninformant: Budi\nkind: survei\n---\nIsi.", r"^notes\.md, line 3: unknown kind"),
        ("---\nlanguage: fr\n---\nIsi.", r"^notes\.md, line 2: unsupported language 'fr'"),
        ("---\ninformant: [a, b]\n---\nIsi.", r"^notes\.md, line 2: 'informant' must be"),
        ("---\ndate: [1]\n---\nIsi.", r"^notes\.md, line 2: 'date' must be a date"),
        ("---\ninformant: Budi\n---\n  \n", r"^notes\.md: file is empty"),
    ],
)
def test_malformed_front_matter(text: str, message: str) -> None:
    with pytest.raises(IngestError, match=message) as info:
        parse_text(text, "md", name="notes.md")
    assert info.value.hint


# --- docx -----------------------------------------------------------------------------------


def _make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Wawancara Sekretaris"
    document.core_properties.author = "Tim Peneliti"
    document.add_paragraph("Wawancara dengan Sekretaris Dinas")
    document.add_paragraph("Peneliti: Bagaimana disiplin kerja pegawai?")
    document.add_paragraph("Informan: Absensi sudah elektronik.\tTerlambat jarang.")
    document.add_paragraph("")
    table = document.add_table(rows=3, cols=2)
    cells = [("Peneliti", "Lalu kendalanya?"), ("Informan", "Anggaran."), ("Tahun", "2024")]
    for row, (left, right) in zip(table.rows, cells, strict=True):
        row.cells[0].text = left
        row.cells[1].text = right
    document.add_paragraph("Penutup.")
    document.save(str(path))
    return path


def test_docx_paragraphs_tables_and_properties(tmp_path: Path) -> None:
    parsed = read_source(_make_docx(tmp_path / "sekretaris.docx"))
    assert parsed.fmt == "docx"
    assert parsed.metadata == {"title": "Wawancara Sekretaris", "author": "Tim Peneliti"}
    assert parsed.text == (
        "Wawancara dengan Sekretaris Dinas\n"
        "Peneliti: Bagaimana disiplin kerja pegawai?\n"
        "Informan: Absensi sudah elektronik.\tTerlambat jarang.\n"
        "\n"
        "Peneliti: Lalu kendalanya?\n"
        "Informan: Anggaran.\n"
        "Tahun\t2024\n"
        "Penutup."
    )
    assert [t.speaker for t in parsed.turns] == [
        None,
        "Peneliti",
        "Informan",
        "Peneliti",
        "Informan",
    ]
    assert _turn_texts(parsed)[-1] == ("Informan", "Anggaran.\nTahun\t2024\nPenutup.")


def test_docx_merged_cells_are_read_once(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "gabungan"
    table.cell(0, 2).text = "kanan"
    document.save(str(tmp_path / "merged.docx"))
    assert read_source(tmp_path / "merged.docx").text == "gabungan\tkanan"


def test_docx_table_with_named_speaker_column(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    rows = [
        ("Bu Sari", "Kami siap.", ""),
        ("Pak Hadi", "Saya juga.", "catatan"),
        ("Bu Sari", "Baik.", ""),
    ]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.save(str(tmp_path / "tabel.docx"))
    parsed = read_source(tmp_path / "tabel.docx")
    assert parsed.text == "Bu Sari: Kami siap.\nPak Hadi\tSaya juga.\tcatatan\nBu Sari: Baik."
    assert _turn_texts(parsed) == [
        ("Bu Sari", "Kami siap.\nPak Hadi\tSaya juga.\tcatatan"),
        ("Bu Sari", "Baik."),
    ]


def test_docx_template_author_is_not_metadata(tmp_path: Path) -> None:
    import docx

    document = docx.Document()  # python-docx's template says author "python-docx"
    document.add_paragraph("Isi.")
    document.save(str(tmp_path / "plain.docx"))
    assert read_source(tmp_path / "plain.docx").metadata == {}


def test_docx_errors(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("Peneliti: ini teks biasa", encoding="utf-8")
    with pytest.raises(IngestError, match=r"fake\.docx: not a Word \.docx file") as info:
        read_source(fake)
    assert "save it as" in (info.value.hint or "")
    import zipfile

    other_zip = tmp_path / "other.docx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(IngestError, match=r"other\.docx: cannot read the Word document"):
        read_source(other_zip)
    import docx

    blank = docx.Document()
    blank.add_paragraph("   ")
    blank.save(str(tmp_path / "blank.docx"))
    with pytest.raises(IngestError, match=r"blank\.docx: file is empty"):
        read_source(tmp_path / "blank.docx")


# --- captions -------------------------------------------------------------------------------


def test_vtt_fixture() -> None:
    parsed = read_source(DATA / "wawancara-sekretaris.vtt")
    assert parsed.fmt == "vtt"
    assert parsed.text == (
        "Peneliti: Selamat siang, Pak Sekretaris. Boleh saya mulai rekamannya?\n"
        "Pak Hadi: Silakan, silakan. Kami selalu mengutamakan kepentingan instansi & masyarakat.\n"
        "Peneliti: Terima kasih."
    )
    first, second, third = parsed.turns
    assert (first.speaker, first.is_interviewer, first.begin_ms, first.end_ms) == (
        "Peneliti",
        True,
        1000,
        7000,
    )
    assert (second.speaker, second.is_interviewer, second.begin_ms, second.end_ms) == (
        "Pak Hadi",
        False,
        7500,
        13250,
    )
    assert (third.begin_ms, third.end_ms) == (62000, 65000)
    assert parsed.text[second.label_start : second.start] == "Pak Hadi: "
    assert parsed.text[third.start : third.end] == "Terima kasih."
    assert parsed.metadata == {"cues": 5, "duration_ms": 65000}


def test_srt_fixture_with_name_prefixes_and_markup() -> None:
    parsed = read_source(DATA / "wawancara-staf.srt")
    assert parsed.fmt == "srt"
    assert parsed.text == (
        "Peneliti: Apa tugas utama Bapak?\n"
        "Pak Joko: Saya mengelola arsip dan surat masuk. Semua tercatat rapi.\n"
        "Peneliti: Baik."
    )
    assert [(t.speaker, t.begin_ms, t.end_ms) for t in parsed.turns] == [
        ("Peneliti", 1000, 3000),
        ("Pak Joko", 3500, 8000),
        ("Peneliti", 8500, 9000),
    ]


def test_captions_without_speakers_merge_into_one_turn() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nsatu dua\n\n2\n00:00:02,000 --> 00:00:03,000\ntiga.\n"
    parsed = parse_text(srt, "srt")
    assert parsed.text == "satu dua tiga."
    assert [(t.speaker, t.label_start, t.start, t.end) for t in parsed.turns] == [
        (None, None, 0, 14)
    ]


def test_srt_text_block_after_blank_line_continues_the_cue() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nP: satu\n\nlanjutan\n"
    assert parse_text(srt, "srt").text == "P: satu lanjutan"


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("WEBVTT\n\nNOTE only a note\n", "vtt", r"^c\.vtt: no caption cues found"),
        ("Ini bukan file takarir.\nSama sekali.\n", "srt", r"^c\.vtt: no caption cues found"),
        ("1\n00:00:01 --> 00:00:02\nhalo\n", "srt", r"^c\.vtt, line 2: malformed cue timing"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i></i>\n", "vtt", r"cues hold no text"),
    ],
)
def test_corrupt_captions(text: str, fmt: str, message: str) -> None:
    with pytest.raises(IngestError, match=message) as info:
        parse_text(text, fmt, name="c.vtt")
    assert info.value.hint


# --- dispatcher -----------------------------------------------------------------------------


def test_unknown_suffix_lists_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "laporan.odt"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(IngestError, match=r"laporan\.odt: unsupported file type '\.odt'") as info:
        read_source(path)
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in (info.value.hint or "")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="file not found"):
        read_source(tmp_path / "nope.txt")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(IngestError, match="is a directory"):
        read_source(folder)


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "CATATAN.TXT"
    path.write_text("Catatan singkat.", encoding="utf-8")
    assert read_source(path).fmt == "txt"


def test_parse_text_rejects_docx_format() -> None:
    with pytest.raises(ValueError, match="docx"):
        parse_text("x", "docx")


def test_content_hash_is_sha256_of_stored_text() -> None:
    assert content_hash("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    a = parse_text("P: Halo\r\nI: Hai\r\n")
    b = parse_text("P: Halo\nI: Hai\n")
    assert content_hash(a.text) == content_hash(b.text)


def test_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    import io
    import zipfile

    from qualcode.core.ingest import read_source
    from qualcode.errors import IngestError

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b" " * (300 * 1024 * 1024) + b">")
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(buf.getvalue())
    assert bomb.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(IngestError, match="decompression bomb"):
        read_source(bomb)
