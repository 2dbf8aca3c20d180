"""The coding screen of a blind coder shows only their own codings; new ones appear."""

from __future__ import annotations

from coding_app import SIZE, coding_screen, make_app, source_id

from qualcode.core.store import Project


async def test_blind_coder_sees_only_their_own_codings(sample_project: Project) -> None:
    sample_project.set_blind("asisten")
    sid = source_id(sample_project)
    own = {c.id for c in sample_project.codings_in(sid) if c.coder == "asisten"}
    assert own and len(own) < len(sample_project.codings_in(sid))
    app = make_app(sample_project, coder="asisten")
    async with app.run_test(size=SIZE) as pilot:
        screen = coding_screen(app)
        assert set(screen.index.by_id) == own
        await pilot.press("u", "1")   # the first uncoded segment, code SOB-1
        await pilot.pause()
        mine = {c.id for c in sample_project.codings_in(sid) if c.coder == "asisten"}
        assert len(mine) == len(own) + 1 and set(screen.index.by_id) == mine
    sample_project.set_blind("asisten", False)
    app = make_app(sample_project, coder="asisten")
    async with app.run_test(size=SIZE) as pilot:
        assert set(coding_screen(app).index.by_id) == {
            c.id for c in sample_project.codings_in(sid)}
