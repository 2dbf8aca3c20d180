"""Disagreement review: step through the places where coders differ and resolve each into the
consensus coder (issue 12).

Each place (one code in one source: coded by some coders only, different spans, or different
valence; found by `core.analysis.disagreements`) shows its passage with context and each
coder's codings, valence and notes side by side, plus the consensus coder's. `1`-`9` accept
coder N's codings, `b` both (every coder who coded it), `x` neither, `e` edits span, valence
and note; each decision is recorded (who, when) and undoable with ctrl+z. Resolved places
are skipped unless shown (`s`). `r` recomputes agreement (the first figures stay as
"before"); `a` copies the codings the coders agree on to the consensus coder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Header, Static

from qualcode.core.analysis.disagreements import KIND_TEXT, CoderCoding, Place, Scan
from qualcode.errors import QualcodeError, error_text
from qualcode.i18n import N_, _, ngettext
from qualcode.tui import keymap
from qualcode.tui.screens.analysis import AnalysisBase, MultiPickDialog
from qualcode.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from qualcode.tui.screens.form_dialog import Values

CONTEXT = 240  # characters of context either side of a place (at most)
CONTEXTS = (CONTEXT, 160, 100, 60, 30, 0)  # tried in turn until the passage fits its lines


def passage_lines(height: int) -> int:
    """Lines the passage may take on a screen `height` rows high: few on a small terminal, so
    the coders' table below it stays in view (4 at 24 rows, 12 at 40)."""
    return min(max(3 + (height - 21) // 2, 3), 16)


def passage_text(text: str, start: int, end: int, context: int, keep: int | None = None) -> Text:
    """The coded span (bold, reversed) with `context` characters either side (dimmed); a span
    longer than `keep` characters shows its beginning and end around an ellipsis."""
    lo, hi = max(start - context, 0), min(end + context, len(text))
    out = Text("…" if lo else "", style="dim")
    out.append(text[lo:start], style="dim")
    span = text[start:end]
    if keep is not None and len(span) > keep:
        span = span[:keep // 2].rstrip() + " … " + span[-(keep // 2):].lstrip()
    out.append(span, style="bold reverse")
    out.append(text[end:hi], style="dim")
    out.append("…" if hi < len(text) else "", style="dim")
    return out


class AgreementReady(Message):
    """The agreement worker finished: one line per comparison, or an error."""

    def __init__(self, lines: list[str], error: str = "") -> None:
        super().__init__()
        self.lines = lines
        self.error = error


class PlacesFound(Message):
    """The scan worker finished: the places and agreed runs, or an error."""

    def __init__(self, found: Scan | None, error: str = "") -> None:
        super().__init__()
        self.found = found
        self.error = error


class ReviewScreen(AnalysisBase):
    """The places where the chosen coders differ, one at a time."""

    CSS_PATH = "analysis.tcss"
    DEFAULT_CSS = """
    ReviewScreen #rv-status { height: auto; background: $boost; padding: 0 1; }
    ReviewScreen #rv-passage { margin: 1 1; }
    ReviewScreen.-short #rv-passage { margin: 0 1 1 1; }
    ReviewScreen #rv-agreement { margin: 1 1; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("review")

    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[str] = []        # coders compared ([] = every human coder)
        self.sources: list[str] = []       # source ids ([] = all)
        self.codes: list[str] = []         # code keys ([] = all)
        self.places: list[Place] = []
        self.at: int | None = None         # index into places
        self.show_resolved = False
        self.before: list[str] | None = None
        self.before_resolved = 0           # places already resolved when `before` was computed
        self.now: list[str] | None = None
        self.error = ""
        self.agreed_left = 0               # runs the coders agree on, not yet in consensus
        self.jump_to: tuple[int, int, int, int] | None = None  # a place undo / redo touched

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="rv-body"):
            yield Static(_("Finding the places…"), id="rv-status")
            yield Static(id="rv-passage")
            yield Static(id="rv-coders")
            yield Static(id="rv-agreement")
        yield KeyBar()

    def relabel(self) -> None:
        self.title = "qualcode"
        self.sub_title = _("Disagreement review")

    # ---- data ----------------------------------------------------------------------------
    def refresh_data(self) -> None:
        """Find the places again (after a decision, an undo, a changed filter), in a worker:
        on a large project the scan takes seconds and the screen stays responsive."""
        if self.places or self.error:
            self.query_one("#rv-status", Static).update(Text(_("Finding the places…"),
                                                             style="dim"))
        self._scan(self.project, list(self.chosen), list(self.sources), list(self.codes))

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-scan")
    def _scan(self, project: Any, coders: list[str], sources: list[str],
              codes: list[str]) -> None:
        from qualcode.core.analysis.disagreements import scan

        try:
            found = scan(project, coders, sources=sources, codes=codes)
        except Exception as exc:  # shown on the screen, never a crash
            self.post_message(PlacesFound(None, error_text(exc, self.lang, " ")))
        else:
            self.post_message(PlacesFound(found))

    def on_places_found(self, message: PlacesFound) -> None:
        message.stop()
        key = self.places[self.at].key if self.places and self.at is not None else None
        key, self.jump_to = self.jump_to or key, None
        found = message.found
        self.error = message.error
        if found is None:
            self.places, self.agreed_left = [], 0
        else:
            self.places, self.chosen = found.places, found.coders
            self.agreed_left = sum(not run.consensus for run in found.agreed)
        keys = [p.key for p in self.places]
        self.at = keys.index(key) if key in keys else None
        if self.at is None or not self._visible(self.at):
            self.at = self._step(self.at if self.at is not None else -1, 1)
        self.render_place()
        if self.before is None and not self.error:
            self.action_recompute()

    def show_change(self, changes: list[dict[str, Any]]) -> None:
        """After undo / redo (the app calls it): show the place whose decision changed."""
        for change in changes:
            state = change.get("before") or change.get("after")
            if change.get("table") == "adjudication" and state:
                self.jump_to = (state["source_id"], state["code_id"], state["start"],
                                state["end"])

    def _visible(self, index: int) -> bool:
        return self.show_resolved or not self.places[index].resolved

    def _step(self, start: int, direction: int) -> int | None:
        """The next visible place from `start` in `direction` (wrapping), or None."""
        n = len(self.places)
        for k in range(1, n + 1):
            index = (start + direction * k) % n
            if self._visible(index):
                return index
        return None

    @property
    def place(self) -> Place | None:
        """The place shown."""
        return self.places[self.at] if self.at is not None and self.places else None

    # ---- rendering -----------------------------------------------------------------------
    def render_place(self) -> None:
        status = self.query_one("#rv-status", Static)
        passage = self.query_one("#rv-passage", Static)
        table = self.query_one("#rv-coders", Static)
        done = sum(p.resolved for p in self.places)
        counts = _("{n} places · {done} resolved · {left} to go").format(
            n=len(self.places), done=done, left=len(self.places) - done)
        if self.agreed_left:
            counts += " · " + _("{n} passages the coders agree on are not yet in the "
                                "consensus coder (a copies them)").format(n=self.agreed_left)
        place = self.place
        if self.error or place is None:
            if self.error:
                status.update(Text(self.error))
            elif self.places:
                status.update(Text(counts + " · " + _("nothing left to review")))
            else:
                status.update(Text(_("the coders do not differ here")))
            passage.update("")
            table.update("")
            return
        head = Text(_("Place {k} of {n}").format(k=(self.at or 0) + 1, n=len(self.places)),
                    style="bold")
        head.append(f" · {place.code} · {place.source} {place.start}-{place.end} · ")
        head.append(", ".join(_(KIND_TEXT[k]) for k in place.kinds), style="bold")
        head.append(f"\n{counts}", style="dim")
        if place.decision is not None:
            d = place.decision
            head.append("\n✔ " + _("resolved by {who} at {when}: {what}").format(
                who=d.decided_by, when=d.decided_at.strftime("%Y-%m-%d %H:%M"),
                what=_decision_text(d.decision, d.accepted)), style="bold green")
        status.update(head)
        passage.update(self._passage(place))
        table.update(self._coders_table(place))

    def on_resize(self) -> None:
        """Fewer lines of context on a smaller terminal (the coders' table keeps its room)."""
        self.set_class(self.size.height < 30, "-short")
        place = self.place
        if place is not None and not self.error:
            self.query_one("#rv-passage", Static).update(self._passage(place))

    def _passage(self, place: Place) -> Text:
        """The place with as much context as fits `passage_lines` at the screen's size."""
        text = self.project.get_source(place.source_id).text
        width, budget = max(self.size.width - 4, 20), passage_lines(self.size.height)
        for context in CONTEXTS:
            out = passage_text(text, place.start, place.end, context)
            if len(out.wrap(self.app.console, width)) <= budget:
                return out
        return passage_text(text, place.start, place.end, 0, keep=max(budget * width - 8, 40))

    def _coders_table(self, place: Place) -> Group:
        table = Table(expand=True, show_lines=True)
        names = place.compared
        for n, name in enumerate(names, start=1):
            table.add_column(f"{n}  {name}" if n <= 9 else name, ratio=1)
        table.add_column(_("consensus"), ratio=1, style="green")
        text = self.project.get_source(place.source_id).text
        cells = [_cell(place.codings[name], text) for name in names]
        cells.append(_cell(place.consensus, text))
        table.add_row(*cells)
        return Group(table)

    def _agreement_text(self) -> Text:
        out = Text(_("Agreement (all codes, chosen sources)"), style="bold")
        if self.before is None:
            out.append("\n" + _("computing…"), style="dim")
            return out
        n = self.before_resolved
        out.append("\n" + (ngettext("when this screen opened, {n} place already resolved:",
                                     "when this screen opened, {n} places already resolved:",
                                     n).format(n=n) if n else _("before review:")),
                   style="underline")
        for line in self.before:
            out.append(f"\n  {line}")
        if self.now is not None and self.now != self.before:
            out.append("\n" + _("now:"), style="underline")
            for line in self.now:
                out.append(f"\n  {line}")
        return out

    # ---- agreement -----------------------------------------------------------------------
    def action_recompute(self) -> None:
        """Recompute agreement in a worker (the first result is kept as "before")."""
        self.query_one("#rv-agreement", Static).update(
            Text(_("Recomputing agreement…"), style="dim"))
        self._agreement(self.project, list(self.chosen), list(self.sources), list(self.codes),
                        self.lang)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-agreement")
    def _agreement(self, project: Any, coders: list[str], sources: list[str],
                   codes: list[str], lang: str) -> None:
        from qualcode.core.analysis.disagreements import review_agreement

        try:
            lines = review_agreement(project, coders, sources=sources, codes=codes, lang=lang)
        except Exception as exc:  # shown on the screen, never a crash
            self.post_message(AgreementReady([], error_text(exc, lang)))
        else:
            self.post_message(AgreementReady(lines))

    def on_agreement_ready(self, message: AgreementReady) -> None:
        message.stop()
        box = self.query_one("#rv-agreement", Static)
        if message.error:
            box.update(Text(message.error))
            return
        if self.before is None:
            self.before = message.lines
            self.before_resolved = sum(p.resolved for p in self.places)
        self.now = message.lines
        box.update(self._agreement_text())

    # ---- moving --------------------------------------------------------------------------
    def action_next(self, direction: int = 1) -> None:
        """The next (or previous) place still to review."""
        if self.places:
            self.at = self._step(self.at if self.at is not None else -1, direction)
            self.render_place()

    def action_toggle_resolved(self) -> None:
        """Show resolved places too, or skip them."""
        self.show_resolved = not self.show_resolved
        self.notify(_("Resolved places shown") if self.show_resolved
                    else _("Resolved places skipped"), timeout=2)
        self.refresh_data()

    # ---- deciding ------------------------------------------------------------------------
    def decide(self, decision: str, **kwargs: Any) -> None:
        """Record a decision on the place shown, then go on to the next place to review."""
        from qualcode.core.adjudication import resolve

        place = self.place
        if place is None:
            return
        row = self.store_call(resolve, self.project, place, decision, **kwargs)
        if row is None:
            return
        place.decision = row   # shown resolved at once; the scan after the change confirms it
        if not self.show_resolved:
            self.action_next()
        self.notify(_("Decided: {what}").format(
            what=_decision_text(decision, kwargs.get("accept", ()))), timeout=2)
        self.app.broadcast_change("adjudicate")  # type: ignore[attr-defined]

    def action_accept(self, number: int) -> None:
        """Accept coder N's codings of the place."""
        place = self.place
        if place is None:
            return
        if not 1 <= number <= len(place.compared):
            self.notify(_("No coder {n} here.").format(n=number), severity="warning")
            return
        self.decide("accept", accept=[place.compared[number - 1]])

    def action_both(self) -> None:
        """Accept the codings of every coder who coded the place."""
        place = self.place
        if place is not None:
            self.decide("accept", accept=[c for c in place.compared if place.codings[c]])

    def action_neither(self) -> None:
        """No consensus coding at this place."""
        self.decide("neither")

    def action_edit(self) -> None:
        """Write the consensus coding by hand: span, valence and note."""
        from qualcode.tui.screens.form_dialog import FormDialog, FormField

        place = self.place
        if place is None:
            return
        first = next((c for name in place.compared for c in place.codings[name]), None)
        fields = [FormField("start", _("Start"), str(place.start)),
                  FormField("end", _("End"), str(place.end)),
                  FormField("valence", _("Valence"), first.valence if first else "0",
                            choices=[("+", "+"), ("-", "−"), ("0", "0")]),
                  FormField("note", _("Note"), first.note if first else "", multiline=True)]

        def submit(values: Values) -> None:
            from qualcode.core.adjudication import resolve

            try:
                span = (int(values["start"]), int(values["end"]))
            except ValueError:
                raise QualcodeError(N_("start and end must be whole numbers")) from None
            resolve(self.project, place, "edit", span=span, valence=values["valence"] or "0",
                    note=values["note"])

        def done(values: Values | None) -> None:
            if values is not None:
                self.notify(_("Decided: {what}").format(what=_decision_text("edit", ())),
                            timeout=2)
                self.app.broadcast_change("adjudicate")  # type: ignore[attr-defined]

        self.app.push_screen(FormDialog(_("Edit the consensus coding"), fields, submit), done)

    def action_take_agreed(self) -> None:
        """Copy the codings every coder agrees on to the consensus coder."""
        from qualcode.core.adjudication import take_agreed

        n = self.store_call(take_agreed, self.project, self.chosen, sources=self.sources,
                            codes=self.codes)
        if n is not None:
            self.notify(_("{n} agreed codings copied to the consensus coder").format(n=n),
                        timeout=4)
            if n:
                self.app.broadcast_change("adjudicate")  # type: ignore[attr-defined]

    # ---- choosing ------------------------------------------------------------------------
    def action_choose(self, what: str) -> None:
        """Choose the coders, sources or codes to review."""
        from qualcode.core.coders import SPECIAL_CODERS

        project = self.project
        if what == "coders":
            options = [(c, c) for c in project.coders() if c not in SPECIAL_CODERS]
            title, current = _("Coders to compare"), self.chosen
        elif what == "sources":
            options = [(str(s.id), s.name) for s in project.sources()]
            title, current = _("Sources to review"), self.sources
        else:
            options = [(c.key, f"{c.key}  {c.label(self.lang)}") for c in project.codes()]
            title, current = _("Codes to review"), self.codes

        def chosen(values: list[str] | None) -> None:
            if values is None:
                return
            setattr(self, "chosen" if what == "coders" else what, values)
            self.before = self.now = None
            self.refresh_data()

        self.app.push_screen(MultiPickDialog(title, list(options), current), chosen)


def _cell(codings: list[CoderCoding], text: str) -> Text:
    """One coder's codings at a place: span, valence, excerpt, note."""
    if not codings:
        return Text(_("(not coded)"), style="dim italic")
    out = Text()
    for n, c in enumerate(codings):
        if n:
            out.append("\n\n")
        out.append(f"{c.start}-{c.end}  ", style="bold")
        out.append(_("valence {valence}").format(valence=c.valence), style="bold")
        excerpt = " ".join(text[c.start:c.end].split())
        out.append("\n“" + (excerpt[:140] + "…" if len(excerpt) > 140 else excerpt) + "”")
        if c.note:
            out.append("\n" + _("note: {note}").format(note=c.note), style="italic")
    return out


def _decision_text(decision: str, accepted: Any) -> str:
    from qualcode.core.adjudication import DECISION_TEXT

    return _(DECISION_TEXT.get(decision, decision)).format(coders=", ".join(accepted or ()))
