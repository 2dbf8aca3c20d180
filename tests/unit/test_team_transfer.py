"""Moving a project between a file and a PostgreSQL server: lossless, verified, all or nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.core.store import Project
from qualcode.core.store.transfer import copy_project, verify_same
from qualcode.errors import ProjectError

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text


def _counts(target: str | Path) -> dict[str, int]:
    from sqlalchemy import func, select

    from qualcode.core.store.transfer import _tables

    with Project.open(target) as proj, proj.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in _tables()}


def test_push_and_pull_keep_every_row(sample_project_file: Path, pg_url: str,
                                      tmp_path: Path) -> None:
    back = tmp_path / "back.qualcode"
    pushed = copy_project(sample_project_file, pg_url)
    pulled = copy_project(pg_url, back)
    assert pushed.verified and pulled.verified
    counts = _counts(sample_project_file)
    assert counts["coding"] > 100 and counts["action"] == pushed.rows["action"]
    assert _counts(pg_url) == counts == _counts(back)
    assert verify_same(sample_project_file, back) == {}
    # an independent check of the file: the same codings, offsets and coders
    q = "SELECT source_id, start, \"end\", code_id, coder, valence, note FROM coding ORDER BY id"
    with sqlite3.connect(sample_project_file) as a, sqlite3.connect(back) as b:
        assert a.execute(q).fetchall() == b.execute(q).fetchall()


def test_the_server_copy_goes_on_after_the_copied_ids(sample_project_file: Path,
                                                      pg_url: str) -> None:
    copy_project(sample_project_file, pg_url)
    with Project.open(pg_url) as proj:
        before = len(proj.codings())
        seg = proj.segments(proj.sources()[0].id)[3]
        new = proj.apply_code(seg.source_id, seg.start, seg.end, "SIA-1", coder="kedua")
        assert new.id is not None and new.id > max(c.id for c in proj.codings() if c.id != new.id)
        assert len(proj.codings()) == before + 1
        proj.undo()
        assert len(proj.codings()) == before


def test_push_refuses_a_database_holding_a_project(sample_project_file: Path,
                                                   pg_url: str) -> None:
    copy_project(sample_project_file, pg_url)
    with pytest.raises(ProjectError, match="already holds"):
        copy_project(sample_project_file, pg_url)
    assert _counts(pg_url) == _counts(sample_project_file)


def test_pull_never_overwrites_and_leaves_nothing_on_failure(sample_project_file: Path,
                                                             tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             ) -> None:
    existing = tmp_path / "there.qualcode"
    existing.write_bytes(b"mine")
    with pytest.raises(ProjectError, match="already exists"):
        copy_project(sample_project_file, existing)
    assert existing.read_bytes() == b"mine"

    from qualcode.core.store import transfer

    monkeypatch.setattr(transfer, "compare", lambda a, b: {"coding": (3, 2)})
    target = tmp_path / "new.qualcode"
    with pytest.raises(ProjectError, match="differs"):
        copy_project(sample_project_file, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["there.qualcode"]


def test_cli_push_pull_and_no_password_in_output(sample_project_file: Path, pg_url: str,
                                                 tmp_path: Path) -> None:
    from sqlalchemy.engine import make_url

    with_password = make_url(pg_url).set(password="s3cret-pw").render_as_string(
        hide_password=False)
    runner = CliRunner()
    result = runner.invoke(app, ["push", str(sample_project_file), with_password])
    assert result.exit_code == 0, result.output
    assert "every table compared equal" in result.output
    assert "s3cret-pw" not in result.output and "***" in result.output
    result = runner.invoke(app, ["pull", with_password, str(tmp_path / "b.qualcode")])
    assert result.exit_code == 0, result.output
    assert "s3cret-pw" not in result.output
    listing = runner.invoke(app, ["sources", "-p", with_password])
    assert listing.exit_code == 0, listing.output
    assert "s3cret-pw" not in listing.output
    # nothing in the project itself (settings, undo log ...) holds the password
    from sqlalchemy import select

    from qualcode.core.store.transfer import _tables

    for target in (pg_url, tmp_path / "b.qualcode"):
        with Project.open(target) as proj, proj.engine.connect() as conn:
            for table in _tables():
                for row in conn.execute(select(table)):
                    assert "s3cret-pw" not in str(tuple(row)), table.name
    bad = runner.invoke(app, ["sources", "-p",
                              with_password.replace("/t_", "/no_such_db_t_")])
    assert bad.exit_code == 2 and "s3cret-pw" not in bad.output
    assert "Traceback" not in bad.output and "error:" in bad.output
