"""Modal forms: a generic field form (new code, rename, shortcut) and a colour chooser.

The caller passes `submit(values)`, which does the store call; a QualcodeError it raises is
shown inside the form (the form stays open with what was typed), success closes the form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, Select, TextArea
from textual.widgets.option_list import Option
from textual.widgets.select import NoSelection

from qualcode.errors import QualcodeError, error_text
from qualcode.i18n import _
from qualcode.tui import keymap
from qualcode.tui.screens.screen_base import app_lang, localise_bindings

Values = dict[str, str]

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass
class FormField:
    """One field: an Input (completing `suggestions` as typed, right arrow accepts), a
    TextArea (`multiline`) or a Select (`choices`)."""

    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    max_length: int = 0
    multiline: bool = False
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)
    suggestions: Sequence[str] = field(default_factory=tuple)  # an Input completes these


class FormDialog(ModalScreen[Values | None]):
    """A titled form; ctrl+s or Enter in a one-line field saves, escape cancels."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("form")

    def __init__(self, title: str, fields: Sequence[FormField],
                 submit: Callable[[Values], Any] | None = None) -> None:
        super().__init__(classes="dialog")
        self.dialog_title = title
        self.fields = list(fields)
        self.submit = submit
        self.lang = app_lang(self)
        localise_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box form-box"):
            yield Label(self.dialog_title, classes="dialog-title")
            with VerticalScroll(classes="form-fields"):
                for spec in self.fields:
                    with Horizontal(classes="form-row" + (" tall" if spec.multiline else "")):
                        yield Label(spec.label, classes="form-label")
                        yield self._widget(spec)
            yield Label("", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save"), id="form-save", variant="primary",
                             compact=True)
                yield Button(_("Cancel"), id="form-cancel", compact=True)

    def _widget(self, spec: FormField) -> Input | TextArea | Select[str]:
        wid = f"field-{spec.name}"
        if spec.choices:
            initial: str | NoSelection = spec.value if spec.value else Select.NULL
            return Select(list((label, value) for value, label in spec.choices),
                          value=initial, id=wid, prompt=_("Select", lang=self.lang),
                          allow_blank=True, compact=True, classes="form-input")
        if spec.multiline:
            return TextArea(spec.value, id=wid, classes="form-input", soft_wrap=True,
                            show_line_numbers=False, compact=True)
        suggester = (SuggestFromList(spec.suggestions, case_sensitive=False)
                     if spec.suggestions else None)
        return Input(spec.value, placeholder=spec.placeholder, id=wid, compact=True,
                     max_length=spec.max_length, classes="form-input", suggester=suggester)

    def on_mount(self) -> None:
        if not self.children:  # closing down before compose ran (e.g. q then a key)
            return
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus()

    def values(self) -> Values:
        """What is in the fields now (Select: the chosen value or '')."""
        out: Values = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, TextArea):
                out[spec.name] = widget.text.strip()
            elif isinstance(widget, Select):
                out[spec.name] = "" if widget.is_blank() else str(widget.value)
            elif isinstance(widget, Input):
                out[spec.name] = widget.value.strip()
        return out

    def show_error(self, message: str) -> None:
        """Show an error under the fields (the form stays open)."""
        self.query_one("#form-error", Label).update(Text(message))
        self.query_one("#form-error").add_class("visible")

    def action_save(self) -> None:
        values = self.values()
        if self.submit is not None:
            try:
                self.submit(values)
            except QualcodeError as exc:
                self.show_error(error_text(exc, str(getattr(self.app, "lang", "id"))))
                return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-save")
    def _save_button(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_button(self) -> None:
        self.action_cancel()


def colour_swatch(colour: str | None, width: int = 2) -> Text:
    """A block of `colour` (blank when none)."""
    if not colour:
        return Text(" " * width)
    return Text("█" * width, style=colour)


class ColourDialog(ModalScreen[str | None]):
    """Choose a colour from a palette, or type #rrggbb."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("colour")

    def __init__(self, title: str, palette: Sequence[str], current: str | None = None) -> None:
        super().__init__(classes="dialog")
        self.dialog_title = title
        self.palette = list(palette)
        self.current = current
        self.lang = app_lang(self)
        localise_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box colour-box"):
            yield Label(self.dialog_title, classes="dialog-title")
            options = []
            for colour in self.palette:
                prompt = colour_swatch(colour, 6)
                prompt.append(f"  {colour}" + ("  ◀" if colour == self.current else ""))
                options.append(Option(prompt, id=colour))
            yield OptionList(*options, id="colour-options")
            yield Input(self.current or "", placeholder=_("Or type #rrggbb and press Enter"),
                        id="colour-custom", compact=True, max_length=7)
            yield Label("", id="form-error")

    def on_mount(self) -> None:
        if not self.children:  # closing down before compose ran (e.g. q then a key)
            return
        box = self.query_one(OptionList)
        if self.current in self.palette:
            box.highlighted = self.palette.index(self.current)
        box.focus()

    @on(OptionList.OptionSelected, "#colour-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Input.Submitted, "#colour-custom")
    def _typed(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value.startswith("#"):
            value = "#" + value
        if not _COLOUR.match(value):
            self.query_one("#form-error", Label).update(_("A colour must be #rrggbb"))
            self.query_one("#form-error").add_class("visible")
            return
        self.dismiss(value.lower())

    def action_cancel(self) -> None:
        self.dismiss(None)
