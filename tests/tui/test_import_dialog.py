"""Import from the home screen: `i` opens the dialog; the import runs in a worker."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.import_dialog import ImportDialog

SIZE = (120, 40)
GOOD = "P: Bagaimana kedisiplinan pegawai?\n\nI: Pegawai sering terlambat masuk kantor.\n"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "wawancara"
    folder.mkdir()
    (folder / "01-budi.md").write_text(GOOD, encoding="utf-8")
    (folder / "02-rusak.docx").write_bytes(b"this is not a zip file")
    (folder / "manifest.yaml").write_text("01-budi.md:\n  informant: Budi\n  role: staff\n",
                                          encoding="utf-8")
    return folder


async def _run_import(app: QualcodeApp, pilot: object, path: str, **fields: str
                      ) -> ImportDialog:
    await pilot.press("i")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    dialog = app.screen
    assert isinstance(dialog, ImportDialog)
    dialog.query_one("#import-path", Input).value = path
    for name, value in fields.items():
        dialog.query_one(f"#import-{name}", Input).value = value
    dialog.query_one("#import-path", Input).focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    assert not dialog.running
    return dialog


def _lines(dialog: ImportDialog) -> str:
    return str(dialog.query_one("#import-lines", Static).render())


async def test_folder_import_reports_a_bad_file_and_keeps_going(
        project: Project, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await _run_import(app, pilot, str(folder))
        assert dialog.report is not None
        assert [o.status for o in dialog.report.outcomes] == ["imported", "error"]
        text = _lines(dialog)
        assert "01-budi.md" in text and "02-rusak.docx" in text and "error" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    source = project.get_source("01-budi.md")
    informants = {i.id: i for i in project.informants()}
    assert informants[source.informant_id].pseudonym == "Budi"  # from manifest.yaml
    assert [s.name for s in project.sources()] == ["01-budi.md"]


async def test_second_import_is_unchanged_and_fields_override(
        project: Project, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await _run_import(app, pilot, str(folder / "01-budi.md"),
                                   informant="Sari", kind="observation")
        assert dialog.report is not None and dialog.report.count("imported") == 1
        await pilot.press("escape")
        dialog = await _run_import(app, pilot, str(folder / "01-budi.md"))
        assert dialog.report is not None
        assert [o.status for o in dialog.report.outcomes] == ["unchanged"]
    source = project.get_source("01-budi.md")
    assert source.kind == "observation"
    assert {i.pseudonym for i in project.informants()} == {"Sari"}


async def test_bad_path_and_bad_kind_are_messages(project: Project, tmp_path: Path) -> None:
    app = QualcodeApp(project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await _run_import(app, pilot, str(tmp_path / "nowhere"))
        status = str(dialog.query_one("#import-status", Static).render())
        assert "no such file or folder" in status
        dialog.query_one("#import-path", Input).value = str(_folder(tmp_path))
        dialog.query_one("#import-kind", Input).value = "podcast"
        await pilot.press("enter")
        await pilot.pause()
        assert "Kind must be one of" in str(dialog.query_one("#import-status", Static).render())
        assert dialog.report is None
    assert project.sources() == []


async def test_kind_and_role_in_the_interface_language(project: Project, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    app = QualcodeApp(project, lang="id")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await _run_import(app, pilot, str(folder / "01-budi.md"), informant="Sari",
                                   role="Kepala bidang", kind="Observasi")
        assert dialog.report is not None and dialog.report.count("imported") == 1
        assert "observasi" in dialog.query_one("#import-kind", Input).placeholder
    source = project.get_source("01-budi.md")
    assert source.kind == "observation"
    assert [i.role for i in project.informants()] == ["section_head"]


async def test_import_errors_in_indonesian(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "masuk"
    folder.mkdir()
    (folder / "kosong.txt").write_bytes(b"")
    app = QualcodeApp(project, lang="id")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await _run_import(app, pilot, str(folder))
        shown = str(dialog.query_one("#import-lines", Static).render())
        assert "berkas kosong" in shown and "file is empty" not in shown
        dialog = await _run_import(app, pilot, str(tmp_path / "tidak-ada"))
        assert "berkas atau folder tidak ada" in str(
            dialog.query_one("#import-status", Static).render())
