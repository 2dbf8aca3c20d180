"""The bottom bar listing the current screen's main keys: a light stand-in for Textual's Footer.

Textual's `Footer` mounts one widget per key and restyles each of them as the screen starts,
which cost the coding screen 25-40 ms of its first frame on a slow machine. `KeyBar` draws the
same information as one line of text: the bindings marked `show` (one per action), their key as
the app displays it, dimmed while disabled, and the command palette key at the end. Clicking a
key presses it; the bar follows focus and binding changes through the screen's signal.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.widget import Widget

from qualcode.tui import keymap


class _Key(NamedTuple):
    start: int  # cells
    end: int
    key: str
    enabled: bool


class KeyBar(Widget):
    """One line: `key description` for each shown binding of the screen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[_Key] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Any) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def entries(self) -> list[tuple[str, str, str, bool]]:
        """(key, key as shown, description, enabled) for each shown action, palette last."""
        app = self.app
        out: list[tuple[str, str, str, bool]] = []
        seen: set[str] = set()
        palette: tuple[str, str, str, bool] | None = None
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (binding.key, app.get_key_display(binding), binding.description,
                           active.enabled)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append((binding.key, app.get_key_display(binding), binding.description,
                        active.enabled))
        if palette is not None:
            out.append(palette)
        return out

    def fitting(self, width: int) -> list[tuple[str, str, str, bool]]:
        """The entries that fit in `width` cells, in order, always keeping the essential keys.

        On a narrow terminal the later keys give way so that help (`?`, which lists every
        key), quit and undo stay.
        """
        entries = self.entries()

        def cells(entry: tuple[str, str, str, bool]) -> int:
            return Text(f" {entry[1]} {entry[2] + ' ' if entry[2] else ''}").cell_len
        if sum(cells(e) for e in entries) <= width:
            return entries
        keep = {i for i, e in enumerate(entries) if e[0] in self.ALWAYS}
        room = width - sum(cells(entries[i]) for i in keep)
        for i, entry in enumerate(entries):
            if i not in keep and cells(entry) <= room:
                keep.add(i)
                room -= cells(entry)
            elif i not in keep:
                room = -1  # keep the order: nothing after the first key that did not fit
        return [e for i, e in enumerate(entries) if i in keep]

    ALWAYS: ClassVar[frozenset[str]] = keymap.ESSENTIAL_KEYS  # help lists the rest

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        text = Text(no_wrap=True, overflow="crop", end="")
        self._keys = []
        for key, shown, description, enabled in self.fitting(self.size.width or 10_000):
            start, cells = len(text), text.cell_len
            text.append(f" {shown} ", key_style)
            if description:
                text.append(f"{description} ", text_style)
            if not enabled:
                text.stylize("dim", start)
            self._keys.append(_Key(cells, text.cell_len, key, enabled))
        return text

    def on_click(self, event: events.Click) -> None:
        """Press the key under the pointer."""
        for item in self._keys:
            if item.start <= event.x < item.end:
                if item.enabled:
                    self.app.simulate_key(item.key)
                else:
                    self.app.bell()
                return
