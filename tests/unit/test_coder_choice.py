"""Whose codings count: one coder, a set (a passage counted once) or the consensus coder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consensus_helpers import complete_consensus
from qualcode.cli import app
from qualcode.core.analysis.display import DISPLAYS
from qualcode.core.analysis.query import coding_frame, resolve_coders
from qualcode.core.store import Project
from qualcode.errors import NotFoundError

runner = CliRunner()


def _frequency(project: Project, **options: str) -> tuple[int, list[str]]:
    d = DISPLAYS["frequency"](project, codebook="sobandi-2008", lang="en", **options)
    return int(d.frame.iloc[:, 0].sum()), d.notes


def test_default_is_the_session_coder_then_the_consensus(sample_project: Project,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    # the sample project's default coder is peneliti
    assert resolve_coders(sample_project) == ("peneliti",)
    n, notes = _frequency(sample_project)
    mine = coding_frame(sample_project, codebook="sobandi-2008", coders=["peneliti"])
    assert n == len(mine) and "Codings of coder peneliti." in notes
    sample_project.session_coder = "asisten"
    assert resolve_coders(sample_project) == ("asisten",)
    row = sample_project.codings(coder="asisten", codes=["SOB-1"])[0]
    sample_project.apply_code(row.source_id, row.start, row.end, row.code, coder="consensus")
    # one decided place is not a consensus: every count would shrink to it
    assert resolve_coders(sample_project) == ("asisten",)
    assert complete_consensus(sample_project) > 0
    # consensus codings in every source some coder coded: now the default
    assert resolve_coders(sample_project) == ("consensus",)
    n, notes = _frequency(sample_project)
    theirs = coding_frame(sample_project, codebook="sobandi-2008", coders=["consensus"])
    assert n == len(theirs) and "Codings of the consensus coder (adjudicated codings)." in notes


def test_a_set_of_coders_counts_a_shared_passage_once(sample_project: Project) -> None:
    both = coding_frame(sample_project, coders=["asisten,peneliti"])
    everything = sample_project.codings()
    passages = {(c.source_id, c.start, c.end, c.code) for c in everything}
    assert len(both) == len(passages) < len(everything)
    n, notes = _frequency(sample_project, coder="asisten,peneliti")
    assert n == len(coding_frame(sample_project, codebook="sobandi-2008",
                                 coders=["asisten", "peneliti"]))
    assert any(note.startswith("Codings of coders asisten, peneliti;") for note in notes)


def test_suggester_counts_only_when_chosen(sample_project: Project) -> None:
    row = sample_project.codings(coder="peneliti")[0]
    sample_project.apply_code(row.source_id, row.start, row.end, "SOB-6", coder="suggester")
    default = coding_frame(sample_project)
    assert "suggester" not in set(default["coder"])
    assert set(coding_frame(sample_project, coders=["suggester"])["coder"]) == {"suggester"}


def test_an_unknown_coder_is_an_error_not_zeros(sample_project: Project) -> None:
    with pytest.raises(NotFoundError, match="no codings by coder 'zoe'"):
        coding_frame(sample_project, coders=["zoe"])


def test_cli_coder_options(sample_project_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "s.qualcode"
    shutil.copy(sample_project_file, target)
    env = {"COLUMNS": "200"}
    base = ["matrix", "frequency", "-p", str(target), "-c", "sobandi-2008", "--lang", "en"]
    result = runner.invoke(app, [*base, "--coders", "asisten,peneliti"], env=env)
    assert result.exit_code == 0 and "Codings of coders asisten, peneliti;" in result.stdout
    result = runner.invoke(app, [*base, "--coder", "asisten"], env=env)
    assert result.exit_code == 0 and "Codings of coder asisten." in result.stdout
    result = runner.invoke(app, [*base, "--consensus"], env=env)
    assert result.exit_code == 2 and "no codings by coder 'consensus'" in result.output
    result = runner.invoke(app, [*base, "--coder", "asisten", "--consensus"], env=env)
    assert result.exit_code == 2 and "choose one of --coder, --coders" in result.output
    result = runner.invoke(app, ["conclusions", "-p", str(target), "--lang", "en",
                                 "--coders", "asisten,peneliti"], env=env)
    assert result.exit_code == 0 and "Codings of coders asisten, peneliti;" in result.stdout
