"""The home screen: sources by informant (or kind) with coding progress, codebooks, activity."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Label, Static, Tree

from qualcode.core.analysis.labels import kind_label, role_label
from qualcode.core.models import SOURCE_KINDS
from qualcode.core.store import read as store_read
from qualcode.core.store import summary as store_summary
from qualcode.i18n import _, ngettext
from qualcode.tui import keymap
from qualcode.tui.screens.screen_base import QualcodeScreen
from qualcode.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from qualcode.core.models import Informant, Source

BAR_WIDTH = 8
_EIGHTHS = " ▏▎▍▌▋▊▉"


def progress_bar(share: float, width: int = BAR_WIDTH) -> tuple[str, str]:
    """The filled and empty parts of a bar of `width` cells for `share` in [0, 1]."""
    share = min(max(share, 0.0), 1.0)
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    filled = "█" * full + (_EIGHTHS[part] if part and full < width else "")
    return filled, "░" * (width - len(filled))


def group_heading(kind: str, names: Sequence[str], lang: str, most: int = 4) -> str:
    """The heading of a source whose speakers are several informants (a focus group): what it
    is and who speaks in it (the first `most` names, then how many more)."""
    shown = ", ".join(names[:most]) + (f" +{len(names) - most}" if len(names) > most else "")
    if kind == "interview":
        return _("group discussion: {names}", lang=lang).format(names=shown)
    return _("{kind} with several speakers: {names}", lang=lang).format(
        kind=kind_label(kind, lang).lower(), names=shown)


def local_time(when: datetime) -> str:
    """A stored (naive UTC) timestamp as local day and time."""
    return when.replace(tzinfo=UTC).astimezone().strftime("%d-%m %H:%M")


class HomeScreen(QualcodeScreen):
    """The first screen: what is in the project and how far its coding has come."""

    CSS_PATH = "home.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("home")

    def __init__(self) -> None:
        super().__init__()
        self.group_by = "informant"
        self.speakers: dict[int, list[str]] = {}  # source id -> the informants who speak in it

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home-body"):
            with Vertical(id="home-left"):
                yield Label(id="home-sources-title", classes="section-title")
                tree: Tree[int | None] = Tree("sources", id="home-sources")
                tree.show_root = False
                tree.auto_expand = False  # enter opens; space folds a group
                tree.guide_depth = 2
                yield tree
            with VerticalScroll(id="home-right"):
                yield Static(id="home-summary")
                yield Label(id="home-codebooks-title", classes="section-title")
                yield Static(id="home-codebooks")
                yield Label(id="home-activity-title", classes="section-title")
                yield Static(id="home-activity")
        yield KeyBar()

    # ---- rendering -----------------------------------------------------------------------
    def relabel(self) -> None:
        self.title = "qualcode"
        self.sub_title = f"{_('Home')} · {self.project.location.rsplit('/', 1)[-1]}"
        self.query_one("#home-sources-title", Label).update(_("Sources"))
        self.query_one("#home-codebooks-title", Label).update(_("Active codebooks"))
        self.query_one("#home-activity-title", Label).update(_("Recent activity"))

    def theme_changed(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        self._fill_sources()
        self._fill_codebooks()
        self._fill_activity()

    def _fill_sources(self) -> None:
        tree: Tree[int | None] = self.query_one("#home-sources", Tree)
        left = getattr(self.app, "last_source", None)  # back from a transcript: select it
        if left is not None:
            self.app.last_source = None  # type: ignore[attr-defined]
        current = left or (tree.cursor_node.data if tree.cursor_node else None)
        sources = self.project.sources()
        informants = {i.id: i for i in self.project.informants()}
        progress = store_summary.source_progress(self.project)
        self.speakers = store_read.speaker_informants(self.reader)
        tree.clear()
        if not sources:
            tree.root.add_leaf(Text(_("No sources yet. Import with `qualcode import FILE`."),
                                    style="italic"), data=None)
        first = chosen = None
        for label, items in self._groups(sources, informants):
            group = tree.root.add(label, expand=True, data=None)
            for src in items:
                node = group.add_leaf(self._source_label(src, informants, progress), data=src.id)
                first = first or node
                chosen = node if src.id == current else chosen
        select = chosen or first
        if select is not None:
            _lines = tree._tree_lines  # lay out the lines now, so nodes know their line numbers
            tree.move_cursor(select)
        counts = self.project.counts()
        self.query_one("#home-summary", Static).update(
            _("{sources} sources · {informants} informants · {codings} codings").format(
                sources=counts["sources"],
                informants=counts["informants"],
                codings=counts["codings"],
            )
        )

    def _groups(self, sources: list[Source], informants: dict[int | None, Informant],
                ) -> Iterable[tuple[Text, list[Source]]]:
        """(group label, sources) by informant (sources without one: by kind), or by kind."""
        if self.group_by == "kind":
            for kind in SOURCE_KINDS:
                items = [s for s in sources if s.kind == kind]
                if items:
                    yield Text(f"{kind_label(kind).lower()} ({len(items)})", style="bold"), items
            return
        by_informant: dict[int, list[Source]] = {}
        by_speakers: dict[tuple[str, tuple[str, ...]], list[Source]] = {}
        alone: list[Source] = []
        for src in sources:
            if src.informant_id is not None and src.informant_id in informants:
                by_informant.setdefault(src.informant_id, []).append(src)
            elif src.id in self.speakers:  # no single informant: its speakers are informants
                by_speakers.setdefault((src.kind, tuple(self.speakers[src.id])), []).append(src)
            else:
                alone.append(src)
        for inf_id, items in sorted(by_informant.items(),
                                    key=lambda kv: informants[kv[0]].pseudonym.lower()):
            inf = informants[inf_id]
            label = Text(inf.pseudonym, style="bold")
            if inf.role:
                label.append(f" — {role_label(inf.role, self.lang)}", style="italic")
            yield label, items
        for (kind, names), items in sorted(by_speakers.items(), key=lambda kv: kv[0][1]):
            yield Text(group_heading(kind, names, self.lang), style="bold"), items
        for kind in SOURCE_KINDS:
            items = [s for s in alone if s.kind == kind]
            if items:
                text = _("{kind} (no informant)").format(kind=kind_label(kind).lower())
                yield Text(text, style="bold"), items

    def _source_label(self, src: Source, informants: dict[int | None, Informant],
                      progress: dict[int, store_summary.SourceProgress]) -> Text:
        share = progress[src.id].share if src.id in progress else 0.0
        filled, empty = progress_bar(share)
        label = Text()
        label.append(filled, style=Style(color=self.theme_colour("success") or None))
        label.append(empty, style="dim")
        label.append(f" {round(share * 100):>3}% ")
        label.append(src.name + (f" v{src.version}" if src.version > 1 else ""))
        # by informant, most sources are interviews and the rest sit in a group of their
        # kind: only an informant's non-interview source is tagged with its kind
        tag = kind_label(src.kind).lower() if (
            src.kind != "interview" and src.informant_id in informants) else ""
        if self.group_by == "kind":
            informant = informants.get(src.informant_id)
            tag = informant.pseudonym if informant is not None else ", ".join(
                self.speakers.get(src.id or 0, []))
        if tag:
            label.append(f" · {tag}", style="dim")
        return label

    def _fill_codebooks(self) -> None:
        books = self.project.codebooks()
        n_codes = store_summary.code_counts_by_codebook(self.project)
        text = Text()
        active = [b for b in books if b.active]
        for book in active:
            title = (book.title_en or book.title_id) if self.lang == "en" else (
                book.title_id or book.title_en)
            text.append(book.key, style="bold")
            n = n_codes.get(book.id or 0, 0)
            text.append(f"  {ngettext('{n} code', '{n} codes', n).format(n=n)}\n",
                        style="dim")
            text.append(f"  {title}\n")
        if not active:
            text.append(_("No active codebook.") + "\n", style="italic")
        if len(books) > len(active):
            text.append(_("+{n} inactive codebooks").format(n=len(books) - len(active)),
                        style="dim")
        text.rstrip()
        box = self.query_one("#home-codebooks", Static)
        box.update(text)
        box.tooltip = text.plain  # lines cut with "…" on a narrow terminal, whole here

    def _fill_activity(self) -> None:
        from qualcode.core.store.history import describe

        text = Text()
        actions = self.project.history(limit=6)
        for action in actions:
            text.append(local_time(action.created_at) + " ", style="dim")
            style = "strike dim" if action.undone else ""
            text.append(describe(action, self.lang), style=style)
            if action.undone:
                text.append(f" ({_('undone')})", style="dim")
            text.append("\n")
        memos = self.project.memos()[:3]
        if memos:
            text.append(_("Recent memos") + "\n", style="bold")
            for memo in memos:
                first = memo.title or (memo.body.strip().splitlines() or [""])[0]
                text.append(local_time(memo.updated_at) + " ", style="dim")
                text.append(f"✎ {first[:60]}\n")
        if not actions and not memos:
            text.append(_("No activity yet."), style="italic")
        text.rstrip()
        activity = self.query_one("#home-activity", Static)
        activity.update(text)
        activity.tooltip = text.plain  # lines cut with "…" on a narrow terminal, whole here

    # ---- events and actions --------------------------------------------------------------
    def on_tree_node_selected(self, event: Tree.NodeSelected[int | None]) -> None:
        """Enter opens a transcript; on an informant's row, that informant's first one
        (space folds the group)."""
        source = event.node.data
        if source is None and event.node.children:
            source = event.node.children[0].data
        if source is None:
            return
        event.stop()
        self.app_action("open_source", source,
                        fallback=lambda: self.notify(_("The coding screen is not available.")))

    def action_codebook(self) -> None:
        from qualcode.tui.screens.codebook import CodebookScreen

        self.app_action("open_codebook", fallback=lambda: self.app.push_screen(CodebookScreen()))

    def action_memos(self) -> None:
        from qualcode.tui.screens.memos import MemosScreen

        self.app_action("open_memos", fallback=lambda: self.app.push_screen(MemosScreen()))

    def action_analysis(self) -> None:
        from qualcode.tui.screens.analysis import AnalysisScreen

        self.app_action("open_analysis", fallback=lambda: self.app.push_screen(AnalysisScreen()))

    def action_review(self) -> None:
        """Disagreement review (under the analysis hub)."""
        self.app_action("go_to", "review")

    def action_toggle_blind(self) -> None:
        """Blind coding on or off for this session's coder, in this project (the setting
        `qualcode blind` writes): a blind coder sees only their own codings."""
        from qualcode.core.store.read import blind_coders

        coder = str(getattr(self.app, "coder", "researcher"))
        blind = coder not in blind_coders(self.reader)
        if self.store_call(self.project.set_blind, coder, blind) is None:
            return
        self.notify(_("Blind coding on for {coder}: other coders' codings are hidden")
                    .format(coder=coder) if blind else
                    _("Blind coding off for {coder}: every coder's codings are shown")
                    .format(coder=coder), timeout=5, markup=False)
        broadcast = getattr(self.app, "broadcast_change", None)
        if callable(broadcast):
            broadcast("blind")

    def action_import_files(self) -> None:
        """Import files or a folder in a dialog (runs in a worker with a progress bar)."""
        from qualcode.tui.screens.import_dialog import ImportDialog

        dialog = ImportDialog()
        self.app.push_screen(dialog, lambda _n: self._after_import(dialog.new_sources))

    def _after_import(self, fresh: list[int]) -> None:
        """Refresh; then, for each source just imported with speaker labels, ask whom each
        label stands for (the researcher checks what was detected)."""
        self.refresh_data()
        self._ask_speakers(list(fresh))

    def _ask_speakers(self, pending: list[int]) -> None:
        from qualcode.tui.screens.people_forms import needs_speakers, speakers_form

        while pending:
            source_id = pending.pop(0)
            if not needs_speakers(self.project, source_id):
                continue
            form = speakers_form(self.project, source_id, self.lang)
            if form is not None:
                def next_one(_values: object) -> None:
                    self.refresh_data()
                    self._ask_speakers(pending)

                self.app.push_screen(form, next_one)
                return

    def _selected_source(self) -> int | None:
        tree: Tree[int | None] = self.query_one("#home-sources", Tree)
        node = tree.cursor_node
        if node is None or node.data is None:
            self.notify(_("Choose a source first."), severity="warning")
            return None
        return int(node.data)

    def action_speakers(self) -> None:
        """Map the selected source's speaker labels to informants (or the interviewer)."""
        from qualcode.tui.screens.people_forms import speakers_form

        source_id = self._selected_source()
        if source_id is None:
            return
        form = self.store_call(speakers_form, self.project, source_id, self.lang)
        if form is None:
            self.notify(_("No speaker labels in this source: attribute passages on the coding "
                          "screen (A)."))
            return
        self.app.push_screen(form, lambda _v: self.refresh_data())

    def action_edit_source(self) -> None:
        """Edit the selected source's kind, informant, date and language."""
        from qualcode.tui.screens.people_forms import source_form

        source_id = self._selected_source()
        if source_id is not None:
            self.app.push_screen(source_form(self.project, source_id, self.lang),
                                 lambda _v: self.refresh_data())

    def action_edit_informant(self) -> None:
        """Choose an informant (the selected source's first), then edit it."""
        from qualcode.tui.screens.people_forms import informant_form
        from qualcode.tui.screens.pick_dialog import PickDialog

        people = self.project.informants()
        if not people:
            self.notify(_("No informants yet."), severity="warning")
            return
        tree: Tree[int | None] = self.query_one("#home-sources", Tree)
        node = tree.cursor_node
        current = None
        if node is not None and node.data is not None:
            src = self.project.get_source(int(node.data))
            current = next((p.pseudonym for p in people if p.id == src.informant_id), None)

        def chosen(name: str | None) -> None:
            if name:
                self.app.push_screen(informant_form(self.project, name, self.lang),
                                     lambda _v: self.refresh_data())

        options = [(p.pseudonym, p.pseudonym + (f" — {role_label(p.role, self.lang)}"
                                                if p.role else "")) for p in people]
        self.app.push_screen(PickDialog(_("Edit which informant?"), options, value=current),
                             chosen)

    def action_toggle_grouping(self) -> None:
        self.group_by = "kind" if self.group_by == "informant" else "informant"
        self._fill_sources()
        self.notify(_("Grouped by informant") if self.group_by == "informant"
                    else _("Grouped by kind"))

    def action_toggle_language(self) -> None:
        new = "en" if self.lang == "id" else "id"
        setter = getattr(self.app, "set_lang", None)
        if callable(setter):
            setter(new)
        else:
            self.app.lang = new  # type: ignore[attr-defined]
        self.store_call(self.project.set_meta, "ui_lang", new)
        self.apply_language()
        self.app.refresh_bindings()
        self.refresh_data()
        self.notify(_("Interface language: English"))

    def action_toggle_theme(self) -> None:
        self.app.theme = "textual-light" if self.app.current_theme.dark else "textual-dark"
        self.store_call(self.project.set_meta, "ui_theme", self.app.theme)
