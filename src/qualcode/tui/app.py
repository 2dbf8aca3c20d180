"""The Textual app: one factory shared by the CLI (`run_app`) and the tests (`QualcodeApp`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

from qualcode.tui.i18n import t

if TYPE_CHECKING:
    from qualcode.core.store import Project


class QualcodeApp(App[None]):
    """The coding workspace over one open project."""

    TITLE = "qualcode"

    def __init__(self, project: Project, *, lang: str = "id", coder: str = "researcher") -> None:
        super().__init__()
        self.project = project
        self.lang = lang
        self.coder = coder

    def tr(self, key: str, **fmt: object) -> str:
        """UI text in the current language."""
        return t(key, self.lang, **fmt)


def run_app(project: Project, *, lang: str = "id", coder: str = "researcher") -> None:
    """Run the UI on an open project until the user quits."""
    QualcodeApp(project, lang=lang, coder=coder).run()
