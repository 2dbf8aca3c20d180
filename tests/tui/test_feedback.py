"""Say what happened: undo and redo name what they undid; Enter on an informant opens a
transcript."""

from __future__ import annotations

from coding_app import SIZE, SOURCE, coding_screen, first_uncoded, make_app

from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp


def _messages(app: QualcodeApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_undo_and_redo_name_the_code_the_source_and_the_text(
        sample_project: Project) -> None:
    target = first_uncoded(sample_project)
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", "1")
        await pilot.pause()
        screen = coding_screen(app)
        assert screen.transcript.cursor == target
        excerpt = " ".join(screen.data.text[screen.model.starts[target]:
                                            screen.model.ends[target]].split())[:20]
        await pilot.press("ctrl+z")
        await pilot.pause()
        undone = [m for m in _messages(app) if m.startswith("Undone: ")]
        assert undone and "SOB-1" in undone[-1] and SOURCE in undone[-1]
        assert excerpt in undone[-1]
        await pilot.press("ctrl+y")
        await pilot.pause()
        redone = [m for m in _messages(app) if m.startswith("Redone: ")]
        assert redone and "apply SOB-1" in redone[-1] and SOURCE in redone[-1]


def test_memo_and_evidence_actions_are_named_in_the_undo_log(sample_project: Project) -> None:
    memo = sample_project.add_memo("Loket penuh saat musim kenaikan pangkat.", title="Antrean")
    assert memo.id is not None
    sample_project.delete_memo(memo.id)
    action = sample_project.undo()
    assert action is not None and action.description == "delete memo “Antrean”"
    coding = sample_project.codings()[0]
    sample_project.link_evidence("SOB-1", coding.id, "contradicts")
    action = sample_project.undo()
    assert action is not None
    assert action.description.startswith(f"contradicts SOB-1: {coding.code} ({coding.coder})")
    assert coding.source in action.description


async def test_enter_on_an_informant_opens_their_transcript(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.screen.query_one("#home-sources")
        node = tree.root.children[0]  # type: ignore[attr-defined]
        tree.move_cursor(node)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        screen = coding_screen(app)
        assert screen.source_id == node.children[0].data
        await pilot.press("escape")
        await pilot.pause()
        assert node.is_expanded  # the group did not fold either
