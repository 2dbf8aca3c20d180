"""A coder's open coding screen shows the others' new codings within 2 s, cursor unmoved."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from coding_app import SIZE, SOURCE, coding_screen, make_app, segments, source_id

from qualcode.core.store import Project
from qualcode.core.store.transfer import copy_project


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_target(request: pytest.FixtureRequest, sample_project_file: Path,
                  tmp_path: Path) -> str:
    """The sample project as a file, or pushed to the test server."""
    if request.param == "sqlite":
        target = str(tmp_path / "shared.qualcode")
    else:
        target = request.getfixturevalue("pg_url")
    copy_project(sample_project_file, target)
    return target


async def test_another_coders_coding_appears_and_the_cursor_stays(shared_target: str) -> None:
    mine = Project.open(shared_target)
    other = Project.open(shared_target)
    other.acting_coder = "budi"
    app = make_app(mine, coder="ani")
    async with app.run_test(size=SIZE) as pilot:
        screen = coding_screen(app)
        await pilot.press("j", "j", "j")
        cursor = screen.transcript.cursor
        seg = segments(other)[cursor + 5]
        new = other.apply_code(source_id(other, SOURCE), seg.start, seg.end, "SIA-2",
                               coder="budi", valence="+")
        waited = 0.0
        while new.id not in screen.index.by_id and waited < 2.0:
            await asyncio.sleep(0.1)
            await pilot.pause()
            waited += 0.1
        assert new.id in screen.index.by_id, "not shown within 2 s"
        assert screen.transcript.cursor == cursor
        # and a removal by the other coder disappears the same way
        assert new.id is not None
        other.remove_coding(new.id)
        waited = 0.0
        while new.id in screen.index.by_id and waited < 2.0:
            await asyncio.sleep(0.1)
            await pilot.pause()
            waited += 0.1
        assert new.id not in screen.index.by_id
        assert screen.transcript.cursor == cursor
    other.close()
    mine.close()


async def test_a_read_only_login_is_told_on_opening(sample_project_file: Path,
                                                    pg_url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    copy_project(sample_project_file, pg_url)
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    role = "rev_" + (make_url(pg_url).database or "")[-8:]
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
    admin.dispose()
    reviewer = Project.open(make_url(pg_url).set(username=role).render_as_string(
        hide_password=False))
    app = make_app(reviewer, coder=role)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("Read-only" in str(n.message) for n in app._notifications)
        before = len(reviewer.codings())
        await pilot.press("u", "1")  # try to code: refused with the message, no crash
        await pilot.pause()
        assert len(reviewer.codings()) == before
        assert any("read-only" in str(n.message) for n in app._notifications)
        assert app.is_running
    reviewer.close()
