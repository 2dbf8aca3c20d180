"""The memo editor: title, what the memo is attached to, and the text (a TextArea).

Saving goes through the store (`add_memo` / `edit_memo`, both undoable); the dialog dismisses
with the memo's id. A memo's attachment is chosen when it is written and fixed afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, TextArea

from qualcode.errors import QualcodeError, error_text
from qualcode.i18n import N_, _
from qualcode.tui import keymap
from qualcode.tui.screens.screen_base import app_lang, localise_bindings

if TYPE_CHECKING:
    from qualcode.core.models import Memo
    from qualcode.core.store import Project

SCOPE_NAMES = {  # what a memo is on
    "project": N_("project"),
    "source": N_("source"),
    "code": N_("code"),
    "informant": N_("informant"),
    "coding": N_("coding"),
    "summary": N_("summary cell"),
}

SCOPES = ("project", "source", "code", "informant")

def target_choices(project: Project, scope: str, lang: str) -> list[tuple[str, int]]:
    """(label, id) of what a memo of `scope` can be attached to."""
    if scope == "source":
        return [(s.name, s.id) for s in project.sources() if s.id is not None]
    if scope == "code":
        return [(f"{c.key}  {c.label(lang)}", c.id) for c in project.codes() if c.id is not None]
    if scope == "informant":
        from qualcode.core.analysis.labels import role_label

        return [(f"{i.pseudonym}" + (f" ({role_label(i.role, lang)})" if i.role else ""), i.id)
                for i in project.informants() if i.id is not None]
    return []


class MemoEditor(ModalScreen[int | None]):
    """Write a new memo (attached to project / source / code / informant) or edit one."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("memo_editor")

    def __init__(self, project: Project, *, memo: Memo | None = None, scope: str = "project",
                 target: int | None = None, author: str = "researcher") -> None:
        super().__init__(classes="dialog")
        self.project = project
        self.memo = memo
        self.author = author
        self.scope = memo.scope if memo else (scope if scope in SCOPES else "project")
        self.target = _memo_target(memo) if memo else target
        self.lang = app_lang(self)
        self._warned = False
        localise_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        editing = self.memo is not None
        scopes = SCOPES if self.scope in SCOPES else (*SCOPES, self.scope)
        with Vertical(classes="dialog-box memo-box"):
            yield Label(_("Edit memo") if editing else _("New memo"),
                        classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label(_("Title"), classes="form-label")
                yield Input(self.memo.title if self.memo else "", id="memo-title",
                            compact=True, max_length=300, classes="form-input")
            with Horizontal(classes="form-row"):
                yield Label(_("Attach to"), classes="form-label")
                yield Select([(_(SCOPE_NAMES[s]), s) for s in scopes], value=self.scope,
                             allow_blank=False, id="memo-scope", compact=True,
                             disabled=editing, classes="form-input")
            with Horizontal(classes="form-row", id="memo-target-row"):
                yield Label(_("Which"), classes="form-label")
                yield Select(self._choices(self.scope), id="memo-target", compact=True,
                             prompt=_("Select", lang=self.lang), disabled=editing,
                             classes="form-input")
            yield TextArea(self.memo.body if self.memo else "", id="memo-body", soft_wrap=True,
                           show_line_numbers=False)
            yield Label("", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save"), id="memo-save", variant="primary",
                             compact=True)
                yield Button(_("Close"), id="memo-close", compact=True)

    def _choices(self, scope: str) -> Sequence[tuple[str, int]]:
        return target_choices(self.project, scope, self.lang)

    def on_mount(self) -> None:
        if not self.children:  # closing down before compose ran (e.g. q then a key)
            return
        self._show_target_row(self.scope)
        if self.target is not None:
            target = self.query_one("#memo-target", Select)
            if any(value == self.target for _label, value in self._choices(self.scope)):
                target.value = self.target
        self.query_one("#memo-body", TextArea).focus()

    def _show_target_row(self, scope: str) -> None:
        self.query_one("#memo-target-row").display = scope != "project"

    @on(Select.Changed, "#memo-scope")
    def _scope_changed(self, event: Select.Changed) -> None:
        scope = str(event.value)
        if scope == self.scope:  # the initial value, or no change
            return
        self.scope = scope
        self.query_one("#memo-target", Select).set_options(self._choices(scope))
        self._show_target_row(scope)

    def dirty(self) -> bool:
        """Whether the text or title differ from what is stored."""
        body = self.query_one("#memo-body", TextArea).text
        title = self.query_one("#memo-title", Input).value
        if self.memo is None:
            return bool(body.strip() or title.strip())
        return body != self.memo.body or title != self.memo.title

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Label).update(Text(message))
        self.query_one("#form-error").add_class("visible")

    def action_save(self) -> None:
        body = self.query_one("#memo-body", TextArea).text
        title = self.query_one("#memo-title", Input).value.strip()
        if not body.strip() and not title:
            self.show_error(_("The memo is empty."))
            return
        try:
            if self.memo is not None and self.memo.id is not None:
                saved = self.project.edit_memo(self.memo.id, body=body, title=title)
            else:
                target_select = self.query_one("#memo-target", Select)
                target = None if target_select.is_blank() else target_select.value
                if self.scope != "project" and target is None:
                    scope = _(SCOPE_NAMES[self.scope])
                    self.show_error(_("Choose the {scope}.").format(scope=scope))
                    return
                saved = self.project.add_memo(
                    body, title=title, scope=self.scope, author=self.author,
                    target=target if isinstance(target, int) else None)
        except QualcodeError as exc:
            self.show_error(error_text(exc, str(getattr(self.app, "lang", "id"))))
            return
        self.dismiss(saved.id)

    def action_close(self) -> None:
        if self.dirty() and not self._warned:
            self._warned = True
            self.show_error(_("Not saved: Esc again discards, ctrl+s saves."))
            return
        self.dismiss(None)

    @on(Button.Pressed, "#memo-save")
    def _save_button(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#memo-close")
    def _close_button(self) -> None:
        self.action_close()


def _memo_target(memo: Memo) -> int | None:
    return getattr(memo, f"{memo.scope}_id", None) if memo.scope != "project" else None
