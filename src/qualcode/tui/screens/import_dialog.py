"""Import transcripts from the UI: a path (file or folder) and optional metadata.

The import runs in a worker thread (one at a time: `Project.import_files` must not run twice at
once) and reports each file to a progress bar; at the end every file's outcome is listed
(imported / unchanged / replaced / error with its message), with the speakers found in each
imported file. A `manifest.yaml` beside the files is used as the CLI does. A bad file or path
is reported, never fatal. On closing, the home screen asks whom the speakers of each new
multi-speaker source stand for (`people_forms.speakers_form`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar, Static

from qualcode.core.analysis.labels import kind_key, kind_label, role_key, speaker_summary
from qualcode.core.models import SOURCE_KINDS
from qualcode.errors import QualcodeError, error_text
from qualcode.i18n import N_, _

if TYPE_CHECKING:
    from qualcode.core.exchange.qdpx_build import ProjectImport
    from qualcode.core.store import ImportReport, Project

FIELD_NAMES = {  # the form's fields
    "path": N_("File or folder"),
    "informant": N_("Informant"),
    "role": N_("Role"),
    "kind": N_("Kind"),
}
STATUS_NAMES = {  # what became of each file
    "imported": N_("imported"),
    "replaced": N_("replaced"),
    "unchanged": N_("unchanged"),
    "error": N_("error"),
}

STATUS_STYLE = {"imported": "green", "replaced": "cyan", "unchanged": "dim", "error": "bold red"}


class ImportProgress(Message):
    """One file is being imported (n of total)."""

    def __init__(self, n: int, total: int, path: Path) -> None:
        super().__init__()
        self.n, self.total, self.path = n, total, path


class ImportFinished(Message):
    """The import ended: its report, or the error that stopped it before any file."""

    def __init__(self, report: ImportReport | None, error: str = "") -> None:
        super().__init__()
        self.report = report
        self.error = error


class ProjectImported(Message):
    """A .qdpx import ended: its result, or the error that refused it."""

    def __init__(self, result: ProjectImport | None, error: str = "") -> None:
        super().__init__()
        self.result = result
        self.error = error


def project_target(raw: str) -> Path:
    """Where a .qdpx typed into the dialog becomes a new project: beside it, `.qualcode`."""
    return Path(raw.strip()).expanduser().with_suffix(".qualcode")


def plan_import(raw: str) -> tuple[list[Path], dict[str, dict[str, Any]] | None]:
    """The files under `raw` (file or folder) and the manifest beside them, as the CLI does."""
    from qualcode.core.ingest.manifest import collect_files, load_manifest

    path = Path(raw.strip()).expanduser()
    if not path.exists():
        raise QualcodeError(N_("{path}: no such file or folder"), hint=N_("check the path"),
                            path=path)
    paths = collect_files([path])
    manifests = {p.parent / "manifest.yaml" for p in paths
                 if (p.parent / "manifest.yaml").exists()}
    manifest = load_manifest(manifests.pop()) if len(manifests) == 1 else None
    return paths, manifest


class ImportDialog(ModalScreen[int]):
    """Path and metadata fields, a progress bar and the outcome of each file.

    Dismisses with the number of files imported or replaced.
    """

    DEFAULT_CSS = """
    ImportDialog .qc-import { width: 90; }
    ImportDialog .import-row { height: 1; margin-bottom: 1; }
    ImportDialog .import-label { width: 16; color: $text-muted; }
    ImportDialog .import-row Input { width: 1fr; }
    ImportDialog #import-progress { margin: 1 0; }
    ImportDialog #import-log { height: auto; max-height: 14; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close")),
    ]

    def __init__(self, path: str = "") -> None:
        super().__init__(classes="qc-dialog")
        self.initial_path = path
        self.running = False
        self.imported = 0
        self.new_sources: list[int] = []  # imported or replaced: their speakers are asked next
        self.report: ImportReport | None = None

    @property
    def lang(self) -> str:
        """UI language of the app."""
        return str(getattr(self.app, "lang", "id"))

    def compose(self) -> ComposeResult:
        lang = self.lang
        optional = _("(optional)", lang=lang)
        with Vertical(classes="qc-dialog-box qc-import"):
            yield Label(_("Import transcripts", lang=lang), classes="qc-dialog-title")
            for field, value, placeholder in (
                    ("path", self.initial_path, _("e.g. ~/interviews/ or ~/interviews/01.md",
                                                  lang=lang)),
                    ("informant", "", optional), ("role", "", optional),
                    ("kind", "", self._kinds())):
                with Horizontal(classes="import-row"):
                    yield Label(_(FIELD_NAMES[field], lang=lang), classes="import-label")
                    yield Input(value, placeholder=placeholder, id=f"import-{field}",
                                compact=True)
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static(id="import-status")
            with VerticalScroll(id="import-log"):
                yield Static(id="import-lines")
            yield Static(_("Enter import · esc close · a manifest.yaml beside the files is used "
                           "· a .qdpx (REFI-QDA) becomes a new project beside it", lang=lang),
                         classes="qc-hint")

    def _kinds(self) -> str:
        return " / ".join(kind_label(k, self.lang).lower() for k in SOURCE_KINDS)

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False
        self.query_one("#import-path", Input).focus()

    def _value(self, field: str) -> str:
        return self.query_one(f"#import-{field}", Input).value.strip()

    def _status(self, text: str | Text) -> None:
        self.query_one("#import-status", Static).update(text)

    # ---- start ---------------------------------------------------------------------------
    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.start()

    def start(self) -> None:
        """Check the fields and start the import worker."""
        if self.running:
            self._status(_("An import is running…"))
            return
        raw, typed = self._value("path"), self._value("kind")
        if not raw:
            self._status(Text(_("Enter a file or folder."), style="bold red"))
            return
        if raw.lower().endswith(".qdpx"):
            self.running = True
            self._status(_("Importing {path} into a new project {target}…", lang=self.lang)
                         .format(path=raw, target=project_target(raw)))
            self._import_project(raw)
            return
        kind = kind_key(typed) if typed else ""
        if kind is None:
            self._status(Text(_("Kind must be one of: {kinds}").format(kinds=self._kinds()),
                              style="bold red"))
            return
        overrides = {"informant": self._value("informant"),
                     "role": role_key(self._value("role")), "kind": kind}
        self.running = True
        self.query_one("#import-lines", Static).update("")
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        project = self.app.project  # type: ignore[attr-defined]
        self._import(project, raw, {k: v for k, v in overrides.items() if v})

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _import(self, project: Project, raw: str, overrides: dict[str, Any]) -> None:
        try:
            paths, manifest = plan_import(raw)
            if not paths:
                raise QualcodeError(N_("No importable files in {path}"), path=raw)

            def progress(n: int, total: int, path: Path) -> None:
                self.post_message(ImportProgress(n, total, path))
            report = project.import_files(paths, manifest=manifest, overrides=overrides,
                                          progress=progress)
        except QualcodeError as exc:
            self.post_message(ImportFinished(None, error_text(exc, self.lang, " — ")))
        except Exception as exc:  # never let a worker failure take the UI down
            self.post_message(ImportFinished(None, f"{type(exc).__name__}: {exc}"))
        else:
            self.post_message(ImportFinished(report))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _import_project(self, raw: str) -> None:
        from qualcode.core.exchange.qdpx_build import import_qdpx

        try:
            result = import_qdpx(Path(raw.strip()).expanduser(), project_target(raw))
        except QualcodeError as exc:
            self.post_message(ProjectImported(None, error_text(exc, self.lang, " — ")))
        except Exception as exc:  # never let a worker failure take the UI down
            self.post_message(ProjectImported(None, f"{type(exc).__name__}: {exc}"))
        else:
            self.post_message(ProjectImported(result))

    def on_project_imported(self, message: ProjectImported) -> None:
        self.running = False
        if message.result is None:
            self._status(Text(message.error, style="bold red"))
            return
        result = message.result
        counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
        self._status(Text(_("Created {path} ({counts}); open it with `qualcode open {path}`",
                            lang=self.lang).format(path=result.path, counts=counts),
                          style="green"))
        lines = Text()
        for warning in result.warnings:
            lines.append(_("warning: {text}", lang=self.lang).format(text=warning) + "\n",
                         style="yellow")
        if result.not_imported:
            lines.append(_("not imported (qualcode cannot hold these):", lang=self.lang) + "\n",
                         style="bold")
            for item in result.not_imported:
                lines.append(f"  - {item}\n", style="dim")
        lines.rstrip()
        self.query_one("#import-lines", Static).update(lines)

    # ---- progress and outcome ------------------------------------------------------------
    def on_import_progress(self, message: ImportProgress) -> None:
        self.query_one("#import-progress", ProgressBar).update(
            total=message.total, progress=message.n - 1)
        self._status(
            _("Importing {name} ({n}/{total})…").format(
                name=message.path.name, n=message.n, total=message.total
            )
        )

    def on_import_finished(self, message: ImportFinished) -> None:
        self.running = False
        bar = self.query_one("#import-progress", ProgressBar)
        if message.report is None:
            bar.display = False
            self._status(Text(message.error, style="bold red"))
            return
        report = self.report = message.report
        bar.update(total=max(len(report.outcomes), 1), progress=len(report.outcomes))
        self.imported += report.count("imported") + report.count("replaced")
        self.new_sources += [o.source_id for o in report.outcomes
                             if o.status in ("imported", "replaced") and o.source_id is not None]
        self._status(
            _("{imported} imported · {unchanged} unchanged · {errors} errors").format(
                imported=report.count("imported") + report.count("replaced"),
                unchanged=report.count("unchanged"),
                errors=report.count("error"),
            )
        )
        lines = Text()
        for outcome in report.outcomes:
            style = STATUS_STYLE.get(outcome.status, "")
            lines.append(f"{_(STATUS_NAMES.get(outcome.status, outcome.status)):<14}", style=style)
            lines.append(outcome.path.name)
            detail = outcome.text()
            if outcome.status in ("imported", "replaced") and not detail:
                detail = _("{n} segments").format(n=outcome.segments)
            if detail:
                lines.append(f"  {detail}", style="dim" if outcome.status != "error" else "red")
            if outcome.status in ("imported", "replaced"):  # the researcher checks them
                lines.append("  · " + speaker_summary(outcome.speakers, self.lang).lstrip("; "),
                             style="cyan" if outcome.speakers else "dim")
            lines.append("\n")
        lines.rstrip()
        self.query_one("#import-lines", Static).update(lines)

    def action_close(self) -> None:
        """Close (not while an import is running: it would finish unseen)."""
        if self.running:
            self._status(_("An import is running…"))
            return
        self.dismiss(self.imported)
