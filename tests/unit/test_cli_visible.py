"""Visible files: the demo says where its project is, QUALCODE_PROJECT names a project for
every command, written paths are shown in full, and tables never split a word."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.core.store import Project

runner = CliRunner()


def test_the_demo_says_where_its_project_is_and_how_to_use_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_project_file: Path) -> None:
    shown: list[Path] = []
    monkeypatch.setattr("qualcode.launch.show_main",
                        lambda handle, **_kw: shown.append(Path(handle.project.url[10:])))
    target = tmp_path / "data" / "demo.qualcode"
    target.parent.mkdir()
    shutil.copy(sample_project_file, target)
    result = runner.invoke(app, ["demo", "--path", str(target)])
    assert result.exit_code == 0, result.output
    assert shown == [target]
    assert f"export QUALCODE_PROJECT={target}" in result.output
    assert f"qualcode codings -p {target}" in result.output


def test_qualcode_project_names_the_project_for_every_command(
        sample_project_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("QUALCODE_HOME", str(tmp_path / "home"))
    missing = runner.invoke(app, ["codings"])
    assert missing.exit_code == 2 and "QUALCODE_PROJECT" in missing.output
    monkeypatch.setenv("QUALCODE_PROJECT", str(sample_project_file))
    for command in (["codings", "--code", "SOB-1"], ["sources"], ["informants"],
                    ["matrix", "clustered"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (command, result.output)


def test_the_hint_names_the_demo_project_when_it_exists(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_project_file: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(sample_project_file, home / "demo.qualcode")
    monkeypatch.setenv("QUALCODE_HOME", str(home))
    monkeypatch.delenv("QUALCODE_PROJECT", raising=False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["sources"])
    assert result.exit_code == 2
    assert str(home / "demo.qualcode") in " ".join(result.output.split())


def test_a_written_file_is_shown_with_its_full_path(
        sample_project_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUALCODE_PROJECT", str(sample_project_file))
    result = runner.invoke(app, ["matrix", "clustered", "--out", "m.csv", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert str(tmp_path / "m.csv") in result.output and (tmp_path / "m.csv").is_file()


@pytest.mark.parametrize("width", [60, 80, 120])
def test_tables_never_split_a_word(sample_project_file: Path, width: int,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALCODE_PROJECT", str(sample_project_file))
    monkeypatch.setenv("COLUMNS", str(width))
    with Project.open(sample_project_file) as project:
        names = {s.name for s in project.sources()}
        names |= {w for i in project.informants() for w in i.pseudonym.split()}
    for command in (["sources"], ["informants"], ["codings", "--code", "SOB-1"]):
        result = runner.invoke(app, command, terminal_width=width)
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert max(len(line) for line in lines) <= width
        cells = {c.strip() for line in lines for c in re.split(r"[│┃]", line) if c.strip()}
        words = {w for c in cells for w in c.split()}
        for word in words:  # every name-like word is whole or shortened with a mark
            stem = word.rstrip("…")
            pieces = [n for n in names if len(stem) >= 4 and n.startswith(stem)]
            if pieces and word not in names:
                assert word.endswith("…"), f"{word!r} is a cut name at {width} columns"
