"""The help screen: every key binding of the screen underneath and of the app, grouped.

Bindings are read from Textual's binding chain of the screen below (focused widget, its
containers, the screen, the app), so the list is always what the keys really do there.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from qualcode.i18n import N_, _
from qualcode.tui import keymap
from qualcode.tui.screens.screen_base import app_lang, localise_bindings


@dataclass
class HelpEntry:
    """One action with all the keys bound to it."""

    keys: list[str]
    description: str
    shown: bool
    action: str = ""
    display: str | None = None  # one label for a family of keys (`1-9` for accept(1)..(9))
    actions: set[str] = field(default_factory=set)

    @property
    def labels(self) -> list[str]:
        """The keys as listed: a family of parameterised actions under its one display."""
        return [self.display] if self.display and len(self.actions) > 1 else self.keys


@dataclass
class HelpGroup:
    """The bindings of one node of the chain (a widget, the screen or the app)."""

    title: str
    node: DOMNode
    entries: list[HelpEntry] = field(default_factory=list)


def describe(binding: Binding, lang: str) -> str:
    """A binding's description in `lang` (an English message id), else its action, humanised."""
    if binding.description:
        return keymap.describe(binding.description, lang)
    return binding.action.split("(")[0].replace("_", " ").strip()


def collect_bindings(screen: Screen[object], lang: str) -> list[HelpGroup]:
    """The bindings active on `screen`, grouped by the node that defines them (inner first).

    A key bound by an inner node hides the same key further out, so it is listed once.
    """
    app = screen.app
    seen: set[str] = set()
    groups: list[HelpGroup] = []
    for node, bindings in screen._binding_chain:
        group = HelpGroup(_group_title(node, screen, lang), node)
        by_action: dict[tuple[str, str], HelpEntry] = {}
        for key, binding in bindings:
            if key in seen or binding.system:
                continue
            seen.add(key)
            label = app.get_key_display(replace(binding, key_display=None))
            description = describe(binding, lang)
            # accept(1) .. accept(9) with one description are one line ("1-9 Accept coder N")
            family = (binding.action.split("(")[0], description)
            entry = by_action.get(family)
            if entry is None:
                entry = HelpEntry([], description, binding.show, binding.action,
                                  binding.key_display)
                by_action[family] = entry
                group.entries.append(entry)
            entry.actions.add(binding.action)
            if label not in entry.keys:
                entry.keys.append(label)
            entry.shown = entry.shown or binding.show
        # the node's own bindings before those it inherits (tab, copy ...)
        own = {b.action for b in Binding.make_bindings(type(node).__dict__.get("BINDINGS", []))}
        group.entries.sort(key=lambda e: e.action not in own)
        if group.entries:
            groups.append(group)
    # the screen's own keys first, then the focused widget's, then the app's
    groups.sort(key=lambda g: 0 if g.node is screen else 2 if g.node is app else 1)
    return groups


# What a focused widget is called in the help, by its Textual class (never the class name).
AREA_NAMES: dict[str, str] = {
    "VerticalScroll": N_("Scrolling area"), "ScrollableContainer": N_("Scrolling area"),
    "HorizontalScroll": N_("Scrolling area"), "DataTable": N_("Table"),
    "Input": N_("Text field"), "TextArea": N_("Text editor"), "Tree": N_("Tree"),
    "ListView": N_("List"), "OptionList": N_("List"), "SelectionList": N_("List"),
    "Select": N_("Choice"), "Button": N_("Button"), "Checkbox": N_("Check box"),
    "RadioSet": N_("Choice"), "TabbedContent": N_("Tabs"), "Tabs": N_("Tabs"),
}


def area_name(node: DOMNode, lang: str) -> str:
    """A human name of the focused area: its `HELP_NAME`, border title or kind of widget."""
    own = getattr(node, "HELP_NAME", "")
    if own:
        return _(own, lang=lang)
    title = getattr(node, "border_title", None)
    if title:
        return str(title)
    for cls in type(node).__mro__:
        if cls.__name__ in AREA_NAMES:
            return _(AREA_NAMES[cls.__name__], lang=lang)
    return _("Focused area", lang=lang)


def _group_title(node: DOMNode, screen: Screen[object], lang: str) -> str:
    if node is screen.app:
        return _("Everywhere", lang=lang)
    if node is screen:
        return _("On this screen", lang=lang)
    return _("{widget} (focused)", lang=lang).format(widget=area_name(node, lang))


class HelpScreen(ModalScreen[None]):
    """Every binding of the screen underneath, with descriptions; Esc closes."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("help")

    def __init__(self) -> None:
        super().__init__(classes="dialog")
        self.lang = app_lang(self)
        localise_bindings(self, self.lang)
        self.groups: list[HelpGroup] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box help-box"):
            yield Label(id="help-title", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(id="help-body")
            yield Label(_("Esc closes · ctrl+p: command palette"), id="help-footer")

    def on_mount(self) -> None:
        if not self.children:  # closing down before compose ran (e.g. q then a key)
            return
        under = self.screen_below()
        if under is None:
            return
        self.groups = collect_bindings(under, self.lang)
        name = str(under.sub_title or under.title or type(under).__name__)
        self.query_one("#help-title", Label).update(_("Keys — {screen}").format(screen=name))
        self.query_one("#help-body", Static).update(self.render_groups())
        self.query_one("#help-scroll").focus()

    def screen_below(self) -> Screen[object] | None:
        """The screen this help is about (the one under it on the stack)."""
        stack = self.app.screen_stack
        index = stack.index(self) if self in stack else len(stack)
        return stack[index - 1] if index >= 1 else None

    def render_groups(self) -> Group:
        """The groups as titled two-column tables (keys, description)."""
        accent = self.app.get_css_variables().get("primary", "")
        parts: list[Table | Text] = []
        for group in self.groups:
            parts.append(Text(group.title, style=f"bold {accent}".strip()))
            table = Table.grid(padding=(0, 2))
            table.add_column(no_wrap=True, min_width=12)
            table.add_column()
            for entry in group.entries:
                keys = Text(" ".join(entry.labels), style="bold")
                text = Text(entry.description, style="" if entry.shown else "dim")
                table.add_row(keys, text)
            parts += [table, Text("")]
        return Group(*parts)

    def action_close(self) -> None:
        self.dismiss(None)
