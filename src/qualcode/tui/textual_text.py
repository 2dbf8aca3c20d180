"""Textual's own key descriptions (app, screens, lists, trees, text fields), marked for the
catalogs so the help screen and the command palette read in Indonesian too.

Textual declares these in English; `localise_bindings` passes every description through `_()`.
"""

from __future__ import annotations

from qualcode.i18n import N_

TEXTUAL_DESCRIPTIONS = (
    N_("Quit"), N_("Focus Next"), N_("Focus Previous"), N_("Copy selected text"), N_("Copy"),
    N_("Cut"), N_("Cut selected text"), N_("Paste"), N_("Paste text from the clipboard"),
    N_("Select all"), N_("Undo"), N_("Redo"), N_("Submit"), N_("Select"), N_("Toggle"),
    N_("Expand or collapse all"), N_("Cursor Up"), N_("Cursor Down"), N_("Cursor up"),
    N_("Cursor down"), N_("Cursor left"), N_("Cursor right"), N_("Cursor to parent"),
    N_("Cursor to next sibling"), N_("Cursor to previous sibling"), N_("Cursor to next ancestor"),
    N_("Cursor page up"), N_("Cursor page down"), N_("Page Up"), N_("Page Down"), N_("Page up"),
    N_("Page down"), N_("Page Left"), N_("Page Right"), N_("Scroll Up"), N_("Scroll Down"),
    N_("Scroll Left"), N_("Scroll Right"), N_("Scroll Home"), N_("Scroll End"),
    N_("End"), N_("Top"), N_("Bottom"), N_("First"), N_("Last"), N_("Up"), N_("Down"),
    N_("Go to start"), N_("Go to end"), N_("Delete character left"), N_("Delete character right"),
    N_("Delete line"),
    # the command palette and its system commands
    N_("Search for commands…"), N_("Bell"), N_("Ring the bell"), N_("Theme"),
    N_("Change the current theme"), N_("Quit the application as soon as possible"), N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"), N_("Minimize"),
    N_("Minimize the widget and restore to normal size"), N_("Maximize"),
    N_("Maximize the focused widget"), N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)
