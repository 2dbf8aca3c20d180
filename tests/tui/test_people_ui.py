"""Speakers dialog, source and informant forms, attribution on the coding screen (pilot tests
that assert on the store)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label, Static

from people_fixture import DATA, FGD, NEWS
from qualcode.core.metadata import SpeakerTarget
from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.form_dialog import FormDialog
from qualcode.tui.screens.home import HomeScreen

SIZE = (120, 40)


def _import(project: Project) -> dict[str, int]:
    """Both files without the manifest: the speaker labels are not mapped yet."""
    report = project.import_files([DATA / FGD, DATA / NEWS], overrides={"language": "id"})
    assert not report.errors
    return {o.path.name: o.source_id for o in report.outcomes if o.source_id is not None}


async def _select(pilot: object, app: QualcodeApp, source_id: int) -> HomeScreen:
    from textual.widgets import Tree

    screen = app.screen
    assert isinstance(screen, HomeScreen)
    tree: Tree[int | None] = screen.query_one("#home-sources", Tree)
    node = next(n for n in _nodes(tree.root) if n.data == source_id)
    tree.move_cursor(node)
    return screen


def _nodes(root: object) -> list[object]:
    out = []
    stack = list(getattr(root, "children", []))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(getattr(node, "children", []))
    return out


def _fill(form: FormDialog, values: dict[str, str]) -> None:
    for name, value in values.items():
        form.query_one(f"#field-{name}", Input).value = value


async def _form_from_home(pilot: object, app: QualcodeApp, source_id: int,
                          key: str) -> FormDialog:
    """Select a source on the home screen and press `key`; the form that opens."""
    await pilot.pause()  # type: ignore[attr-defined]
    await _select(pilot, app, source_id)
    await pilot.press(key)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    form = app.screen
    assert isinstance(form, FormDialog)
    return form


async def test_speakers_dialog_maps_labels_in_the_store(project: Project) -> None:
    ids = _import(project)
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await _form_from_home(pilot, app, ids[FGD], "s")
        labels = [str(label.render()) for label in form.query(".form-label").results(Label)]
        assert labels == ["Moderator (4)", "Bu Rina (2)", "Pak Dedi (2)", "Bu Sari (2)",
                          "Mas Yoga (2)"]
        assert form.query_one("#field-s0", Input).value == "interviewer"
        _fill(form, {"s1": "Informan 1", "s2": "Informan 2", "s3": "Informan 3",
                     "s4": "Informan 4"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    speakers = {s.label: (s.informant, s.interviewer) for s in project.speakers(ids[FGD])}
    assert speakers == {"Moderator": (None, True), "Bu Rina": ("Informan 1", False),
                        "Pak Dedi": ("Informan 2", False), "Bu Sari": ("Informan 3", False),
                        "Mas Yoga": ("Informan 4", False)}


async def test_after_import_the_speakers_of_a_group_source_are_asked(project: Project) -> None:
    ids = _import(project)
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        screen._after_import([ids[NEWS], ids[FGD]])  # the news text has no labels: skipped
        await pilot.pause()
        assert isinstance(app.screen, FormDialog) and FGD in app.screen.dialog_title
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_source_form_refuses_a_bad_date_and_saves_a_good_one(project: Project) -> None:
    ids = _import(project)
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await _form_from_home(pilot, app, ids[NEWS], "e")
        _fill(form, {"date": "2026-13-45", "informant": "Humas"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # stays open with the error
        assert "no month 13" in str(form.query_one("#form-error", Label).render())
        assert project.get_source(ids[NEWS]).date is None
        _fill(form, {"date": "2026-04-02"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    source = project.get_source(ids[NEWS])
    assert source.date == "2026-04-02"
    assert source.informant_id == project.get_informant("Humas").id


async def test_informant_form_edits_role_and_attributes(project: Project) -> None:
    ids = _import(project)
    project.map_speakers(FGD, {"Bu Rina": SpeakerTarget("Informan 1")})
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _select(pilot, app, ids[FGD])
        await pilot.press("E")
        await pilot.pause()
        await pilot.press("enter")  # the only informant
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        _fill(form, {"unit": "Bidang Mutasi", "attributes": "gender=f; tenure=12"})
        await pilot.press("ctrl+s")
        await pilot.pause()
    person = project.get_informant("Informan 1")
    assert (person.unit, person.attributes) == ("Bidang Mutasi", {"gender": "f", "tenure": "12"})
    project.undo()
    assert project.get_informant("Informan 1").attributes == {}


async def test_attribution_from_the_coding_screen_is_credited_and_undoable(
        project: Project) -> None:
    ids = _import(project)
    sid = ids[NEWS]
    text = project.get_source(sid).text
    quote = text.index("Kami menempatkan")
    target = next(i for i, g in enumerate(project.segments(sid)) if g.start <= quote < g.end)
    app = QualcodeApp(project, lang="en", source_id=sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        for _ in range(target):
            await pilot.press("j")
        await pilot.press("A")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        _fill(form, {"new": "Kepala BKPSDM"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        status = str(screen.query_one("#status", Static).render())
        assert "Kepala BKPSDM" in status and "line 3, paragraph 2" in status
        [(attribution, name)] = project.attributions(sid)
        segment = project.segments(sid)[target]
        assert (attribution.start, attribution.end, name) == (segment.start, segment.end,
                                                              "Kepala BKPSDM")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert project.attributions(sid) == []
        await pilot.press("j", "k")
        await pilot.pause()
        assert "Kepala BKPSDM" not in str(screen.query_one("#status", Static).render())



async def test_import_dialog_lists_speakers_then_the_mapping_credits_codings(
        project: Project, tmp_path: Path) -> None:
    """Import the focus group from the import dialog (no manifest): its speakers are listed,
    the speakers form follows on closing; an existing informant (completed as typed) and a new
    one are mapped, and codings are then credited to them; the mapping is one undo step."""
    from textual.widgets import ProgressBar

    from qualcode.core.analysis.query import coding_frame
    from qualcode.tui.screens.import_dialog import ImportDialog

    copy = tmp_path / FGD  # away from the manifest beside the test data, which maps them
    copy.write_bytes((DATA / FGD).read_bytes())
    news = project.import_files([DATA / NEWS], overrides={"language": "id",
                                                          "informant": "Kepala BKPSDM"})
    assert not news.errors
    existing = project.get_informant("Kepala BKPSDM").id
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#import-path", Input).value = str(copy)
        await pilot.press("enter")
        for _ in range(200):  # the worker imports in a thread
            await pilot.pause(0.05)
            if not dialog.running:
                break
        assert not dialog.running and dialog.query_one("#import-progress", ProgressBar)
        shown = str(dialog.query_one("#import-lines", Static).render())
        assert FGD in shown
        assert ("speakers: Moderator (interviewer, 4 turns), Bu Rina (2 turns), "
                "Pak Dedi (2 turns), Bu Sari (2 turns), Mas Yoga (2 turns)") in shown
        await pilot.press("escape")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog) and FGD in form.dialog_title
        rina = form.query_one("#field-s1", Input)
        rina.focus()
        await pilot.press("k", "e", "p")  # completes to the existing informant
        await pilot.pause()
        await pilot.press("right")
        assert rina.value == "Kepala BKPSDM"
        _fill(form, {"s2": "Informan 2"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    sid = project.get_source(FGD).id
    assert sid is not None
    speakers = {s.label: (s.informant, s.interviewer) for s in project.speakers(sid)}
    assert speakers["Bu Rina"] == ("Kepala BKPSDM", False)
    assert speakers["Pak Dedi"] == ("Informan 2", False)
    assert speakers["Moderator"] == (None, True)
    assert project.get_informant("Kepala BKPSDM").id == existing  # not a second one
    text = project.get_source(sid).text
    for phrase in ("Pembagian tugas sudah jelas", "Belum sepenuhnya",
                   "Saya kira mereka sudah cukup mandiri."):
        start = text.index(phrase)
        project.apply_code(sid, start, start + len(phrase), "SOB-1", valence="+")
    frame = coding_frame(project).sort_values("start")
    # the moderator's turn is the interviewer's: not counted as anyone's evidence
    assert frame["informant"].tolist() == ["Kepala BKPSDM", "Informan 2"]
    for _ in range(3):
        project.undo()  # the three codings
    project.undo()  # the speakers map: one action
    assert {s.label: s.informant for s in project.speakers(sid)}["Bu Rina"] is None
    assert [i.pseudonym for i in project.informants()] == ["Kepala BKPSDM"]


async def test_speakers_form_in_indonesian_reads_pewawancara(project: Project) -> None:
    ids = _import(project)
    app = QualcodeApp(project, lang="id")
    async with app.run_test(size=SIZE) as pilot:
        form = await _form_from_home(pilot, app, ids[FGD], "s")
        assert form.query_one("#field-s0", Input).value == "pewawancara"
        _fill(form, {"s1": "pewawancara"})  # a second moderator
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    speakers = {s.label: (s.informant, s.interviewer) for s in project.speakers(ids[FGD])}
    assert speakers["Moderator"] == (None, True) and speakers["Bu Rina"] == (None, True)
    assert speakers["Pak Dedi"] == (None, False)


async def test_attribution_dialog_in_indonesian_prompts_pilih(project: Project) -> None:
    """The informant chooser's empty state reads in the interface's language (was Textual's
    English 'Select' in an Indonesian dialog)."""
    from textual.widgets import Select

    ids = _import(project)
    project.attribute_passage(ids[NEWS], 0, 5, "Kepala BKPSDM")  # an informant to choose
    app = QualcodeApp(project, lang="id", source_id=ids[NEWS])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        chooser = form.query_one("#field-informant", Select)
        assert chooser.is_blank()
        assert chooser.prompt == "Pilih"
        assert "Select" not in str(chooser.query_one("SelectCurrent").render())
