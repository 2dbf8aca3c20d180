"""The entry point reads a plain `open` command line exactly as the Typer app does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from qualcode import launch
from qualcode.cli import app
from qualcode.tui import app as tui_app

ACCEPTED = [
    ["open", "study.qualcode"],
    ["open", "study.qualcode", "--source", "01-kepala"],
    ["open", "--lang", "en", "study.qualcode"],
    ["open", "study.qualcode", "--source=03", "--coder", "ani", "--lang=id"],
    ["open", "dir with space/study.qualcode", "--coder", "Budi Santoso"],
    ["open", "study.qualcode", "--source", ""],
    ["open", "postgresql://ani@campus-db/study", "--coder", "ani"],
]
LEFT_TO_TYPER = [
    [], ["--help"], ["open"], ["open", "--help"], ["open", "a", "b"],
    ["open", "p", "--bogus", "x"], ["open", "p", "--source"], ["open", "p", "--source", "-x"],
    ["open", "p", "--lang", "en", "--lang", "id"], ["open", "-"], ["open", "--", "p"],
    ["codings", "open"], ["demo"],
]


@pytest.mark.parametrize("argv", ACCEPTED)
def test_fast_parse_agrees_with_typer(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(launch, "open_workspace",
                        lambda project, **kw: seen.append({"project": project, **kw}))
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert launch.parse_open_args(argv) == seen[0]


@pytest.mark.parametrize("argv", LEFT_TO_TYPER)
def test_anything_else_is_left_to_typer(argv: list[str]) -> None:
    assert launch.parse_open_args(argv) is None


def _qualcode(*args: str, lang: str = "en_US.UTF-8",
              cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    code = "import sys; from qualcode.launch import main; sys.argv[0] = 'qualcode'; main()"
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "QUALCODE_PROJECT")}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL, cwd=cwd,
                          env={**env, "LANG": lang})


def test_open_errors_are_one_line_with_exit_2(sample_project_file: Path, tmp_path: Path) -> None:
    missing = _qualcode("open", str(tmp_path / "nope.qualcode"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith("error: ") and "no such project file" in missing.stderr
    no_source = _qualcode("open", str(sample_project_file), "--source", "zz-none")
    assert no_source.returncode == 2 and "no source 'zz-none'" in no_source.stderr
    bad_lang = _qualcode("open", str(sample_project_file), "--lang", "fr")
    assert bad_lang.returncode == 2 and "not id or en" in bad_lang.stderr
    damaged = tmp_path / "damaged.qualcode"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    broken = _qualcode("open", str(damaged))
    assert broken.returncode == 2 and broken.stderr.startswith("error: ")
    assert "Traceback" not in broken.stderr


def test_open_errors_follow_lang_then_the_environment(tmp_path: Path) -> None:
    """LANG=id gives Indonesian errors (message and hint); --lang en wins over LANG."""
    missing = str(tmp_path / "nope.qualcode")
    indonesian = _qualcode("open", missing, lang="id_ID.UTF-8")
    assert indonesian.returncode == 2
    assert indonesian.stderr.splitlines() == [
        f"galat: {missing}: berkas proyek tidak ada",
        "saran: buat proyek dengan `qualcode init PATH`"]
    english = _qualcode("open", missing, "--lang", "en", lang="id_ID.UTF-8")
    assert english.stderr.startswith(f"error: {missing}: no such project file")


def test_other_command_lines_still_reach_typer(tmp_path: Path) -> None:
    helped = _qualcode("open", "--help")
    assert helped.returncode == 0 and "--source" in helped.stdout
    wrong = _qualcode("open", cwd=tmp_path)  # no project named, none here, no QUALCODE_PROJECT
    assert wrong.returncode == 2 and "no project given" in wrong.stderr
    assert "QUALCODE_PROJECT" in wrong.stderr and "Traceback" not in wrong.stderr


def test_the_workspace_codes_as_the_projects_coder(sample_project_file: Path,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "demo.qualcode"
    shutil.copy(sample_project_file, target)
    seen: dict[str, object] = {}
    monkeypatch.setattr(tui_app, "run_app", lambda handle, **kw: seen.update(kw))
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    launch.open_workspace(target)
    assert seen["coder"] == "peneliti"
    launch.open_workspace(target, coder="ani")
    assert seen["coder"] == "ani"


def test_import_leaves_at_once_with_its_output_exit_code_and_data(tmp_path: Path) -> None:
    from qualcode.core.store import Project

    project = tmp_path / "study.qualcode"
    Project.create(project).close()
    files = tmp_path / "in"
    files.mkdir()
    (files / "a.txt").write_text("Peneliti: Apa kabar?\nInforman: Baik. Kami sibuk.\n",
                                 encoding="utf-8")
    (files / "b.txt").write_text("", encoding="utf-8")
    run = _qualcode("import", str(files), "-p", str(project))  # stdout is a pipe: buffered
    assert run.returncode == 1, run.stderr
    assert "1 imported" in run.stdout and "b.txt: file is empty" in run.stdout
    assert "1 of 2 files could not be imported" in run.stderr
    (files / "b.txt").unlink()
    again = _qualcode("import", str(files), "-p", str(project))
    assert again.returncode == 0 and "1 unchanged" in again.stdout
    assert not Path(f"{project}-wal").exists()  # closed (checkpointed) before leaving
    with Project.open(project) as opened:
        assert [s.name for s in opened.sources()] == ["a.txt"]
        assert len(opened.segments(opened.sources()[0].id)) == 3  # type: ignore[arg-type]
