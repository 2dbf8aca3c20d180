"""Conclusions: verdicts on the codebook's scale (who decided), the proposed verdict, status,
statement, evidence links — all through the store and undoable; checklist and quotes shown."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Label, OptionList, Static, TextArea

from consensus_helpers import complete_consensus
from qualcode.core.analysis.conclusions import conclusions
from qualcode.core.analysis.query import retrieve
from qualcode.core.store import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.conclusions import ConclusionsScreen
from qualcode.tui.screens.form_dialog import FormDialog
from qualcode.tui.screens.pick_dialog import PickDialog
from qualcode.tui.widgets.code_picker import ChoiceDialog

SIZE = (120, 40)
BOOK = "sobandi-2008"


async def settle(app: QualcodeApp, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_conclusions(app: QualcodeApp, pilot: Pilot[Any],
                           code: str | None = None) -> ConclusionsScreen:
    screen = ConclusionsScreen(codebook=BOOK, code=code)
    await app.push_screen(screen)
    await settle(app, pilot)
    return screen


async def write_statement(app: QualcodeApp, pilot: Pilot[Any], text: str) -> None:
    """`s`, type the statement, save."""
    await pilot.press("s")
    form = app.screen
    assert isinstance(form, FormDialog)
    form.query_one(TextArea).text = text
    await pilot.press("ctrl+s")
    await settle(app, pilot)


def plain(screen: ConclusionsScreen, part: str) -> str:
    console = Console(width=300, file=io.StringIO(), record=True)
    console.print(screen.query_one(part, Static).content)
    return " ".join(console.export_text().split())


async def test_lists_codes_with_checklist_and_quotes(sample_project: Project) -> None:
    core = conclusions(sample_project, codebook=BOOK, lang="en")
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conclusions(app, pilot)
        box = screen.query_one("#cc-codes", OptionList)
        assert [box.get_option_at_index(i).id for i in range(box.option_count)] == [
            c.code_key for c in core]
        first = core[0]
        checks = plain(screen, "#cc-checks")
        for item in first.checklist:
            assert f"{'✓' if item.ok else '✗'} {item.label}:" in checks
        quotes = plain(screen, "#cc-quotes")
        assert f"Supporting evidence ({len(first.supporting)})" in quotes
        assert f"Contradicting evidence ({len(first.contradicting)})" in quotes
        for quote in first.supporting + first.contradicting:
            assert " ".join(quote.excerpt.split())[:40] in quotes
        assert first.proposed_verdict_label and first.proposed_verdict_label in plain(
            screen, "#cc-conclusion")
        # the balance names the neutral codings too, as the CLI does
        assert f"{first.n_minus}− / {first.n_neutral} neutral)" in plain(screen, "#cc-conclusion")


async def test_verdict_is_stored_with_who_decided(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en", coder="peneliti")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conclusions(app, pilot)
        assert screen.current_key() == "SOB-1"
        await pilot.press("v")
        assert isinstance(app.screen, PickDialog)
        await pilot.press(*"not yet", "enter")
        await settle(app, pilot)
        stored = sample_project.get_conclusion("SOB-1")
        assert stored is not None
        assert (stored.verdict, stored.decided_by) == ("not_yet_optimal", "peneliti")
        assert "Not yet optimal (decided by peneliti)" in plain(screen, "#cc-conclusion")
        # the automatic draft names the verdict now in force
        assert "shortfalls; verdict: Not yet optimal." in plain(screen, "#cc-conclusion")
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert sample_project.get_conclusion("SOB-1") is None
        assert "Verdict: none yet" in plain(screen, "#cc-conclusion")


async def test_accept_proposal_then_verify(sample_project: Project) -> None:
    proposed = {c.code_key: c.proposed_verdict_key for c in conclusions(
        sample_project, codebook=BOOK)}
    app = QualcodeApp(sample_project, lang="en", coder="peneliti")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conclusions(app, pilot, code="SOB-3")
        assert screen.current_key() == "SOB-3"
        await pilot.press("t")  # no verdict yet: verifying is refused
        await settle(app, pilot)
        assert sample_project.get_conclusion("SOB-3") is None
        assert any(n.severity == "error" for n in app._notifications)
        await pilot.press("p")
        await settle(app, pilot)
        stored = sample_project.get_conclusion("SOB-3")
        assert stored is not None and proposed["SOB-3"]
        assert (stored.verdict, stored.decided_by, stored.status) == (
            proposed["SOB-3"], "peneliti", "tentative")
        # failing checks and the draft statement: verifying asks, and Enter declines
        await pilot.press("t")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert "✗ Negative evidence: " in dialog.title_text
        assert "✗ The statement is still the automatic draft" in dialog.title_text
        assert "Triangulation (informants)" not in dialog.title_text  # it passes
        await pilot.press("enter")
        await settle(app, pilot)
        stored = sample_project.get_conclusion("SOB-3")
        assert stored is not None and stored.status == "tentative"
        await pilot.press("t", "down", "enter")
        await settle(app, pilot)
        stored = sample_project.get_conclusion("SOB-3")
        assert stored is not None and stored.status == "verified"
        assert screen.current_key() == "SOB-3"
        assert "Status: verified" in plain(screen, "#cc-conclusion")
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        stored = sample_project.get_conclusion("SOB-3")
        assert stored is not None and stored.status == "tentative"


async def test_verify_without_asking_once_every_check_passes(sample_project: Project) -> None:
    sample_project.set_conclusion("SOB-1", verdict="not_effective")
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_conclusions(app, pilot, code="SOB-1")
        # a statement conceding the + codings ('namun') addresses none of them: it asks
        await write_statement(app, pilot, "Belum ahli, namun sebagian pegawai ahli.")
        await pilot.press("t")
        assert isinstance(app.screen, ChoiceDialog)
        assert "✗ Negative evidence: " in app.screen.title_text
        await pilot.press("escape")
        await settle(app, pilot)
        # each contradicting coding linked with an explanation: every check passes
        section = next(c for c in conclusions(sample_project, codebook=BOOK, lang="en")
                       if c.code_key == "SOB-1")
        for coding_id in section.against_ids:
            sample_project.link_evidence("SOB-1", coding_id, "contradicts",
                                         note="Pengalaman pribadi, bukan pola umum.")
        app.screen.refresh_data()  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        assert not isinstance(app.screen, ChoiceDialog)
        stored = sample_project.get_conclusion("SOB-1")
        assert stored is not None and stored.status == "verified"


async def test_explain_a_contradicting_coding(sample_project: Project) -> None:
    """x: pick a coding that contradicts the conclusion, write why; one undoable link."""
    section = next(c for c in conclusions(sample_project, codebook=BOOK, lang="en")
                   if c.code_key == "SOB-1")
    n = len(section.against_ids)
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conclusions(app, pilot)
        assert f"✗ Negative evidence: {n} contradicting codings; 0 linked" in plain(
            screen, "#cc-checks")
        await pilot.press("x")
        picker = app.screen
        assert isinstance(picker, PickDialog)
        offered = [int(value) for value, _label in picker.options]
        assert sorted(offered) == sorted(section.against_ids)
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, FormDialog)
        # the title says whose words, where, and how they start: not the internal coding id
        chosen = next(e for e in retrieve(sample_project, codes=["SOB-1"], lang="en")
                      if e.coding_id == offered[0])
        shown = str(form.query_one(".dialog-title", Label).render())
        assert shown.startswith(f"Explain: {chosen.informant} ({chosen.source}, ")
        assert " ".join(chosen.text.split())[:40] in shown
        assert f"coding {offered[0]}" not in shown
        form.query_one(TextArea).text = "Hanya pegawai baru; sudah dibimbing."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        links = [(e.coding_id, e.stance, e.note) for e in sample_project.evidence("SOB-1")]
        assert links == [(offered[0], "contradicts", "Hanya pegawai baru; sudah dibimbing.")]
        assert "↳ Explanation: Hanya pegawai baru; sudah dibimbing." in plain(
            screen, "#cc-quotes")
        assert f"Negative evidence: {n} contradicting codings; 1 linked with an explanation" \
            in plain(screen, "#cc-checks")
        # x again on the same coding changes the explanation
        await pilot.press("x", "enter")
        form = app.screen
        assert isinstance(form, FormDialog)
        assert form.query_one(TextArea).text == "Hanya pegawai baru; sudah dibimbing."
        form.query_one(TextArea).text = "Pegawai baru."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert [e.note for e in sample_project.evidence("SOB-1")] == ["Pegawai baru."]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert [e.note for e in sample_project.evidence("SOB-1")] == [
            "Hanya pegawai baru; sudah dibimbing."]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert sample_project.evidence("SOB-1") == []


async def test_statement_written_replaces_the_draft(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conclusions(app, pilot)
        assert "automatic draft" in plain(screen, "#cc-conclusion")
        await write_statement(app, pilot, "Expertise is uneven, although the head disagrees.")
        stored = sample_project.get_conclusion("SOB-1")
        assert stored is not None
        assert stored.statement == "Expertise is uneven, although the head disagrees."
        assert "automatic draft" not in plain(screen, "#cc-conclusion")


async def test_link_and_unlink_evidence(sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conclusions(app, pilot)
        await pilot.press("l")
        picker = app.screen
        assert isinstance(picker, PickDialog)
        coding_id = int(picker.options[0][0])
        await pilot.press("enter")
        assert isinstance(app.screen, PickDialog)  # the stance
        await pilot.press("down", "enter")
        await settle(app, pilot)
        links = [(e.coding_id, e.stance) for e in sample_project.evidence("SOB-1")]
        assert links == [(coding_id, "contradicts")]
        assert "[linked]" in plain(screen, "#cc-quotes")
        await pilot.press("u", "enter")
        await settle(app, pilot)
        assert sample_project.evidence("SOB-1") == []
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert [e.coding_id for e in sample_project.evidence("SOB-1")] == [coding_id]


async def test_narrow_terminal_puts_the_checklist_under_the_conclusion(
        sample_project: Project) -> None:
    app = QualcodeApp(sample_project, lang="id")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conclusions(app, pilot)
        assert screen.has_class("-narrow")
        assert not screen.query_one("#cc-side").display
        assert "Daftar periksa verifikasi" in plain(screen, "#cc-checks-inline")
        first = conclusions(sample_project, codebook=BOOK, lang="id")[0]
        assert f"{first.n_minus}− / {first.n_neutral} netral)" in plain(screen, "#cc-conclusion")


async def test_the_bar_says_whose_codings_the_conclusions_count(
        sample_project: Project) -> None:
    """One decided place leaves the session's coder counting; once the consensus coder covers
    every coded source the conclusions count its codings only, and the screen says so."""
    from qualcode.core.coders import CONSENSUS

    app = QualcodeApp(sample_project, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conclusions(app, pilot)
        assert "Codings of coder peneliti." in plain(screen, "#cc-bar")
        source = sample_project.sources()[0]
        assert source.id is not None
        segment = sample_project.segments(source.id)[3]
        sample_project.apply_code(source.id, segment.start, segment.end, "SOB-1",
                                  coder=CONSENSUS)
        screen.invalidate()
        screen.refresh_data()
        await settle(app, pilot)
        assert "Codings of coder peneliti." in plain(screen, "#cc-bar")
        complete_consensus(sample_project)
        screen.invalidate()
        screen.refresh_data()
        await settle(app, pilot)
        assert "Codings of the consensus coder" in plain(screen, "#cc-bar")
