"""The conclusions report in Indonesian, end to end from the sample project (`qualcode
conclusions --out r.md|r.docx|r.tex`): none of our fixed English words is left in it. Each of
those words is first found in the English report, so the list checks text the report really
has. What is not ours is taken out before the check: the quoted excerpts (one sample source is
an English interview) and the codebooks' citations, which the bundled codebooks give in English
only."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.core.analysis.conclusions import build_report
from qualcode.core.export.latex import escape
from qualcode.core.store import Project

# Our words in the English report: headings, labels, roles, source kinds, checks, verdicts.
ENGLISH = ["DRAFT", "Results", "This chapter covers", "Method", "Verdict", "Proposed verdict",
           "Basis", "Supporting evidence", "Contradicting evidence", "Verification checklist",
           "Summary", "decided by", "not decided yet", "tentative", "neutral", "codings",
           "informants", "interview", "observation", "document", "line", "paragraph",
           "Head", "Secretary", "Staff", "Section head", "Public", "Triangulation",
           "Representativeness", "Negative evidence", "Outliers", "Weighting of evidence",
           "Explanation", "Emergent codes", "Effective", "Not effective", "None", "Rule",
           "sources", "coder"]
FORMATS = ("md", "docx", "tex")


@pytest.fixture
def studied(sample_project_file: Path, tmp_path: Path) -> Path:
    """The sample project with what a report shows beyond proposals: a decided verdict with
    a statement, a contradicting coding linked with the researcher's explanation, and an
    emergent code."""
    path = tmp_path / "studi.qualcode"
    shutil.copy(sample_project_file, path)
    project = Project.open(path)
    codings = project.codings(codes=["SOB-1"])
    project.set_conclusion("SOB-1", statement="Keahlian pegawai belum merata.",
                           verdict="not_effective", decided_by="ani")
    project.link_evidence("SOB-1", codings[0].id, "contradicts",
                          note="Pegawai baru, belum mengikuti diklat.")
    project.set_conclusion("SIA-1", verdict="effective", decided_by="ani")
    project.add_code("EM-1", "Budaya antre", "Queueing culture")
    project.apply_code(codings[0].source_id, codings[0].start, codings[0].end, "EM-1")
    project.close()
    return path


def written_text(path: Path) -> str:
    """The text of a written report, whatever its format."""
    if path.suffix == ".docx":
        return "\n".join(p.text for p in Document(str(path)).paragraphs)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".tex":   # LaTeX commands and comments are not the paper's words
        text = re.sub(r"(?m)^%.*$", "", text)
        text = text[text.index("\\begin{document}"):]   # the preamble: package names
        text = re.sub(r"\\(begin|end)\{[^}]*\}", " ", text)
        text = re.sub(r"\\[A-Za-z]+\*?", " ", text)
    return text


def ours(text: str, citations: list[str]) -> str:
    """`text` without the quoted excerpts and the codebooks' citations."""
    text = re.sub(r"“[^”]*”", " ", " ".join(text.split()))
    for citation in citations:
        for form in (citation, escape(citation)):
            text = text.replace(form, " ")
    return text


def found(word: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text) is not None


def export(project: Path, folder: Path, lang: str) -> dict[str, str]:
    texts = {}
    for fmt in FORMATS:
        out = folder / f"laporan-{lang}.{fmt}"
        result = CliRunner().invoke(app, ["conclusions", "-p", str(project), "--out", str(out),
                                          "--lang", lang])
        assert result.exit_code == 0, result.output
        texts[fmt] = written_text(out)
    return texts


def test_the_indonesian_report_has_none_of_our_english_words(studied: Path,
                                                             tmp_path: Path) -> None:
    project = Project.open(studied)
    citations = [" ".join(b.citation.split()).rstrip(".")
                 for b in build_report(project, lang="id").codebooks if b.citation]
    project.close()
    english = export(studied, tmp_path, "en")
    indonesian = export(studied, tmp_path, "id")
    for fmt in FORMATS:
        shown = ours(english[fmt], citations)
        missing = [w for w in ENGLISH if not found(w, shown)]
        assert not missing, f"{fmt}: the English report lacks {missing}"
        left = [w for w in ENGLISH if found(w, ours(indonesian[fmt], citations))]
        assert not left, f"{fmt}: English left in the Indonesian report: {left}"
        assert "(emergent)" not in indonesian[fmt]   # the emergent codes' internal key
    md = indonesian["md"]
    assert r"\[DRAF\]" in md and "Kepala bidang" in md and "wawancara" in md
    assert "Pegawai baru, belum mengikuti diklat." in md     # the explanation, beside its quote
