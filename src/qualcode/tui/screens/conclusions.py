"""Conclusion drawing and verification: per code (every active codebook and the emergent codes,
unless one codebook is chosen with b), the statement, the verdict on the codebook's scale, the
proposed verdict with its rule and counts (informants and codings for and against), the status
and who decided; the verification checks beside it; the supporting and contradicting quotes,
each linked contradicting one with the researcher's explanation (x).

Every change goes through the store (undoable with ctrl+z); the conclusions are computed in a
worker that only posts `ConclusionsReady`.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Header, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.core.analysis.labels import is_draft, kind_label
from qualcode.core.analysis.reduction import strip_draft
from qualcode.core.export.labels import balance_text, quote_where
from qualcode.errors import QualcodeError, error_text
from qualcode.i18n import N_, _
from qualcode.tui import keymap
from qualcode.tui.screens.analysis import AnalysisBase
from qualcode.tui.screens.form_dialog import FormDialog, FormField, Values
from qualcode.tui.screens.pick_dialog import PickDialog
from qualcode.tui.screens.retrieval import VALENCE_MARK
from qualcode.tui.widgets.code_picker import ChoiceDialog
from qualcode.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from qualcode.core.analysis.conclusions import CodeConclusion, Quote
    from qualcode.core.analysis.query import Excerpt
    from qualcode.core.analysis.verdicts import Level

STATUS_NAMES = {  # conclusion statuses, translated at display
    "tentative": N_("tentative"),
    "verified": N_("verified"),
}
LINK_NAMES = {  # an evidence link's stance
    "supports": N_("supports the conclusion"),
    "contradicts": N_("contradicts the conclusion"),
}

WIDE = 110  # from this width the checklist sits in its own column


class ConclusionsReady(Message):
    """The conclusions worker finished."""

    def __init__(self, token: int, covers: str = "",
                 sections: list[CodeConclusion] | None = None,
                 levels: dict[str, list[Level]] | None = None,
                 links: dict[str, dict[int, tuple[str, str]]] | None = None,
                 closing: str = "", error: str = "", coders: str = "") -> None:
        super().__init__()
        self.token = token
        self.covers = covers
        self.coders = coders  # whose codings the counts come from (coder_note)
        self.sections = sections or []
        self.levels = levels or {}
        self.links = links or {}
        self.closing = closing
        self.error = error


class ConclusionsScreen(AnalysisBase):
    """Codes on the left; the chosen code's conclusion, checklist and evidence beside it."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["analysis.tcss", "conclusions.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("conclusions")

    def __init__(self, codebook: str | None = None, code: str | None = None) -> None:
        super().__init__(codebook=codebook)
        self.sections: dict[str, CodeConclusion] = {}
        self.levels: dict[str, list[Level]] = {}
        self.links: dict[str, dict[int, tuple[str, str]]] = {}
        self._select = code
        self._token = 0
        self.excerpts: dict[int, Excerpt] = {}  # the codings last offered in a chooser

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="cc-bar", classes="an-bar")
        yield LoadingIndicator(id="busy")
        with Horizontal(id="cc-body"):
            yield OptionList(id="cc-codes")
            with VerticalScroll(id="cc-main"):
                yield Static(id="cc-conclusion")
                yield Static(id="cc-checks-inline")
                yield Static(id="cc-quotes")
            with VerticalScroll(id="cc-side"):
                yield Static(id="cc-checks")
        yield Static(id="cc-closing")
        yield KeyBar()

    def relabel(self) -> None:
        self.title = "qualcode"
        self.sub_title = _("Conclusions and verification")

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < WIDE, "-narrow")

    # ---- loading -------------------------------------------------------------------------
    def refresh_data(self) -> None:
        if not self.needs_reload(self.codebook):
            return
        self._token += 1
        self.set_busy(True)
        self.query_one("#cc-bar", Static).update(Text(_("Computing the conclusions…"), style="dim"))
        self._load(self._token, self.codebook, self.lang)

    @work(thread=True, exclusive=True, exit_on_error=False, group="conclusions")
    def _load(self, token: int, codebook: str | None, lang: str) -> None:
        from qualcode.core.analysis.conclusions import build_report
        from qualcode.core.analysis.verdicts import scale_levels

        try:
            report = build_report(self.project, codebook=codebook, lang=lang)
            levels = {key: scale_levels(self.project.get_codebook(key).scale)
                      for key in report.codebook_key.split(",") if key}
            links = {s.code_key: {e.coding_id: (e.stance, e.note)
                                  for e in self.project.evidence(s.code_key)}
                     for s in report.sections}
        except Exception as exc:  # shown to the researcher, never a crash
            self.post_message(ConclusionsReady(token, error=error_text(exc, self.lang)))
            return
        self.post_message(ConclusionsReady(token, report.covers, report.sections, levels, links,
                                           report.closing_summary, coders=report.coder_note))

    def on_conclusions_ready(self, message: ConclusionsReady) -> None:
        message.stop()
        if message.token != self._token:
            return
        self.set_busy(False)
        if message.error:
            self.invalidate()
            self.query_one("#cc-bar", Static).update(Text(message.error, style="bold red"))
            return
        self.sections = {s.code_key: s for s in message.sections}
        self.levels, self.links = message.levels, message.links
        bar = Text(message.coders + " ") if message.coders else Text()
        bar.append(message.covers, style="bold")
        bar.append(f" · {_('p accepts the proposal · v chooses a verdict · t status')}",
                   style="dim")
        self.query_one("#cc-bar", Static).update(bar)
        self.query_one("#cc-closing", Static).update(Text(message.closing, style="italic"))
        box = self.query_one("#cc-codes", OptionList)
        keep = self._select or self.current_key()
        self._select = None
        box.clear_options()
        box.add_options([Option(self._code_prompt(s), id=s.code_key) for s in message.sections])
        keys = [s.code_key for s in message.sections]
        if keys:
            box.highlighted = keys.index(keep) if keep in keys else 0
        box.focus()
        self._show()

    def _code_prompt(self, s: CodeConclusion) -> Text:
        verified = s.status == "verified"
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("● " if verified else "○ ", style="green" if verified else "dim")
        line.append(s.code_key, style="bold")
        line.append(f" {s.code_label}")
        verdict = s.verdict_label or f"{_('Proposed')}: {s.proposed_verdict_label or '–'}"
        line.append(f"\n  {verdict}", style="" if s.verdict_label else "dim italic")
        return line

    # ---- the chosen code -----------------------------------------------------------------
    def current_key(self) -> str | None:
        box = self.query_one("#cc-codes", OptionList)
        if box.highlighted is None or not box.option_count:
            return None
        return box.get_option_at_index(box.highlighted).id

    def current(self) -> CodeConclusion | None:
        key = self.current_key()
        return self.sections.get(key) if key else None

    @on(OptionList.OptionHighlighted, "#cc-codes")
    def _highlighted(self) -> None:
        self._show()

    @on(OptionList.OptionSelected, "#cc-codes")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_statement()

    def _show(self) -> None:
        s = self.current()
        parts = ("#cc-conclusion", "#cc-checks", "#cc-checks-inline", "#cc-quotes")
        if s is None:
            for part in parts:
                self.query_one(part, Static).update("")
            return
        self.query_one("#cc-conclusion", Static).update(self._conclusion_text(s))
        checks = self._checks_text(s)
        self.query_one("#cc-checks", Static).update(checks)
        self.query_one("#cc-checks-inline", Static).update(checks)
        self.query_one("#cc-quotes", Static).update(self._quotes_text(s))

    def _conclusion_text(self, s: CodeConclusion) -> Text:
        text = Text(f"{s.code_label} ({s.code_key})\n", style="bold")
        text.append(f"{_('Statement')}: ", style="dim")
        if is_draft(s.statement):
            text.append(strip_draft(s.statement), style="italic")
            text.append(f"  [{_('automatic draft — press s to write your statement')}]",
                        style="yellow")
        else:
            text.append(s.statement or "–")
        text.append(f"\n{_('Verdict')}: ", style="dim")
        text.append(s.verdict_label or _("none yet"), style="bold" if s.verdict_label else "")
        if s.decided_by:
            text.append(f" ({_('decided by {who}').format(who=s.decided_by)})", style="dim")
        text.append(f" · {_('Status')}: ", style="dim")
        text.append(_(STATUS_NAMES.get(s.status, s.status)),
                    style="green" if s.status == "verified" else "yellow")
        text.append(f"\n{_('Proposed')}: ", style="dim")
        text.append(s.proposed_verdict_label or "–")
        text.append(f"  ({balance_text(s, self.lang)})", style="dim")
        if s.proposed_verdict_key and s.proposed_verdict_key != s.verdict_key:
            text.append(f"  [p: {_('Accept proposal')}]", style="cyan")
        text.append(f"\n{s.proposal_counts}", style="")
        text.append(f"\n{s.proposal_rule}", style="dim italic")
        return text

    def _checks_text(self, s: CodeConclusion) -> Text:
        text = Text(_("Verification checklist") + "\n", style="bold")
        for item in s.checklist:
            text.append("✓ " if item.ok else "✗ ", style="bold green" if item.ok else "bold red")
            text.append(f"{item.label}: ", style="bold")
            text.append(f"{item.detail}\n")
        text.rstrip()
        return text

    def _quotes_text(self, s: CodeConclusion) -> Text:
        links = self.links.get(s.code_key, {})
        text = Text()
        for label, quotes in ((N_("Supporting evidence ({n})"), s.supporting),
                              (N_("Contradicting evidence ({n})"), s.contradicting)):
            text.append(f"\n{_(label).format(n=len(quotes))}\n", style="bold")
            if not quotes:
                text.append(f"  {_('No quotes yet.')}\n", style="dim")
            for q in quotes:
                text.append_text(self._quote_line(q, q.coding_id in links))
                note = links.get(q.coding_id, ("", ""))[1]
                if note:
                    text.append(f"    ↳ {_('Explanation')}: ", style="bold cyan")
                    text.append(f"{note}\n")
        text.rstrip()
        return text

    def _quote_line(self, q: Quote, linked: bool) -> Text:
        mark, colour = VALENCE_MARK.get(q.valence, ("0", "grey50"))
        line = Text(f"{mark} ", style=f"bold {colour}")
        line.append(f"“{q.excerpt}”")
        where = quote_where(q, self.lang)
        line.append(f" — {where}", style="dim")
        if linked:
            line.append(f" [{_('linked')}]", style="cyan")
        line.append("\n")
        return line

    # ---- changes (all through the store) -------------------------------------------------
    def _saved(self, code: str) -> None:
        self._select = code
        self.notify(_("Conclusion on {code} saved (ctrl+z undoes)").format(code=code), timeout=3)
        self.refresh_data()

    def _set(self, code: str, **changes: Any) -> None:
        if self.store_call(self.project.set_conclusion, code, **changes) is not None:
            self._saved(code)

    def action_statement(self) -> None:
        """Write or edit the conclusion statement."""
        s = self.current()
        if s is None:
            return
        code = s.code_key

        def submit(values: Values) -> None:
            self.project.set_conclusion(code, statement=strip_draft(values["statement"]))

        def done(values: Values | None) -> None:
            if values is not None:
                self._saved(code)

        fields = [FormField("statement", _("Statement"), s.statement, multiline=True)]
        self.app.push_screen(FormDialog(_("Conclusion on {code}").format(code=s.code_label), fields,
                                        submit), done)

    def action_verdict(self) -> None:
        """Choose the verdict on the codebook's scale (recorded as decided by the coder)."""
        s = self.current()
        if s is None:
            return
        code = s.code_key
        options: list[tuple[str, str | Text]] = [
            (lv.key, f"{lv.value}  {lv.label(self.lang)}")
            for lv in self.levels.get(s.codebook_key, [])]
        options.append(("*", _("(clear the verdict)")))

        def chosen(key: str | None) -> None:
            if key is not None:
                self._set(code, verdict="" if key == "*" else key, decided_by=self.app_coder)

        self.app.push_screen(PickDialog(_("Verdict on {code}").format(code=s.code_label), options,
                                        value=s.verdict_key or s.proposed_verdict_key), chosen)

    def action_accept_proposed(self) -> None:
        """Take the verdict proposed from the +/− balance."""
        s = self.current()
        if s is None:
            return
        if not s.proposed_verdict_key:
            self.notify(s.proposal_counts, severity="warning")
            return
        self._set(s.code_key, verdict=s.proposed_verdict_key, decided_by=self.app_coder)

    def action_toggle_status(self) -> None:
        """Tentative ↔ verified (verifying needs a verdict). With a failing check or a draft
        statement, verifying asks first (the default answer does not verify)."""
        s = self.current()
        if s is None:
            return
        code = s.code_key
        problems = [f"✗ {c.label}: {c.detail}" for c in s.checklist if not c.ok]
        if is_draft(s.statement):
            problems.append(f"✗ {_('The statement is still the automatic draft')}")
        if s.status == "verified" or not s.verdict_key or not problems:
            self._set(code, status="tentative" if s.status == "verified" else "verified")
            return

        def answer(choice: int | None) -> None:
            if choice == 1:
                self._set(code, status="verified")

        question = _("Mark {code} verified although it is not ready?").format(code=s.code_label)
        title = "\n".join([question, *problems])
        choices: list[tuple[int, str | Text]] = [(0, _("Do not verify")),
                                                 (1, _("Verify anyway"))]
        self.app.push_screen(ChoiceDialog(title.replace("[", "\\["), choices, selected=0),
                             answer)

    def _coding_options(self, code: str, only: set[int] | None = None
                        ) -> list[tuple[str, str | Text]]:
        from qualcode.core.analysis.query import retrieve

        options: list[tuple[str, str | Text]] = []
        links = self.links.get(code, {})
        for e in retrieve(self.project, codes=[code], lang=self.lang, context_chars=0):
            if only is not None and e.coding_id not in only:
                continue
            self.excerpts[e.coding_id] = e
            mark, colour = VALENCE_MARK.get(e.valence, ("0", "grey50"))
            label = Text(f"{mark} ", style=f"bold {colour}")
            label.append(f"{e.informant or kind_label(e.kind, self.lang)}: ", style="bold")
            label.append(" ".join(e.text.split())[:160])
            label.append(f" · {e.coder}", style="dim")
            if e.coding_id in links:
                label.append(f" [{_(LINK_NAMES[links[e.coding_id][0]])}]", style="cyan")
            options.append((str(e.coding_id), label))
        return options

    def action_link(self) -> None:
        """Link a coding of this code as supporting or contradicting evidence."""
        s = self.current()
        if s is None:
            return
        code = s.code_key

        def stance_chosen(coding_id: int, stance: str | None) -> None:
            if stance and self.store_call(self.project.link_evidence, code, coding_id,
                                          stance) is not None:
                self._saved(code)

        def coding_chosen(value: str | None) -> None:
            if value is None:
                return
            stances: list[tuple[str, str | Text]] = [
                ("supports", _("supports the conclusion")),
                ("contradicts", _("contradicts the conclusion")),
            ]
            self.app.push_screen(PickDialog(_("This coding…"), stances),
                                 lambda stance: stance_chosen(int(value), stance))

        self.app.push_screen(PickDialog(_("Coding as evidence on {code}").format(code=s.code_label),
                                        self._coding_options(code)), coding_chosen)

    def action_explain(self) -> None:
        """Link a contradicting coding with the researcher's explanation (or change it)."""
        s = self.current()
        if s is None:
            return
        code, against = s.code_key, set(s.against_ids)
        if not against:
            self.notify(_("No coding contradicts this conclusion."), severity="warning")
            return

        def coding_chosen(value: str | None) -> None:
            if value is None:
                return
            coding_id = int(value)
            note = self.links.get(code, {}).get(coding_id, ("", ""))[1]

            def submit(values: Values) -> None:
                self.project.link_evidence(code, coding_id, "contradicts",
                                           note=values["note"])

            def done(values: Values | None) -> None:
                if values is not None:
                    self._saved(code)

            fields = [FormField("note", _("Why it does not overturn the conclusion"), note,
                                multiline=True)]
            self.app.push_screen(FormDialog(self._explain_title(coding_id), fields, submit),
                                 done)

        self.app.push_screen(PickDialog(_("Contradicting coding to explain on {code}").format(
            code=s.code_label), self._coding_options(code, against)), coding_chosen)

    def _explain_title(self, coding_id: int) -> str:
        """Whose words, where, and the start of them: never the coding's internal id."""
        e = self.excerpts.get(coding_id)
        if e is None:
            return _("Explain the contradicting coding")
        excerpt = " ".join(e.text.split())
        where = f"{e.source}, {e.location.text(self.lang)}" if e.location else e.source
        return _("Explain: {who} ({where}): “{excerpt}”").format(
            who=e.who or kind_label(e.kind, self.lang), where=where,
            excerpt=excerpt[:60] + "…" if len(excerpt) > 60 else excerpt)

    def action_unlink(self) -> None:
        """Remove a linked coding from the evidence."""
        s = self.current()
        if s is None:
            return
        code, linked = s.code_key, set(self.links.get(s.code_key, {}))
        if not linked:
            self.notify(_("No evidence linked yet."), severity="warning")
            return

        def chosen(value: str | None) -> None:
            if value is None:
                return
            try:
                self.project.unlink_evidence(code, int(value))
            except QualcodeError as exc:
                self.notify_error(exc)
                return
            self._saved(code)

        self.app.push_screen(PickDialog(_("Unlink evidence from {code}").format(code=s.code_label),
                                        self._coding_options(code, linked)), chosen)

    def action_jump(self) -> None:
        """Open the transcript at one of the quotes."""
        s = self.current()
        if s is None:
            return
        ids = {q.coding_id for q in s.supporting + s.contradicting}

        def chosen(value: str | None) -> None:
            if value is None:
                return
            coding = self.store_call(self.project.get_coding, int(value))
            if coding is not None:
                self.app_action("open_source", coding.source_id, coding.start)

        self.app.push_screen(PickDialog(_("Go to quote"),
                                        self._coding_options(s.code_key, ids)), chosen)

    def action_codebook(self) -> None:
        def done(key: str | None) -> None:
            self.codebook = key
            self.refresh_data()
        self.pick_codebook(done)

    def action_export(self) -> None:
        self.open_export(["report", "all"], default="report")
