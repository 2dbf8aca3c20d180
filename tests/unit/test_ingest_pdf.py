"""PDF import: text layer with page starts, running heads and page numbers left out, sentences
across page breaks whole; scans, password protection and damage refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_samples import damaged_pdf, encrypted_pdf, image_pdf, labelled_pdf, text_pdf

from qualcode.core.ingest import read_source, segment_source
from qualcode.core.ingest.evaluate import boundary_scores, differences
from qualcode.core.location import TextMap, page_starts
from qualcode.core.store import Project

LABELLED = Path(__file__).parent.parent / "data" / "segmentation" / "pdf"


def test_text_pdf_keeps_lines_and_page_starts(tmp_path: Path) -> None:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(text_pdf([["Halaman satu, baris satu.", "Baris dua."],
                               ["Halaman dua memuat pelak-", "sanaan kegiatan."]]))
    parsed = read_source(path)
    assert parsed.fmt == "pdf"
    assert parsed.text == ("Halaman satu, baris satu.\nBaris dua.\n\n"
                           "Halaman dua memuat pelak-\nsanaan kegiatan.")
    assert parsed.page_starts == [0, parsed.text.index("Halaman dua")]


@pytest.mark.parametrize("path", sorted(LABELLED.glob("*.txt")), ids=lambda p: p.stem)
def test_labelled_pdf_boundaries_reach_precision_and_recall_095(
        tmp_path: Path, path: Path) -> None:
    """Each hand-labelled report as a generated PDF (running heads and page numbers printed
    on its pages), its stored text and segments scored against the labels."""
    data, expected, gold = labelled_pdf(path.read_text(encoding="utf-8"))
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(data)
    parsed = read_source(pdf)
    assert parsed.text == expected  # no running head, no page number in the text
    predicted = [(s.start, s.end) for s in segment_source(parsed, "id")]
    scores = boundary_scores(predicted, gold)
    assert scores.precision >= 0.95 and scores.recall >= 0.95, differences(
        expected, predicted, gold)


HEAD = "LAPORAN KINERJA BKPSDM 2025"
PAGES = [
    [HEAD, "Pengukuran kinerja dilakukan setiap triwulan oleh subbagian perencanaan dan",
     "hasilnya dibahas dalam rapat pimpinan sebelum ditetapkan oleh", "Halaman 1 dari 3"],
    [HEAD, "Kepala Badan pada akhir tahun. Realisasi anggaran mencapai 94,6% dari pagu",
     "yang ditetapkan dalam dokumen pelaksanaan anggaran tahun berjalan.", "- 2 -"],
    [HEAD, "Sisa anggaran berasal dari efisiensi perjalanan dinas.", "Halaman 3 dari 3"],
]


def test_running_heads_and_page_numbers_leave_the_text_and_pages_stay_right(
        tmp_path: Path) -> None:
    path = tmp_path / "berkop.pdf"
    path.write_bytes(text_pdf(PAGES))
    with Project.create(tmp_path / "p.qualcode") as project:
        report = project.import_files([path], overrides={"kind": "document"})
        sid = report.outcomes[0].source_id
        assert sid is not None
        source = project.get_source(sid)
        assert HEAD not in source.text and "Halaman" not in source.text
        assert "- 2 -" not in source.text
        where = TextMap(source.text, page_starts(source.meta))
        found = [(source.text[g.start:g.end].replace("\n", " "), where.at(g.start).page)
                 for g in project.segments(sid)]
    assert found == [
        ("Pengukuran kinerja dilakukan setiap triwulan oleh subbagian perencanaan dan hasilnya "
         "dibahas dalam rapat pimpinan sebelum ditetapkan oleh Kepala Badan pada akhir tahun.",
         1),  # across the page break
        ("Realisasi anggaran mencapai 94,6% dari pagu yang ditetapkan dalam dokumen "
         "pelaksanaan anggaran tahun berjalan.", 2),
        ("Sisa anggaran berasal dari efisiensi perjalanan dinas.", 3),
    ]


def test_only_page_numbers_and_repeated_edge_lines_are_running_heads(tmp_path: Path) -> None:
    """A bare number or a year ending a one-page document is text; a line repeated in the
    middle of pages is text; a page number said as one is not, even on one page."""
    one = tmp_path / "satu.pdf"
    one.write_bytes(text_pdf([["Jumlah pegawai yang mengikuti pelatihan tahun ini:", "2025"]]))
    assert read_source(one).text.endswith("\n2025")
    numbered = tmp_path / "bernomor.pdf"
    numbered.write_bytes(text_pdf([["Laporan singkat kegiatan bimbingan teknis.",
                                    "Hal. 1 / 1"]]))
    assert read_source(numbered).text == "Laporan singkat kegiatan bimbingan teknis."
    middle = tmp_path / "tengah.pdf"
    pages = [[f"Bagian {n} laporan memuat capaian.", "Catatan: data sementara.",
              f"Penutup bagian {n}."] for n in ("satu", "dua")]
    middle.write_bytes(text_pdf([[f"Halaman {n} dari 2", *page, f"{n}"]
                                 for n, page in enumerate(pages, start=1)]))
    parsed = read_source(middle)
    first, second = ("\n".join(page) for page in pages)
    assert parsed.text == first + "\n\n" + second
    assert parsed.page_starts == [0, len(first) + 2]
    headed = tmp_path / "bab.pdf"  # numbered section headings opening each page stay
    words = ("pertama", "kedua", "ketiga")
    headed.write_bytes(text_pdf([[f"2.{n} Capaian Sasaran {n}", f"Sasaran {w} tercapai.", str(n)]
                                 for n, w in enumerate(words, start=1)]))
    assert read_source(headed).text.split("\n\n") == [
        f"2.{n} Capaian Sasaran {n}\nSasaran {w} tercapai." for n, w in enumerate(words, start=1)]


@pytest.mark.parametrize(("make", "message"), [
    (image_pdf, "has no text layer"),
    (encrypted_pdf, "password-protected"),
    (damaged_pdf, "damaged or not a PDF"),
])
def test_bad_pdfs_get_one_clear_line_and_the_batch_goes_on(
        tmp_path: Path, make: object, message: str) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(make())  # type: ignore[operator]
    good = tmp_path / "good.pdf"
    good.write_bytes(text_pdf([["Laporan ini dapat dibaca dengan baik oleh siapa saja."]]))
    with Project.create(tmp_path / "p.qualcode") as project:
        report = project.import_files([bad, good], overrides={"kind": "document"})
        assert [o.status for o in report.outcomes] == ["error", "imported"]
        error = report.outcomes[0].message
        assert message in error and "\n" not in error and error.startswith(str(bad))
        assert [s.name for s in project.sources()] == ["good.pdf"]


def test_a_page_holding_only_its_number_keeps_the_page_count_right(tmp_path: Path) -> None:
    path = tmp_path / "kosong.pdf"
    path.write_bytes(text_pdf([
        ["Bagian pertama laporan kinerja badan tahun ini.", "Halaman 1 dari 3"],
        ["Halaman 2 dari 3"],  # a page left blank but for its number
        ["Bagian ketiga memuat penutup laporan.", "Halaman 3 dari 3"]]))
    parsed = read_source(path)
    assert parsed.text == ("Bagian pertama laporan kinerja badan tahun ini.\n\n"
                           "Bagian ketiga memuat penutup laporan.")
    where = TextMap(parsed.text, parsed.page_starts)
    assert [where.at(s.start).page for s in segment_source(parsed, "id")] == [1, 3]
