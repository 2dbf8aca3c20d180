"""PDF import: text layer with page starts; scans, password protection and damage refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_samples import damaged_pdf, encrypted_pdf, image_pdf, text_pdf

from qualcode.core.ingest import read_source, segment_source
from qualcode.core.ingest.evaluate import boundary_scores, read_labelled
from qualcode.core.store import Project

LABELLED = Path(__file__).parent.parent / "data" / "segmentation" / "pdf" / "laporan.txt"


def _labelled_pages() -> list[list[str]]:
    """The lines of each page of the labelled PDF text (pages split at a form feed)."""
    plain, _ = read_labelled(LABELLED.read_text(encoding="utf-8"))
    return [page.strip("\n").split("\n") for page in plain.split("\f")]


def test_text_pdf_keeps_lines_and_page_starts(tmp_path: Path) -> None:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(text_pdf([["Halaman satu, baris satu.", "Baris dua."],
                               ["Halaman dua memuat pelak-", "sanaan kegiatan."]]))
    parsed = read_source(path)
    assert parsed.fmt == "pdf"
    assert parsed.text == ("Halaman satu, baris satu.\nBaris dua.\n\n"
                           "Halaman dua memuat pelak-\nsanaan kegiatan.")
    assert parsed.page_starts == [0, parsed.text.index("Halaman dua")]


def test_labelled_pdf_boundaries_reach_precision_and_recall_095(tmp_path: Path) -> None:
    """The hard-wrapped, two-page labelled report as a generated PDF, scored against labels."""
    labelled = LABELLED.read_text(encoding="utf-8")
    path = tmp_path / "laporan.pdf"
    path.write_bytes(text_pdf(_labelled_pages()))
    parsed = read_source(path)
    # The labelled file has a blank line and a form feed between pages; the PDF text the line.
    plain, gold = read_labelled(labelled.replace("\f", ""))
    assert parsed.text == plain.strip("\n")
    predicted = [(s.start, s.end) for s in segment_source(parsed, "id")]
    scores = boundary_scores(predicted, gold)
    assert scores.precision >= 0.95 and scores.recall >= 0.95


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
