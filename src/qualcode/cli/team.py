"""Team commands: move a project between a file and a PostgreSQL server."""

from __future__ import annotations

from typing import Annotated

import typer

from qualcode.cli.common import QualcodeTyper, console
from qualcode.core.inert import shown
from qualcode.i18n import N_, _, ngettext


def _copy(source: str, target: str, verb: str) -> None:
    from qualcode.core.store.transfer import copy_project

    out = console()
    report = copy_project(source, target)
    out.print(shown(_("{verb}: {source} -> {target}").format(
        verb=_(verb), source=report.source, target=report.target)), soft_wrap=True,
              markup=False)
    for table, n in report.rows.items():
        if n:
            out.print(f"  {table:<20} " + ngettext("{n:>9,} row", "{n:>9,} rows", n).format(n=n))
    state = _("every table compared equal") if report.verified else _("NOT verified")
    out.print(ngettext("{n:,} row copied; {state}", "{n:,} rows copied; {state}",
                       report.total).format(n=report.total, state=state))


def register(app: QualcodeTyper) -> None:
    """Add `push` and `pull` to the app."""

    @app.command("push")
    def push_cmd(
        project: Annotated[str, typer.Argument(help="The project file to copy.")],
        url: Annotated[str, typer.Argument(
            help="The new server database, e.g. postgresql://me@campus-db/study.")],
    ) -> None:
        """Copy a project file to a PostgreSQL server (every row, undo history included).

        The database is created if missing and must not hold a project yet. Both sides are
        compared table by table before the command says it is done.

        Example: `qualcode push study.qualcode postgresql://lecturer@campus-db/study`
        """
        _copy(project, url, N_("pushed"))

    @app.command("pull")
    def pull_cmd(
        url: Annotated[str, typer.Argument(help="The server project, postgresql://...")],
        project: Annotated[str, typer.Argument(help="The new project file to write.")],
    ) -> None:
        """Copy a project from a PostgreSQL server into a new file (also the backup).

        Example: `qualcode pull postgresql://lecturer@campus-db/study backup-2026-12-05.qualcode`
        """
        _copy(url, project, N_("pulled"))
