"""A modal list to choose one item, filtered by typing (fuzzy): codes, sources, informants."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qualcode.i18n import _
from qualcode.tui import keymap
from qualcode.tui.screens.screen_base import app_lang, localise_bindings
from qualcode.tui.widgets.code_picker import FilterListDialog


class PickDialog(FilterListDialog):
    """Choose one of `options` (value, label); dismisses with the value, or None on escape."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("pick")

    def __init__(self, title: str, options: Sequence[tuple[str, str | Text]], *,
                 value: str | None = None) -> None:
        super().__init__(classes="dialog")
        self.dialog_title = title
        self.options = list(options)
        self.initial = value
        localise_bindings(self, app_lang(self))

    def compose(self) -> ComposeResult:
        lang = app_lang(self)
        with Vertical(classes="dialog-box pick-box"):
            yield Label(self.dialog_title, classes="dialog-title")
            yield Input(placeholder=_("Type to filter…", lang=lang), id="pick-filter", compact=True)
            yield OptionList(id="pick-options")

    def on_mount(self) -> None:
        if not self.children:  # closing down before compose ran (e.g. q then a key)
            return
        self._fill("")
        if self.initial is not None:
            box = self.query_one(OptionList)
            for index, (value, _label) in enumerate(self.options):
                if value == self.initial:
                    box.highlighted = index
                    break
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        box = self.query_one(OptionList)
        box.clear_options()
        matcher = Matcher(query) if query else None
        scored: list[tuple[float, int, str, str | Text]] = []
        for order, (value, label) in enumerate(self.options):
            plain = label.plain if isinstance(label, Text) else label
            score = matcher.match(f"{value} {plain}") if matcher else 1.0
            if score > 0:
                scored.append((-score if matcher else 0.0, order, value, label))
        scored.sort()
        box.add_options([Option(label, id=value) for _s, _o, value, label in scored])
        if scored:
            box.highlighted = 0
        else:
            lang = app_lang(self)
            box.add_option(Option(Text(_("Nothing matches", lang=lang), style="italic"),
                                  disabled=True))
