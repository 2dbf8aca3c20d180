"""Shared behaviour of the home, codebook and memo screens.

- Binding descriptions come from `qualcode.tui.keymap` (English message ids);
  `localise_bindings` swaps in the text of the current UI language (the key bar, the help
  screen and the command palette then show translated text).
- Store errors (`QualcodeError`) become error notifications, never a crash.
- A `StoreChanged` message (posted after undo/redo) or returning to the screen reloads its data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.screen import Screen

from qualcode.errors import QualcodeError, database_damage, error_text
from qualcode.i18n import _
from qualcode.tui.keymap import describe

if TYPE_CHECKING:
    from qualcode.core.store import Project
    from qualcode.core.store.read import Reader

T = TypeVar("T")


def localise_bindings(node: DOMNode, lang: str) -> None:
    """Rebuild `node`'s bindings with their (English) descriptions translated to `lang`."""
    merged = type(node)._merged_bindings
    if merged is None:
        return
    keys: dict[str, list[Binding]] = {}
    for key, bindings in merged.key_to_bindings.items():
        keys[key] = [replace(b, description=describe(b.description, lang)) if b.description else b
                     for b in bindings]
    node._bindings = BindingsMap.from_keys(keys)


def app_lang(node: DOMNode) -> str:
    """The UI language of the running app ('id' when it has none)."""
    try:
        return str(getattr(node.app, "lang", "id"))
    except Exception:  # no active app (constructed outside one)
        return "id"


class QualcodeScreen(Screen[None]):
    """A workspace screen over `app.project`.

    Subclasses implement `refresh_data()` (reload from the store) and may implement
    `relabel()` (re-render fixed texts after a language change). They must not define
    `on_mount` / `on_screen_resume` themselves (Textual calls every class's handler).
    """

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._shown_lang = app_lang(self)
        localise_bindings(self, self._shown_lang)

    # ---- helpers -----------------------------------------------------------------------
    @property
    def project(self) -> Project:
        """The open project."""
        return self.app.project  # type: ignore[attr-defined, no-any-return]

    @property
    def reader(self) -> Reader:
        """Plain-SQL reads of the project, available before its store has loaded."""
        return self.app.reader  # type: ignore[attr-defined, no-any-return]

    @property
    def lang(self) -> str:
        """The current UI language."""
        return app_lang(self)

    def store_call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Call a store function; a QualcodeError, or a database that is busy or damaged,
        becomes an error notification (returns None; the transaction was rolled back)."""
        try:
            return fn(*args, **kwargs)
        except QualcodeError as exc:
            self.notify_error(exc)
            return None
        except Exception as exc:
            problem = database_damage(exc)
            if problem is None:
                raise
            self.notify_error(problem)
            return None

    def notify_error(self, exc: QualcodeError) -> None:
        """Show a store error (with its hint) as a notification."""
        text = error_text(exc, self.lang, "\n")
        self.notify(text, title=_("Error"), severity="error", markup=False)

    def app_action(self, method: str, *args: Any, fallback: Callable[[], Any] | None = None,
                   **kwargs: Any) -> None:
        """Call an app navigation method (open_codebook, show_help ...) or the fallback."""
        target = getattr(self.app, method, None)
        if callable(target):
            target(*args, **kwargs)
        elif fallback is not None:
            fallback()

    # ---- hooks -------------------------------------------------------------------------
    def refresh_data(self) -> None:
        """Reload what the screen shows from the store."""

    def relabel(self) -> None:
        """Re-render fixed texts (titles, headings) in the current language."""

    def theme_changed(self) -> None:
        """React to a theme switch (re-render texts styled with theme colours)."""

    def theme_colour(self, name: str, default: str = "") -> str:
        """A colour of the current theme (a design-token name such as 'success')."""
        return self.app.get_css_variables().get(name, default)

    def apply_language(self) -> None:
        """Translate bindings and texts to the app's current language."""
        self._shown_lang = self.lang
        localise_bindings(self, self._shown_lang)
        self.relabel()
        self.refresh_bindings()

    def _ensure_css(self) -> None:
        # Textual loads a screen's CSS_PATH on push, but not for the app's default screen
        # (App.get_default_screen); load it here in that case.
        stylesheet = self.app.stylesheet
        if any(not stylesheet.has_source(str(path), "") for path in self.css_path):
            loader = getattr(self.app, "_load_screen_css", None)
            if callable(loader):
                loader(self)

    # ---- events ------------------------------------------------------------------------
    def on_mount(self) -> None:
        if not self.children:  # closing down before compose ran (e.g. q then a key)
            return
        self._ensure_css()
        self.apply_language()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.theme_changed())

    def on_screen_resume(self) -> None:
        # Textual posts ScreenResume after Mount on every push and on return to the screen.
        if not self.children:
            return
        if self._shown_lang != self.lang:
            self.apply_language()
        self.refresh_data()

    def on_store_changed(self, _message: object) -> None:
        """After undo/redo (qualcode.tui.messages.StoreChanged): reload."""
        self.refresh_data()
