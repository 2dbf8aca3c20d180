"""`merge_projects` / `qualcode merge`: a coder's project file into the team project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.core.merge import merge_projects
from qualcode.core.store import Project
from qualcode.errors import QualcodeError

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text

NEW_TEXT = ("Peneliti: Apa pendapat Ibu tentang disiplin?\n\n"
            "Informan: Pegawai datang tepat waktu. Laporan selesai sebelum tenggat.\n")


def counts(path: Path) -> dict[str, int]:
    with Project.open(path) as project:
        return {name: project.reader.rows(f"SELECT count(*) FROM {name}")[0][0]
                for name in ("source", "segment", "informant", "code", "coding", "memo")}


@pytest.fixture
def pair(sample_project_file: Path, tmp_path: Path) -> tuple[Path, Path]:
    """team.qualcode (the sample) and ani.qualcode: the sample plus ani's own work: codings,
    a new interview, an emergent code, a changed definition and memos."""
    team, other = tmp_path / "team.qualcode", tmp_path / "ani.qualcode"
    shutil.copy(sample_project_file, team)
    shutil.copy(sample_project_file, other)
    (tmp_path / "09-baru.txt").write_text(NEW_TEXT, encoding="utf-8")
    with Project.open(other) as p:
        p.import_files([tmp_path / "09-baru.txt"], overrides={"informant": "Ani Baru",
                                                               "role": "staff"})
        new = p.get_source("09-baru.txt")
        seg = next(s for s in p.segments(new.id) if not s.is_interviewer)
        p.add_code("EM-DISIPLIN", "Disiplin waktu", "Punctuality")
        p.apply_code(new.id, seg.start, seg.end, "EM-DISIPLIN", coder="ani", valence="+")
        theirs = p.apply_code(new.id, seg.start, seg.end, "SOB-4", coder="ani", valence="+")
        first = p.codings(coder="peneliti")[0]
        p.apply_code(first.source_id, first.start, first.end, first.code, coder="ani",
                     valence="-", note="saya tidak setuju")
        p.add_memo("Bukti disiplin", scope="coding", target=theirs.id, author="ani")
        p.add_memo("Catatan proyek ani", author="ani")
        # a renamed file with the same text is still the same source; a changed definition
        with p.engine.begin() as conn:
            conn.execute(text("UPDATE code SET definition_en = 'Autonomy, as ani reads it.' "
                              "WHERE key = 'SOB-2'"))
            conn.execute(text("UPDATE source SET name = 'renamed.md' "
                              "WHERE name = '01-kepala-badan.md'"))
    return team, other


def test_merge_adds_their_work_and_twice_changes_nothing(pair: tuple[Path, Path]) -> None:
    team, other = pair
    before = counts(team)
    with Project.open(team) as project:
        report = merge_projects(project, other)
        mine = project.codings(coder="ani")
        memos = [m for m in project.memos() if m.author == "ani"]
        renamed = project.reader.rows("SELECT count(*) FROM source WHERE name = 'renamed.md'")[0][0]
        assert project.get_source("09-baru.txt").informant_id is not None
    assert report.added["sources"] == 1 and report.matched["sources"] == 8 and renamed == 0
    assert report.added["codes"] == 1 and report.added["codings"] == 3
    assert report.added["memos"] == 2 and report.added["informants"] == 1
    assert report.matched["codings"] == 141
    assert any("SOB-2" in n and "definitions differ" in n for n in report.notes)
    assert {(c.code, c.valence) for c in mine} >= {("EM-DISIPLIN", "+"), ("SOB-4", "+")}
    assert any(c.note == "saya tidak setuju" for c in mine)
    assert sorted(m.body for m in memos) == ["Bukti disiplin", "Catatan proyek ani"]
    after = counts(team)
    assert after["coding"] == before["coding"] + 3 and after["segment"] > before["segment"]
    with Project.open(team) as project:
        again = merge_projects(project, other)
    assert not any(again.added.values()) and not again.written
    assert counts(team) == after


def test_dry_run_and_unmergeable_files_write_nothing(pair: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    team, other = pair
    before = counts(team)
    with Project.open(team) as project:
        report = merge_projects(project, other, dry_run=True)
        assert report.added["codings"] == 3 and not report.written
        broken = tmp_path / "broken.qualcode"
        broken.write_text("not a database", encoding="utf-8")
        with pytest.raises(QualcodeError):
            merge_projects(project, broken)
        with pytest.raises(QualcodeError, match="is the project itself"):
            merge_projects(project, team)
        with pytest.raises(QualcodeError, match="no such project file"):
            merge_projects(project, tmp_path / "missing.qualcode")
    assert counts(team) == before


def test_a_code_of_a_codebook_the_team_lacks_is_refused(pair: tuple[Path, Path]) -> None:
    team, other = pair
    with Project.open(team) as project, project.engine.begin() as conn:
        conn.execute(text("DELETE FROM code WHERE key = 'SOB-4'"))
    with Project.open(team) as project:
        report = merge_projects(project, other)
    assert report.refused["codes"] == 1 and report.refused["codings"] >= 1
    assert any("SOB-4" in n and "import the codebook first" in n for n in report.notes)


def test_cli_merge_prints_the_report(pair: tuple[Path, Path]) -> None:
    team, other = pair
    result = CliRunner().invoke(app, ["merge", str(other), "-p", str(team)],
                                env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "codings" in result.stdout and "definitions differ" in result.stdout
    result = CliRunner().invoke(app, ["merge", str(other), "-p", str(team)])
    assert result.exit_code == 0 and "nothing new" in result.stdout
    result = CliRunner().invoke(app, ["merge", str(team) + ".nope", "-p", str(team)])
    assert result.exit_code == 2 and "Traceback" not in result.output
