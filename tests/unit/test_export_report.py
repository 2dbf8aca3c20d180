"""The conclusions report as a results section, in Markdown and Word."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_samples import report

from qualcode.core.export import ExportError, export_report
from qualcode.core.export.markdown import report_to_markdown


def test_markdown_report_has_a_section_per_code_with_evidence(tmp_path: Path) -> None:
    md = export_report(report("en"), tmp_path / "r.md").read_text("utf-8")
    assert md.startswith("# Results: apparatus professionalism\n")
    assert "## 1. Expertise (SOB-1)" in md and "## 2. Autonomy (SOB-2)" in md
    first = md[md.index("## 1."):md.index("## 2.")]
    assert "- **Verdict:** Not yet optimal (verified; decided by rina)" in first
    assert "- **Proposed verdict:** Not yet optimal (1+ / 3− / 0 neutral)" in first
    assert first.index("### Supporting evidence") < first.index("Many staff") < first.index(
        "### Contradicting evidence") < first.index("masters the job")
    assert (r"> *“Many staff \*still\* rely on seniors.”* — Pak Ahmad (Head), interview, "
            "line 4, paragraph 2") in first
    assert "- [x] **Triangulation** — 3 informants; interview, document" in first
    assert "- [ ] **Contradicting evidence addressed** — 1 open" in first
    second = md[md.index("## 2."):]
    assert "(no statement yet)" in second and "not decided yet (tentative)" in second
    assert second.count("None.") == 2
    assert md.rstrip().endswith("All characteristics are effective except expertise.")


def test_markdown_report_in_indonesian() -> None:
    md = report_to_markdown(report("id"))
    assert "### Bukti pendukung" in md and "### Bukti yang bertentangan" in md
    assert "## Kesimpulan" in md and "terverifikasi" in md
    assert "— Dedi (Staf), wawancara" in md


def test_docx_report_structure(tmp_path: Path) -> None:
    from docx import Document

    doc = Document(str(export_report(report("en"), tmp_path / "r.docx")))
    headings = [(p.style.name, p.text) for p in doc.paragraphs
                if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Results: apparatus professionalism")
    level2 = [text for style, text in headings if style == "Heading 2"]
    assert level2 == ["1. Expertise (SOB-1)", "2. Autonomy (SOB-2)", "Summary"]
    level3 = [text for style, text in headings if style == "Heading 3"]
    assert level3.count("Supporting evidence") == 2 and level3.count("Verification checklist") == 2

    quote = next(p for p in doc.paragraphs if "Many staff" in p.text)
    assert quote.runs[0].italic and quote.runs[0].text == "“Many staff *still* rely on seniors.”"
    assert quote.text.endswith("— Pak Ahmad (Head), interview, line 4, paragraph 2")
    texts = [p.text for p in doc.paragraphs]
    assert "Verdict: Not yet optimal (verified; decided by rina)" in texts
    assert "✗ Contradicting evidence addressed — 1 open" in texts
    assert texts[-1] == "All characteristics are effective except expertise."
    order = [texts.index(t) for t in ("1. Expertise (SOB-1)", "Supporting evidence",
                                      quote.text, "Contradicting evidence")]
    assert order == sorted(order)


def test_report_refuses_table_formats(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as err:
        export_report(report(), tmp_path / "r.xlsx")
    assert err.value.hint == "use one of .md, .docx, .tex"
