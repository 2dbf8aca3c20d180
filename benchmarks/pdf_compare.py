"""Compare PDF text extractors (pypdf, pdfplumber, pypdfium2) on a generated 100-page PDF.

    uv run python benchmarks/pdf_compare.py                    # libraries in this environment
    /path/to/other/venv/bin/python benchmarks/pdf_compare.py   # e.g. a venv with all three

The PDF (written by tests/unit/pdf_samples.py) has 100 pages of 50 numbered lines; pages 91-100
are set in two columns. For each library present: seconds to extract all pages (best of 3),
peak memory, whether every line comes out whole and in reading order (one column: top to
bottom; two columns: the left column before the right one), and its licence. JSON to stdout.
"""

from __future__ import annotations

import importlib.metadata
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_TESTS = Path(__file__).resolve().parent.parent / "tests" / "unit"
sys.path.insert(0, str(_TESTS))

from pdf_samples import text_pdf  # noqa: E402

PAGES, LINES, TWO_COLUMN_FROM = 100, 50, 90


def _pypdf(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def _pdfplumber(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _pypdfium2(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    try:
        out = []
        for page in doc:
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        doc.close()


EXTRACTORS: dict[str, Callable[[Path], list[str]]] = {
    "pypdf": _pypdf, "pdfplumber": _pdfplumber, "pypdfium2": _pypdfium2}


def _in_order(texts: list[str], pages: list[list[str]]) -> bool:
    """Every expected line present, whole, and after the previous one on its page."""
    for text, lines in zip(texts, pages, strict=True):
        flat = " ".join(text.split())
        pos = 0
        for line in lines:
            at = flat.find(line, pos)
            if at < 0:
                return False
            pos = at + len(line)
    return True


def main() -> None:
    import tempfile

    pages = [[f"Halaman {p + 1} baris {n + 1}: pegawai menyusun laporan kinerja tahunan."
              for n in range(LINES)] for p in range(PAGES)]
    results: dict[str, Any] = {"pages": PAGES, "lines_per_page": LINES,
                               "two_column_pages": PAGES - TWO_COLUMN_FROM, "libraries": {}}
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp, "one-column.pdf")
        two = Path(tmp, "two-column.pdf")
        one.write_bytes(text_pdf(pages[:TWO_COLUMN_FROM]))
        two.write_bytes(text_pdf(pages[TWO_COLUMN_FROM:], columns=2))
        for name, extract in EXTRACTORS.items():
            try:
                version = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                continue
            meta = importlib.metadata.metadata(name)
            classifiers = [c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or []
                           if c.startswith("License ::")]
            licence = (meta.get("License-Expression") or meta.get("License")
                       or ", ".join(classifiers))
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                texts = extract(one) + extract(two)
                best = min(best, time.perf_counter() - start)
            results["libraries"][name] = {
                "version": version, "licence": licence.splitlines()[0] if licence else "",
                "seconds_100_pages": round(best, 3),
                "one_column_in_order": _in_order(texts[:TWO_COLUMN_FROM],
                                                 pages[:TWO_COLUMN_FROM]),
                "two_columns_in_order": _in_order(texts[TWO_COLUMN_FROM:],
                                                  pages[TWO_COLUMN_FROM:]),
            }
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
