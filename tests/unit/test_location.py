"""Citable locations computed from offsets: line, paragraph and page."""

from __future__ import annotations

import pytest

from qualcode.core.credit import SpeakerCredits
from qualcode.core.location import Location, TextMap, citation

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text

TEXT = "Judul\n\nParagraf satu baris satu\nbaris dua.\n\nParagraf dua.\n"


def test_lines_and_blank_line_paragraphs() -> None:
    where = TextMap(TEXT)
    assert where.at(0) == Location(1, 1)
    assert where.at(TEXT.index("Paragraf satu")) == Location(3, 2)
    assert where.at(TEXT.index("baris dua")) == Location(4, 2)
    assert where.at(TEXT.index("Paragraf dua")) == Location(6, 3)


def test_without_blank_lines_each_line_is_a_paragraph() -> None:
    text = "P: Tanya?\nI: Jawab satu.\n\tI: lanjut\n"
    where = TextMap(text)
    assert where.at(text.index("Jawab")) == Location(2, 2)
    assert where.at(text.index("lanjut")) == Location(3, 3)


def test_pages_from_page_starts() -> None:
    text = "halaman satu\nhalaman dua\nhalaman tiga\n"
    starts = [0, text.index("halaman dua"), text.index("halaman tiga")]
    where = TextMap(text, starts)
    assert where.at(text.index("dua")).page == 2
    assert where.at(len(text) - 1) == Location(3, 3, 3)
    assert where.at(5).text("en") == "page 1, line 1, paragraph 1"


def test_citation_reads_as_a_paper_cites() -> None:
    assert citation("Informant 3", "Head of division", "interview", Location(7, 4)) == (
        "Informant 3 (Head of division), interview, line 7, paragraph 4")
    assert citation(None, None, "document LKJIP.pdf", Location(2, 1, 14)) == (
        "document LKJIP.pdf, page 14, line 2, paragraph 1")


def test_credit_follows_attribution_then_turn_then_source() -> None:
    turns = [(0, 10, "P", None, True), (12, 30, "Bu Rina", "Informan 1", False),
             (32, 50, "Pak Dedi", None, False)]
    credits = SpeakerCredits("Sumber", turns, [(35, 40, "Informan 9")])
    assert credits.at(3).interviewer and credits.at(3).informant is None
    assert credits.at(15).informant == "Informan 1"
    assert credits.at(33).informant == "Sumber"  # a label not mapped: the source's informant
    assert credits.at(36).informant == "Informan 9" and credits.at(36).attributed
    assert credits.at(11).informant == "Sumber"  # between turns
