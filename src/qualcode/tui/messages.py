"""App-wide messages: screens react to them instead of reaching into each other."""

from __future__ import annotations

from textual.message import Message


class StoreChanged(Message):
    """The project changed outside the screen's own actions (undo, redo, another screen).

    Posted to every screen on the stack; each reloads what it shows. `kind` is the store's
    action kind (apply, remove, edit, memo, add_code ...) or "" when unknown.
    """

    def __init__(self, kind: str = "", description: str = "", *,
                 undone: bool | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.description = description
        self.undone = undone
