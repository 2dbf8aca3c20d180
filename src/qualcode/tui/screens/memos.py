"""The memos screen: browse memos by what they are attached to, read them, write new ones."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.i18n import _
from qualcode.tui import keymap
from qualcode.tui.screens.home import local_time
from qualcode.tui.screens.memo_editor import SCOPE_NAMES, SCOPES, MemoEditor, target_choices
from qualcode.tui.screens.screen_base import QualcodeScreen
from qualcode.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from qualcode.core.models import Memo

FILTERS: tuple[str | None, ...] = (None, *SCOPES)

def memo_title(memo: Memo) -> str:
    """A memo's title, or its first line (for messages that name it)."""
    return memo.title or (memo.body.strip().splitlines() or [""])[0][:40]


class MemosScreen(QualcodeScreen):
    """All memos, or those of one scope (project / source / code / informant) or one target."""

    CSS_PATH = "memos.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("memos")

    def __init__(self, scope: str | None = None, target: int | None = None) -> None:
        super().__init__()
        self.scope = scope if scope in FILTERS else None
        self.target = target if self.scope not in (None, "project") else None
        self.memos: dict[int, Memo] = {}
        self.labels: dict[tuple[str, int], str] = {}
        self._select_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="memos-filter")
        with Horizontal(id="memos-body"):
            yield OptionList(id="memos-list")
            with VerticalScroll(id="memos-reader-box"):
                yield Static(id="memos-reader")
        yield KeyBar()

    # ---- loading -------------------------------------------------------------------------
    def relabel(self) -> None:
        self.title = "qualcode"
        self.sub_title = _("Memos")

    def refresh_data(self) -> None:
        self.labels = {(scope, ident): label for scope in ("source", "code", "informant")
                       for label, ident in target_choices(self.project, scope, self.lang)}
        memos = self.project.memos(self.scope, self.target)
        self.memos = {m.id: m for m in memos if m.id is not None}
        box = self.query_one("#memos-list", OptionList)
        keep = self._select_id
        if keep is None and box.highlighted is not None and box.option_count:
            keep_id = box.get_option_at_index(box.highlighted).id
            keep = int(keep_id) if keep_id and keep_id.isdigit() else None
        self._select_id = None
        box.clear_options()
        for memo in memos:
            box.add_option(Option(self._list_label(memo), id=str(memo.id)))
        if not memos:
            box.add_option(Option(Text(_("No memos here yet. Press n to write one."),
                                       style="italic"), disabled=True))
        index = next((i for i, m in enumerate(memos) if m.id == keep), 0)
        box.highlighted = index if memos else None
        self._show(memos[index] if memos else None)
        self._show_filter()

    def _show_filter(self) -> None:
        text = Text(f" {_('Filter')} (f): ", style="bold")
        for scope in FILTERS:
            name = _("all") if scope is None else _(SCOPE_NAMES[scope])
            style = "reverse bold" if scope == self.scope else "dim"
            text.append(f" {name} ", style=style)
            text.append(" ")
        if self.target is not None and self.scope is not None:
            text.append(
                _("only: {target}").format(target=self.target_label(self.scope, self.target)),
                style="italic",
            )
        self.query_one("#memos-filter", Static).update(text)

    def target_label(self, scope: str, target: int | None) -> str:
        """A readable name for what a memo is attached to."""
        if scope == "project" or target is None:
            return _("project")
        return self.labels.get((scope, target), f"{_(SCOPE_NAMES[scope])} #{target}")

    def _attached(self, memo: Memo) -> str:
        target = getattr(memo, f"{memo.scope}_id", None) if memo.scope != "project" else None
        return self.target_label(memo.scope, target)

    def _list_label(self, memo: Memo) -> Text:
        title = memo.title or (memo.body.strip().splitlines() or [""])[0]
        text = Text(title[:80] or _("(untitled)"), style="bold", no_wrap=True,
                    overflow="ellipsis")
        text.append(f"\n{local_time(memo.updated_at)} · {self._attached(memo)}", style="dim")
        return text

    def _show(self, memo: Memo | None) -> None:
        reader = self.query_one("#memos-reader", Static)
        if memo is None:
            reader.update("")
            return
        head = Text(memo.title or _("(untitled)"), style="bold")
        where = self._attached(memo)
        if memo.scope != "project":  # "code: SOB-1 …"; a project memo is just "project"
            where = f"{_(SCOPE_NAMES[memo.scope])}: {where}"
        info = Text(f"{where} · {local_time(memo.updated_at)} · "
                    f"{_('by {author}').format(author=memo.author)}", style="dim")
        reader.update(Group(head, info, Text(""), Text(memo.body)))

    # ---- events and actions --------------------------------------------------------------
    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id.isdigit():
            self._show(self.memos.get(int(event.option.id)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_edit_memo()

    def current_memo(self) -> Memo | None:
        """The memo under the list cursor."""
        box = self.query_one("#memos-list", OptionList)
        if box.highlighted is None or not box.option_count:
            return None
        ident = box.get_option_at_index(box.highlighted).id
        return self.memos.get(int(ident)) if ident and ident.isdigit() else None

    def _open_editor(self, editor: MemoEditor) -> None:
        def done(memo_id: int | None) -> None:
            if memo_id is not None:
                self._select_id = memo_id
                self.refresh_data()
                saved = self.memos.get(memo_id)
                self.notify(_("Memo saved"), markup=False,
                            title=memo_title(saved) if saved is not None else "")

        self.app.push_screen(editor, done)

    def action_new_memo(self) -> None:
        scope = self.scope if self.scope in SCOPES else "project"
        self._open_editor(MemoEditor(self.project, scope=scope, target=self.target,
                                     author=str(getattr(self.app, "coder", "researcher"))))

    def action_edit_memo(self) -> None:
        memo = self.current_memo()
        if memo is not None:
            self._open_editor(MemoEditor(self.project, memo=memo))

    def action_delete_memo(self) -> None:
        """Delete the memo under the cursor after a confirmation (undoable)."""
        from qualcode.tui.widgets.code_picker import ChoiceDialog

        memo = self.current_memo()
        if memo is None or memo.id is None:
            return
        memo_id = memo.id
        title = memo_title(memo)

        def answer(choice: int | None) -> None:
            if choice == 1 and self.store_call(self.project.delete_memo, memo_id) is not None:
                self.refresh_data()
                self.notify(_("Memo deleted (ctrl+z brings it back)"), title=title, markup=False)

        choices = [(1, _("Delete")), (0, _("Cancel"))]
        self.app.push_screen(
            ChoiceDialog(
                _("Delete the memo “{title}”? (ctrl+z brings it back)").format(title=title),
                choices,
                selected=0,
            ),
            answer,
        )

    def action_cycle_filter(self) -> None:
        index = FILTERS.index(self.scope) if self.scope in FILTERS else 0
        self.scope = FILTERS[(index + 1) % len(FILTERS)]
        self.target = None
        self.refresh_data()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
