"""Reduction on the small project: retrieval with context, draft summaries, the summary grid,
cell memos, and undo of the analysis store operations."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from analysis_small import TEXTS, Small, build_small

from qualcode.core.analysis.labels import draft_mark
from qualcode.core.analysis.query import context_window, retrieve
from qualcode.core.analysis.reduction import (
    draft_summary,
    is_draft,
    save_draft,
    shorten,
    strip_draft,
    summary_cells,
    summary_grid,
)
from qualcode.errors import NotFoundError, QualcodeError


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Small]:
    built = build_small(tmp_path)
    yield built
    built.project.close()


def test_retrieve_gives_context_and_link(small: Small) -> None:
    [hit] = retrieve(small.project, codes=["T-2"], informants=["Budi"], context_chars=10)
    text = TEXTS["budi.txt"]
    start = text.index("belum paham tugas")
    assert hit.text == "belum paham tugas" and hit.coding_id == small.ids["b3"]
    assert hit.link == (small.sources["budi"], start)
    # 10 characters before are 'egawai baru ': the cut word is dropped
    assert hit.before == "baru "
    assert hit.after == ".\n"
    assert (hit.informant, hit.role, hit.kind, hit.valence) == ("Budi", "staff", "interview", "-")


def test_retrieve_selection(small: Small) -> None:
    hits = retrieve(small.project, coders=["r1"], valence="+", kinds=["interview"])
    assert sorted(h.coding_id for h in hits) == sorted(small.ids[k] for k in ("a1", "a2", "c1"))
    assert retrieve(small.project, codes=["T-1"], limit=2, context_chars=0)[0].before == ""


def test_context_window_edges() -> None:
    text = "satu dua tiga empat lima"
    assert context_window(text, 9, 13, 100) == ("satu dua ", " empat lima")
    assert context_window(text, 9, 13, 3) == ("", "")  # only partial words fit


def test_draft_summary_is_marked_and_balanced(small: Small) -> None:
    draft = draft_summary(small.project, "T-2", "Zainal")
    # Zainal x T-2: + a2 (a5 is r2's coding of the same passage: counted once), − a3
    assert draft == (f"{draft_mark('id')} (1+ / 1−) Mereka bekerja mandiri. … "
                     "Ada yang bergantung pada senior.")
    assert is_draft(draft) and not is_draft(strip_draft(draft))
    # the sentence with the indicator phrase 'menguasai' comes first for T-1
    one = draft_summary(small.project, "T-1", "Zainal", max_sentences=1)
    assert one == f"{draft_mark('id')} (2+ / 0−) Pegawai menguasai pekerjaan."
    with pytest.raises(QualcodeError, match="Citra has no codings of T-2 by"):
        draft_summary(small.project, "T-2", "Citra", coder="r2")


def test_saving_and_accepting_a_draft(small: Small) -> None:
    project = small.project
    row = save_draft(project, "T-2", "Zainal")
    assert row is not None and row.status == "draft" and is_draft(row.text)
    grid = summary_grid(project, codebook="tiny")
    assert grid.frame.loc[("Buku kode kecil", "Mandiri"), "Zainal"].startswith(draft_mark("id"))
    accepted = project.set_summary("T-2", "Zainal", row.text, status="accepted")
    assert accepted is not None and accepted.text.startswith("(1+ / 1−) Mereka")
    cells = {(c.code, c.informant): c for c in summary_cells(project, codebook="tiny")}
    assert cells[("T-2", "Zainal")].status == "accepted"
    assert cells[("T-2", "Zainal")].codings == 2 and cells[("T-1", "Budi")].codings == 2
    assert cells[("T-1", "Budi")].text == ""
    assert project.set_summary("T-2", "Zainal", "  ") is None  # empty text clears the cell
    assert project.get_summary("T-2", "Zainal") is None


def test_undo_summary(small: Small) -> None:
    project = small.project
    project.set_summary("T-1", "Budi", "Belum ahli.")
    project.set_summary("T-1", "Budi", "Keahlian belum merata.")
    project.undo()
    summary = project.get_summary("T-1", "Budi")
    assert summary is not None and summary.text == "Belum ahli."
    project.undo()
    assert project.get_summary("T-1", "Budi") is None
    project.redo()
    summary = project.get_summary("T-1", "Budi")
    assert summary is not None and summary.text == "Belum ahli."


def test_undo_conclusion_and_evidence(small: Small) -> None:
    project = small.project
    project.set_conclusion("T-1", statement="Ahli.", verdict="effective")
    project.set_conclusion("T-1", verdict="not_yet_optimal", status="verified",
                           decided_by="Dr. Sari")
    project.link_evidence("T-1", small.ids["b1"], "supports")
    assert [e.coding_id for e in project.evidence("T-1")] == [small.ids["b1"]]
    project.undo()
    assert project.evidence("T-1") == []
    project.undo()
    row = project.get_conclusion("T-1")
    assert row is not None and (row.verdict, row.status, row.decided_by) == (
        "effective", "tentative", "researcher")
    project.undo()
    assert project.get_conclusion("T-1") is None
    project.redo()
    assert project.get_conclusion("T-1") is not None


def test_unlink_evidence_and_relink_changes_stance(small: Small) -> None:
    project = small.project
    project.link_evidence("T-2", small.ids["a3"], "supports")
    link = project.link_evidence("T-2", small.ids["a3"], "contradicts")
    assert link.stance == "contradicts" and len(project.evidence("T-2")) == 1
    project.unlink_evidence("T-2", small.ids["a3"])
    assert project.evidence("T-2") == []
    project.undo()
    assert [e.stance for e in project.evidence("T-2")] == ["contradicts"]
    with pytest.raises(NotFoundError, match="is not evidence for T-1"):
        project.unlink_evidence("T-1", small.ids["a3"])
    with pytest.raises(NotFoundError, match="no coding 999"):
        project.link_evidence("T-1", 999)


def test_cell_memos(small: Small) -> None:
    project = small.project
    memo = project.add_cell_memo("T-1", "Citra", "Bandingkan dengan observasi.")
    assert [m.id for m in project.cell_memos("T-1", "Citra")] == [memo.id]
    assert project.cell_memos("T-1", "Budi") == []
    project.undo()
    assert project.cell_memos("T-1", "Citra") == []
    with pytest.raises(NotFoundError, match="no informant 'Dewi'"):
        project.add_cell_memo("T-1", "Dewi", "x")


def test_shorten() -> None:
    assert shorten("a  b\nc") == "a b c"
    long = "kata " * 100
    out = shorten(long, 50)
    assert len(out) <= 50 and out.endswith("…") and not out.endswith(" …")


def test_importing_qualcode_store_does_not_load_pandas() -> None:
    code = ("import sys; import qualcode.cli, qualcode.core.store; "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
