"""Safe exports: an existing file is replaced only with --force / force=True, and every file is
written whole or not at all (a failing writer leaves the old file and no temporary file)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.core.atomic import FileExistsRefused, write_whole
from qualcode.core.export import export_displays
from qualcode.core.store import Project

OLD = b"the researcher's own file"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


def test_refuses_an_existing_file_and_leaves_it(tmp_path: Path) -> None:
    target = tmp_path / "t.md"
    target.write_bytes(OLD)
    with pytest.raises(FileExistsRefused, match="exists already"):
        write_whole(target, lambda tmp: tmp.write_text("new"))
    assert target.read_bytes() == OLD and leftovers(tmp_path) == []


def test_force_replaces_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "t.md"
    target.write_bytes(OLD)
    write_whole(target, lambda tmp: tmp.write_text("new"), force=True)
    assert target.read_text() == "new" and leftovers(tmp_path) == []
    assert os.stat(target).st_mode & 0o777 != 0o600   # an ordinary file, not mkstemp's mode


@pytest.mark.parametrize("force", [False, True])
def test_a_failing_writer_leaves_the_old_file_and_no_temporary_file(tmp_path: Path,
                                                                    force: bool) -> None:
    target = tmp_path / "t.xlsx"
    if force:
        target.write_bytes(OLD)

    def half_then_fail(tmp: Path) -> None:
        tmp.write_bytes(b"PK half a zip")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_whole(target, half_then_fail, force=force)
    assert (target.read_bytes() == OLD) if force else not target.exists()
    assert leftovers(tmp_path) == []


def test_a_file_appearing_during_the_work_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "t.csv"

    def someone_else_writes(tmp: Path) -> None:
        tmp.write_text("ours")
        target.write_bytes(OLD)

    with pytest.raises(FileExistsRefused):
        write_whole(target, someone_else_writes)
    assert target.read_bytes() == OLD and leftovers(tmp_path) == []


def test_csv_of_several_displays_refuses_before_writing_any(sample_project: Project,
                                                            tmp_path: Path) -> None:
    from qualcode.core.analysis.display import DISPLAYS

    displays = [DISPLAYS["frequency"](sample_project), DISPLAYS["triangulation"](sample_project)]
    second = tmp_path / "all-triangulation_kind.csv"
    second.write_bytes(OLD)
    with pytest.raises(FileExistsRefused):
        export_displays(displays, tmp_path / "all.csv")
    assert not (tmp_path / "all-frequency_code.csv").exists() and second.read_bytes() == OLD
    assert len(export_displays(displays, tmp_path / "all.csv", force=True)) == 2


COMMANDS = [
    ["matrix", "clustered", "--out", "{out}.png"],
    ["matrix", "role", "--out", "{out}.xlsx"],
    ["conclusions", "--out", "{out}.docx"],
    ["export", "{out}.tex", "--what", "frequency"],
    ["export", "{out}.qdpx"],
    ["chart", "--out", "{out}.svg"],
    ["optable", "sobandi-2008", "--out", "{out}.md"],
    ["agreement", "--out", "{out}.csv"],
    ["codebook", "export", "{out}.qdc"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_writing_command_refuses_then_forces(sample_project_file: Path, tmp_path: Path,
                                                   args: list[str]) -> None:
    project = tmp_path / "p.qualcode"
    shutil.copy(sample_project_file, project)
    argv = [a.format(out=tmp_path / "out") for a in args] + ["-p", str(project)]
    target = Path(next(a for a in argv if str(tmp_path / "out") in a))
    target.write_bytes(OLD)
    runner = CliRunner()
    refused = runner.invoke(app, argv)
    assert refused.exit_code == 2, refused.output
    assert "exists" in refused.output or "sudah ada" in refused.output
    assert len(refused.output.strip().splitlines()) <= 2 and "Traceback" not in refused.output
    assert target.read_bytes() == OLD
    forced = runner.invoke(app, [*argv, "--force"])
    assert forced.exit_code == 0, forced.output
    assert target.read_bytes() != OLD and leftovers(tmp_path) == []
