"""Blind coding: a coder sees only their own codings until they choose to compare."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consensus_helpers import complete_consensus
from qualcode.cli import app
from qualcode.core.analysis.agreement import agreement
from qualcode.core.analysis.query import coding_frame, resolve_coders
from qualcode.core.store import Project
from qualcode.core.store.read import blind_coders, coding_spans, load_transcript
from qualcode.errors import QualcodeError

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text


def test_blind_coder_sees_and_counts_only_their_own(sample_project: Project) -> None:
    source = sample_project.get_source("01-kepala-badan.md")
    everyone = coding_spans(sample_project.reader, source.id)
    assert {c.coder for c in everyone} == {"asisten", "peneliti"}
    assert sample_project.set_blind("asisten") == ["asisten"]
    assert blind_coders(sample_project.reader) == ["asisten"]
    sample_project.session_coder = "asisten"
    own = load_transcript(sample_project.reader, source.id, "asisten").codings
    assert own and {c.coder for c in own} == {"asisten"}
    # even with consensus codings the blind coder counts only their own
    assert complete_consensus(sample_project) > 0
    assert resolve_coders(sample_project) == ("asisten",)
    assert set(coding_frame(sample_project)["coder"]) == {"asisten"}
    with pytest.raises(QualcodeError, match="asisten codes blind"):
        coding_frame(sample_project, coders=["peneliti"])
    with pytest.raises(QualcodeError, match="asisten codes blind") as raised:
        agreement(sample_project, coders=["asisten", "peneliti"])
    assert raised.value.hint == "compare when you are ready: `qualcode blind asisten --off`"
    sample_project.set_blind("asisten", False)
    assert resolve_coders(sample_project) == ("consensus",)
    assert agreement(sample_project, coders=["asisten", "peneliti"]).coders


def test_blind_does_not_bind_other_coders(sample_project: Project) -> None:
    sample_project.set_blind("asisten")
    sample_project.session_coder = "peneliti"
    assert set(coding_frame(sample_project, coders=["asisten,peneliti"])["coder"]) == {
        "asisten", "peneliti"}


def test_cli_blind_on_and_off(sample_project_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "s.qualcode"
    shutil.copy(sample_project_file, target)
    runner = CliRunner()
    result = runner.invoke(app, ["blind", "asisten", "-p", str(target)])
    assert result.exit_code == 0 and "blind coders: asisten" in result.stdout
    result = runner.invoke(app, ["matrix", "frequency", "-p", str(target), "--coder",
                                 "peneliti"], env={"QUALCODE_CODER": "asisten"})
    assert result.exit_code == 2 and "codes blind" in result.output
    result = runner.invoke(app, ["blind", "asisten", "--off", "-p", str(target)])
    assert result.exit_code == 0 and "blind coders: none" in result.stdout
