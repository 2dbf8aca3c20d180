"""Modal choosers for the coding screen: a fuzzy code picker and a "which coding?" list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qualcode.i18n import _
from qualcode.tui import keymap

if TYPE_CHECKING:
    from qualcode.core.store.read import CodeRow

T = TypeVar("T")


def _lang(screen: ModalScreen[Any]) -> str:
    try:
        return str(getattr(screen.app, "lang", "id"))
    except Exception:  # constructed outside a running app
        return "id"


class ListDialog(ModalScreen[T | None], Generic[T]):
    """Shared keys of the choosers: arrows move in the list, Enter chooses, escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("list")

    def action_move(self, step: int) -> None:
        box = self.query_one(OptionList)
        if not box.option_count:
            return
        current = box.highlighted if box.highlighted is not None else -1
        index = min(max(current + step, 0), box.option_count - 1)
        while 0 < index < box.option_count - 1 and box.get_option_at_index(index).disabled:
            index += 1 if step > 0 else -1
        box.highlighted = index

    def action_close(self) -> None:
        self.dismiss(None)


class FilterListDialog(ListDialog[str]):
    """A list filtered by typing in one Input: Enter or a click dismisses with the option's id."""

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value.strip())

    @on(Input.Submitted)
    def _submit(self) -> None:
        box = self.query_one(OptionList)
        if box.highlighted is not None:
            option = box.get_option_at_index(box.highlighted)
            if not option.disabled and option.id is not None:
                self.dismiss(option.id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(event.option.id)

    def _fill(self, query: str) -> None:
        raise NotImplementedError


class CodePicker(FilterListDialog):
    """Choose a code by fuzzy search over key, labels and shortcut; dismisses with its key."""

    def __init__(self, codes: Sequence[CodeRow]) -> None:
        super().__init__(classes="qc-dialog")
        self.codes = list(codes)

    def compose(self) -> ComposeResult:
        lang = _lang(self)
        with Vertical(classes="qc-dialog-box qc-picker"):
            yield Label(_("Apply a code", lang=lang), classes="qc-dialog-title")
            yield Input(placeholder=_("Type a key, label or word…", lang=lang), id="picker-filter",
                        compact=True)
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _prompt(self, code: CodeRow, matcher: Matcher | None) -> Content:
        label = f"{code.key}  {code.label(_lang(self))}"
        return Content.assemble((f"{code.shortcut or ' '} ", "bold"),
                                ("█ ", code.colour or "grey50"),
                                matcher.highlight(label) if matcher else label)

    def _fill(self, query: str) -> None:
        box = self.query_one(OptionList)
        box.clear_options()
        matcher = Matcher(query) if query else None
        scored: list[tuple[float, int, CodeRow]] = []
        for order, code in enumerate(self.codes):
            hay = f"{code.key} {code.label_id} {code.label_en} {code.shortcut or ''}"
            score = matcher.match(hay) if matcher else 1.0
            if code.key.lower() == query.lower():
                score += 10
            if score > 0:
                scored.append((-score if matcher else 0.0, order, code))
        scored.sort(key=lambda item: (item[0], item[1]))
        if scored:
            box.add_options([Option(self._prompt(code, matcher), id=code.key)
                             for _s, _o, code in scored])
            box.highlighted = 0
        else:
            box.add_option(Option(Text(_("No code matches", lang=_lang(self)), style="italic"),
                                  disabled=True))


class ChoiceDialog(ListDialog[int]):
    """Choose one of several items (e.g. which coding to remove); dismisses with its id."""

    def __init__(self, title: str, items: Sequence[tuple[int, Text | str]], *,
                 selected: int | None = None) -> None:
        super().__init__(classes="qc-dialog")
        self.title_text = title
        self.items = list(items)
        self.selected = selected

    def compose(self) -> ComposeResult:
        with Vertical(classes="qc-dialog-box qc-choice"):
            yield Label(self.title_text, classes="qc-dialog-title")
            yield OptionList(*[Option(label, id=str(item_id)) for item_id, label in self.items],
                             id="choice-options")

    def on_mount(self) -> None:
        box = self.query_one(OptionList)
        ids = [item_id for item_id, _ in self.items]
        box.highlighted = ids.index(self.selected) if self.selected in ids else 0
        box.focus()

    @on(OptionList.OptionSelected, "#choice-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))
