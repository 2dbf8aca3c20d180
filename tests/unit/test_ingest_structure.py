"""Structure-first segmentation: blocks, abbreviations, hard wraps, and the labelled files."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.core.ingest import parse_text, segment_source
from qualcode.core.ingest.abbreviations import abbreviations
from qualcode.core.ingest.evaluate import boundary_scores, differences, read_labelled
from qualcode.core.ingest.structure import find_blocks

LABELLED = Path(__file__).parent.parent / "data" / "segmentation"


def _segments(text: str, fmt: str = "txt") -> list[tuple[str, str | None]]:
    parsed = parse_text(text, fmt)
    return [(parsed.text[s.start:s.end], s.block) for s in segment_source(parsed, "id")]


@pytest.mark.parametrize("path", sorted(LABELLED.glob("*.txt")), ids=lambda p: p.stem)
def test_labelled_boundaries_reach_precision_and_recall_095(path: Path) -> None:
    plain, gold = read_labelled(path.read_text(encoding="utf-8"))
    parsed = parse_text(plain)
    predicted = [(s.start, s.end) for s in segment_source(parsed, "id")]
    scores = boundary_scores(predicted, gold)
    assert scores.precision >= 0.95 and scores.recall >= 0.95, "\n".join(
        differences(plain, predicted, gold))


def test_read_labelled_gives_plain_text_and_trimmed_gold_spans() -> None:
    plain, gold = read_labelled("‖Satu. ‖Dua.¦\nP: ‖Tiga")
    assert plain == "Satu. Dua.\nP: Tiga"
    assert [plain[a:b] for a, b in gold] == ["Satu.", "Dua.", "Tiga"]
    scores = boundary_scores([(0, 10), (14, 18)], gold)
    assert (scores.predicted, scores.gold, scores.correct) == (4, 6, 4)


def test_list_marker_stays_with_its_item_and_items_are_units() -> None:
    text = ("Fungsi badan:\n1. perumusan kebijakan teknis;\n2. pelaksanaan kebijakan.\n"
            "a) satu hal. Lalu hal lain.\nb) hal kedua\n• butir\n")
    assert _segments(text) == [
        ("Fungsi badan:", "heading"),
        ("1. perumusan kebijakan teknis;", "list_item"),
        ("2. pelaksanaan kebijakan.", "list_item"),
        ("a) satu hal.", "list_item"),
        ("Lalu hal lain.", "list_item"),
        ("b) hal kedua", "list_item"),
        ("• butir", "list_item"),
    ]


def test_table_rows_tab_and_markdown_pipes_are_one_segment_each() -> None:
    text = "No\tPangkat\n1\tPenata Tk. I. Baru\n"
    assert _segments(text) == [("No\tPangkat", "table_row"), ("1\tPenata Tk. I. Baru", "table_row")]
    md = "| No | Pangkat |\n|---|---|\n| 1 | Penata Tk. I |\n"
    assert _segments(md, "md") == [("| No | Pangkat |", "table_row"),
                                   ("| 1 | Penata Tk. I |", "table_row")]


@pytest.mark.parametrize("sentence", [
    "Ia naik ke PENATA MUDA Tk. I pada tahun ini.",
    "Kontrak dengan PT. Maju Jaya selesai.",
    "Surat itu ditandatangani pejabat dengan NIP. 197103 yang sah.",
    "Kantor di Jl. Merdeka No. 5 Kab. Sukamaju Kec. Cibeureum Prov. Jawa Barat sudah dibuka.",
    "Ir. Hj. Sri Lestari, S.Sos. M.Si. hadir sebagai narasumber.",
    "Datanya ada pada tabel 2.3. yang disusun bidang mutasi.",
    "Alat tulis, kertas, dsb. sudah dibeli.",
])
def test_abbreviations_do_not_end_sentences(sentence: str) -> None:
    assert _segments(sentence + " Kalimat kedua.") == [
        (sentence, "paragraph"), ("Kalimat kedua.", "paragraph")]


def test_may_be_final_abbreviation_ends_a_sentence_before_a_capital() -> None:
    rules = abbreviations("id")
    assert rules.joins("kertas, dsb.", "sudah dibeli")
    assert not rules.joins("Kami membeli kertas, tinta, dsb.", "Kemudian rapat")
    assert rules.joins("PENATA MUDA Tk.", "I pada tahun")


def test_user_abbreviation_file_extends_the_packaged_list(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "abbreviations-id.txt").write_text("# mine\nKapolsek.\n", encoding="utf-8")
    monkeypatch.setenv("QUALCODE_ABBREVIATIONS_DIR", str(tmp_path))
    abbreviations.cache_clear()
    try:
        assert abbreviations("id").joins("bertemu Kapolsek.", "Budi")
        assert _segments("Saya bertemu Kapolsek. Budi di sana.") == [
            ("Saya bertemu Kapolsek. Budi di sana.", "paragraph")]
    finally:
        monkeypatch.delenv("QUALCODE_ABBREVIATIONS_DIR")
        abbreviations.cache_clear()


def test_hard_wrapped_sentence_is_whole_and_stored_text_keeps_breaks() -> None:
    text = ("Pegawai yang telah mengikuti pelatihan sering kembali ke kebiasaan lama\n"
            "karena lingkungan kerja tidak men-\ndukung. Kalimat berikutnya pendek.\n")
    parsed = parse_text(text)
    spans = segment_source(parsed, "id")
    assert parsed.text == text
    assert [parsed.text[s.start:s.end] for s in spans] == [
        "Pegawai yang telah mengikuti pelatihan sering kembali ke kebiasaan lama\n"
        "karena lingkungan kerja tidak men-\ndukung.", "Kalimat berikutnya pendek."]


def test_sentence_cut_by_a_blank_line_is_joined_when_it_continues_in_lower_case() -> None:
    text = "Upaya pembinaan yang dilakukan\n\nbertahun-tahun kehilangan dampaknya.\n\nBaru.\n"
    assert [t for t, _ in _segments(text)] == [
        "Upaya pembinaan yang dilakukan\n\nbertahun-tahun kehilangan dampaknya.", "Baru."]


def test_short_line_before_a_paragraph_is_a_heading_but_not_inside_a_turn() -> None:
    blocks = find_blocks("Latar Belakang\nPemerintah daerah menyusun laporan kinerja setiap "
                         "tahun sebagai bentuk pertanggungjawaban.\n")
    assert [b.kind for b in blocks] == ["heading", "paragraph"]
    inside = find_blocks("Iya betul\n", shape_headings=False)
    assert [b.kind for b in inside] == ["paragraph"]


def test_signature_block_is_one_unit() -> None:
    text = ("Laporan selesai.\n\nIr. H. Ahmad, M.Si.\nPembina Utama Muda\n"
            "NIP. 19710312 199803 1 004\n")
    assert _segments(text)[-1] == (
        "Ir. H. Ahmad, M.Si.\nPembina Utama Muda\nNIP. 19710312 199803 1 004", "signature")


def test_docx_numbering_bullets_and_table_rows_are_units() -> None:
    import io

    import docx

    from qualcode.core.ingest.docx import parse_docx

    document = docx.Document()
    document.add_paragraph("Dasar hukum penyusunan laporan adalah sebagai berikut:")
    document.add_paragraph("Undang-Undang Nomor 20 Tahun 2023;", style="List Number")
    document.add_paragraph("Peraturan Pemerintah Nomor 11 Tahun 2017.", style="List Number")
    document.add_paragraph("pelatihan teknis", style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    for i, row in enumerate([("No", "Pangkat", "Jumlah"), ("1", "Penata Tk. I", "9")]):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    table.cell(1, 2).add_paragraph("orang")
    document.add_paragraph("Pegawai berpangkat Penata Tk. I berjumlah sembilan. Sisanya Penata.")
    data = io.BytesIO()
    document.save(data)
    parsed = parse_docx(data.getvalue(), kind="document")
    segments = [(parsed.text[s.start:s.end], s.block) for s in segment_source(parsed, "id")]
    assert segments == [
        ("Dasar hukum penyusunan laporan adalah sebagai berikut:", "paragraph"),
        ("1. Undang-Undang Nomor 20 Tahun 2023;", "list_item"),
        ("2. Peraturan Pemerintah Nomor 11 Tahun 2017.", "list_item"),
        ("• pelatihan teknis", "list_item"),
        ("No\tPangkat\tJumlah", "table_row"),
        ("1\tPenata Tk. I\t9 orang", "table_row"),
        ("Pegawai berpangkat Penata Tk. I berjumlah sembilan.", "paragraph"),
        ("Sisanya Penata.", "paragraph"),
    ]


def test_lone_marker_line_joins_its_item_and_pdf_tables_and_contents_are_rows() -> None:
    text = ("Fungsi:\n1.\nPerumusan kebijakan teknis.\n2.\nPelaksanaan kebijakan.\n\n"
            "1   Penata Tk. I   III/d   9\n2   Penata   III/c   8\n\n"
            "BAB I PENDAHULUAN .................... 1\n\n"
            "Kalimat satu.  Kalimat dua yang diketik dengan dua spasi.  Kalimat tiga.\n")
    assert _segments(text) == [
        ("Fungsi:", "heading"),
        ("1.\nPerumusan kebijakan teknis.", "list_item"),
        ("2.\nPelaksanaan kebijakan.", "list_item"),
        ("1   Penata Tk. I   III/d   9", "table_row"),
        ("2   Penata   III/c   8", "table_row"),
        ("BAB I PENDAHULUAN .................... 1", "table_row"),
        ("Kalimat satu.", "paragraph"),
        ("Kalimat dua yang diketik dengan dua spasi.", "paragraph"),
        ("Kalimat tiga.", "paragraph"),
    ]
