"""Shared pieces of the command line: the app class, project options, error rendering."""

from __future__ import annotations

import functools
import inspect
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from qualcode.errors import QualcodeError, database_damage, report_error
from qualcode.i18n import LANGS, N_, Message, _, language_from_env, set_language

if TYPE_CHECKING:
    from qualcode.core.store import Project
    from qualcode.core.store.listing import StreamReader


class QualcodeTyper(typer.Typer):
    """A Typer app whose commands turn a QualcodeError into one line, a hint and exit code 2."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        register = super().command(*args, **kwargs)

        def decorator(func: Any) -> Any:
            lang_param = inspect.signature(func).parameters.get("lang")
            follows_env = lang_param is not None and str(lang_param.annotation) == "LangOpt"

            @functools.wraps(func)
            def wrapper(*a: Any, **kw: Any) -> Any:
                if follows_env and not kw.get("lang"):
                    kw["lang"] = cli_language()
                set_language(cli_language(kw.get("lang")))
                try:
                    return func(*a, **kw)
                except QualcodeError as exc:
                    report_error(exc)
                    raise typer.Exit(2) from None
                except Exception as exc:
                    damaged = database_damage(exc)
                    if damaged is None:
                        raise
                    report_error(damaged)
                    raise typer.Exit(2) from None

            register(wrapper)
            return func

        return decorator


ProjectOpt = Annotated[
    str | None,
    typer.Option("--project", "-p", envvar="QUALCODE_PROJECT",
                 help="Project file (.qualcode) or server URL (postgresql://USER@HOST/DB). "
                      "Default: $QUALCODE_PROJECT, else the only .qualcode file here."),
]
LangOpt = Annotated[str, typer.Option(
    "--lang", help="Language of labels and messages: id or en (default: from LANG, else id).")]


def cli_language(given: str | None = None) -> str:
    """The language of the CLI's messages: `given` if it is id or en, else the one LANGUAGE /
    LC_ALL / LC_MESSAGES / LANG name, else Indonesian."""
    if given in LANGS:
        return str(given)
    return language_from_env() or "id"


def resolve_project(path: str | Path | None) -> str | Path:
    """The project path or URL given, or the single `.qualcode` file in the current folder."""
    if path is not None:
        return path if "://" in str(path) else Path(path)
    found = sorted(Path.cwd().glob("*.qualcode"))
    if len(found) == 1:
        return found[0]
    if not found:
        raise QualcodeError(N_("no project given and no .qualcode file here"),
                            hint=project_hint())
    raise QualcodeError(N_("several .qualcode files here: {names}"),
                        hint=N_("pass --project FILE"), names=", ".join(p.name for p in found))


def project_hint() -> Message:
    """How to name a project, with the demo project's path when there is one."""
    from qualcode.core.sample import demo_path_if_built

    hint = Message(N_("pass --project FILE, set QUALCODE_PROJECT=FILE, or create one with "
                      "`qualcode init FILE`"))
    demo = demo_path_if_built()
    if demo is not None:
        return Message(N_("{hint}; the demo project is {path}"), {"hint": hint, "path": demo})
    return hint


def open_project(path: str | Path | None) -> Project:
    """Open the project named on the command line; what opening did (an upgrade with its
    backup, a damaged file opened read-only) is said on stderr."""
    import sys

    from qualcode.core.inert import shown
    from qualcode.core.store import Project

    project = Project.open(resolve_project(path))
    for notice in project.notices:
        print(_("note: {notice}").format(notice=shown(notice.text())), file=sys.stderr)
    return project  # type: ignore[no-any-return]


def open_reader(path: str | Path | None) -> AbstractContextManager[StreamReader]:
    """A read-only view of the project for listings (sqlite3, no SQLAlchemy, when it can)."""
    from qualcode.core.store.listing import open_reader as open_listing

    return open_listing(resolve_project(path))


ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Replace the output file if it exists (without it, an existing file is "
                    "left untouched and the command fails).")]
PaperOpt = Annotated[str | None, typer.Option(
    "--paper", help=".docx and .tex page size: a4 or letter (default: the project's saved "
                    "choice, else a4; a choice given here is saved in the project).")]


def paper_choice(project: Any, paper: str | None) -> str:
    """The page size for Word and LaTeX files: `paper` (checked and saved as the project's
    setting), else the project's saved choice, else a4."""
    from qualcode.core.export import paper_setting

    return paper_setting(project, paper)


def console() -> Any:
    """A rich console on stdout."""
    from rich.console import Console

    return Console(highlight=False)


