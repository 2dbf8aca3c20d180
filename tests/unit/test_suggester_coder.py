"""`qualcode suggest --store`: the suggester as a coder, counted only when chosen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.core.analysis.agreement import agreement
from qualcode.core.analysis.query import coding_frame
from qualcode.core.store import Project
from qualcode.core.suggest import store_suggestions, suggest_for_source

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text

SOURCE = "01-kepala-badan.md"


def test_stored_suggestions_are_the_suggesters_and_undoable(sample_project: Project) -> None:
    sid = sample_project.get_source(SOURCE).id
    before = len(coding_frame(sample_project))
    proposals = suggest_for_source(sample_project, sid, limit_per_segment=1,
                                   skip_coded=False)
    added, known = store_suggestions(sample_project, [SOURCE])
    assert added == len({(p.start, p.end, p.code_key) for p in proposals}) > 0 and known == 0
    stored = sample_project.codings(coder="suggester")
    assert len(stored) == added and all(c.note.startswith("suggested:") for c in stored)
    assert {(c.start, c.end, c.code) for c in stored} == {
        (p.start, p.end, p.code_key) for p in proposals}
    assert len(coding_frame(sample_project)) == before       # not counted by default
    assert store_suggestions(sample_project, [SOURCE]) == (0, len(proposals))   # idempotent
    result = agreement(sample_project, coders=["suggester", "peneliti"], sources=[SOURCE])
    assert result.coders == ("suggester", "peneliti") and result.complete_sources == 1
    sample_project.undo()
    assert sample_project.codings(coder="suggester") == []


def test_cli_suggest_lists_and_stores(sample_project_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "s.qualcode"
    shutil.copy(sample_project_file, target)
    runner = CliRunner()
    listed = runner.invoke(app, ["suggest", "-p", str(target), "--source", SOURCE])
    assert listed.exit_code == 0 and f"{SOURCE}:" in listed.stdout
    stored = runner.invoke(app, ["suggest", "-p", str(target), "--source", SOURCE, "--store"])
    assert stored.exit_code == 0 and "stored as coder suggester" in stored.stdout
    compared = runner.invoke(app, ["agreement", "-p", str(target), "--lang", "en",
                                   "--coders", "suggester,peneliti", "--source", SOURCE],
                             env={"COLUMNS": "160"})
    assert compared.exit_code == 0 and "suggester, peneliti" in compared.stdout


def test_stored_suggestions_are_not_counted_as_coding_progress(
        sample_project: Project) -> None:
    """Storing 35 suggestions raised the home count (141 -> 179 codings) and a transcript's
    coded share (12 % -> 38 %) although nobody coded anything: proposals are not codings."""
    from qualcode.core.analysis.catalogue import analysis_progress
    from qualcode.core.store.summary import source_progress

    sid = sample_project.get_source(SOURCE).id
    assert sid is not None
    counts, progress = sample_project.counts()["codings"], source_progress(sample_project)
    hub = analysis_progress(sample_project).codings
    added, _known = store_suggestions(sample_project, [SOURCE])
    assert added > 0
    assert sample_project.counts()["codings"] == counts
    assert analysis_progress(sample_project).codings == hub == counts
    assert source_progress(sample_project)[sid].coded == progress[sid].coded
