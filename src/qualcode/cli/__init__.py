"""The command line: thin Typer commands, each opening the project and calling one core function.

Heavy libraries (SQLAlchemy, spaCy, pandas, Textual) are imported inside commands so that
`qualcode --help` stays fast.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.common import (
    ProjectOpt,
    QualcodeTyper,
    cli_language,
    console,
    open_project,
    open_reader,
    report_error,
)
from qualcode.core.inert import shown
from qualcode.errors import QualcodeError
from qualcode.i18n import _, ngettext, set_language

UiLangOpt = Annotated[str | None, typer.Option(
    "--lang", help="UI language: id or en (default: the project's saved choice, else id).")]


app = QualcodeTyper(
    name="qualcode",
    help="Qualitative coding of interview data: codebooks, transcripts, codings, analysis.\n\n"
    "Start with `qualcode demo` to open the bundled sample project.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

@app.command()
def init(
    path: Annotated[str, typer.Argument(
        help="The new project file (study.qualcode) or a PostgreSQL URL "
             "(postgresql://USER@HOST/DATABASE; the database is created if missing).")],
    codebook: Annotated[list[str] | None, typer.Option(
        "--codebook", "-c", help="Codebook to add (bundled key or YAML path); repeatable.")] = None,
) -> None:
    """Create a new project: a file (SQLite), or a database on a PostgreSQL server.

    Example: `qualcode init study.qualcode -c sobandi-2008 -c siagian-2014`
    Team server: `qualcode init postgresql://lecturer@campus-db/study -c sobandi-2008`
    (the password comes from PGPASSWORD or ~/.pgpass, never from a project file).
    """
    from qualcode.core.codebooks import find_codebook, load_codebook
    from qualcode.core.store import Project

    specs = [load_codebook(find_codebook(name)) for name in codebook or []]
    project = Project.create(path)
    with project:
        for spec in specs:
            project.import_codebook(spec)
    done = ngettext("created {path} with {n} codebook", "created {path} with {n} codebooks",
                    len(specs)) if specs else _("created {path}")
    console().print(shown(done.format(path=project.location, n=len(specs))), markup=False)


@app.command("open")
def open_cmd(
    project: Annotated[str | None, typer.Argument(
        envvar="QUALCODE_PROJECT",
        help="The project file to open, or its server URL (postgresql://USER@HOST/DB); "
             "default: $QUALCODE_PROJECT, else the only .qualcode file here.")] = None,
    lang: UiLangOpt = None,
    coder: Annotated[str | None, typer.Option(help="Your coder name.")] = None,
    source: Annotated[str | None, typer.Option(
        help="Open straight on this source's coding screen (name, prefix or id).")] = None,
) -> None:
    """Open a project in the coding workspace.

    Example: `qualcode open study.qualcode --lang en --source 01-kepala`
    """
    from qualcode.cli.common import resolve_project
    from qualcode.launch import open_workspace

    open_workspace(resolve_project(project), source=source, lang=lang, coder=coder)


@app.command()
def demo(
    lang: UiLangOpt = None,
    fresh: Annotated[bool, typer.Option(help="Rebuild the sample project from scratch.")] = False,
    path: Annotated[Path | None, typer.Option(help="Where to keep the sample project.")] = None,
    coder: Annotated[str | None, typer.Option(help="Your coder name.")] = None,
) -> None:
    """Build the bundled sample project (if needed) and open it.

    Example: `qualcode demo --lang en`
    """
    from qualcode.core.sample import build_sample_project, default_demo_path
    from qualcode.core.store.handle import ProjectHandle
    from qualcode.launch import show_main

    target = (path or default_demo_path()).resolve()
    project = build_sample_project(target, fresh=fresh, echo=console().print)
    with project:
        show_main(ProjectHandle.of(project), lang=lang, coder=coder)
    print_demo_paths(target)


def print_demo_paths(target: Path) -> None:
    """Where the demo project is, and how to use it from the command line."""
    quoted = shlex.quote(str(target))
    for line in (_("The demo project is {path}").format(path=target),
                 _("Use it from the command line in this terminal:"),
                 f"  export QUALCODE_PROJECT={quoted}", "  qualcode codings --code SOB-1",
                 _("or name it in each command: qualcode codings -p {path}").format(
                     path=quoted)):
        console().print(line, markup=False, soft_wrap=True)  # whole lines: easy to copy


@app.command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="Files or folders to import.")],
    project: ProjectOpt = None,
    manifest: Annotated[Path | None, typer.Option(
        help="YAML mapping file names to metadata (informant, role, kind, ...).")] = None,
    informant: Annotated[str | None, typer.Option(help="Informant pseudonym.")] = None,
    role: Annotated[str | None, typer.Option(help="Informant role, e.g. head, staff.")] = None,
    unit: Annotated[str | None, typer.Option(help="Informant's unit.")] = None,
    kind: Annotated[str | None, typer.Option(help="interview, observation or document.")] = None,
    date: Annotated[str | None, typer.Option(help="Date of the interview (YYYY-MM-DD).")] = None,
    language: Annotated[str | None, typer.Option(help="id or en (default: detected).")] = None,
    replace: Annotated[bool, typer.Option(
        help="Import changed files as a new version; codings are carried over.")] = False,
) -> None:
    """Import sources (.txt .md .docx .pdf .vtt .srt); a bad file never stops the batch.

    Exit code 0 when every file was imported or unchanged, 1 when some failed, 2 when all did.
    A manifest entry or front matter may map speaker labels to informants:
    `speakers: {Bu Rina: Informan 3, Moderator: interviewer}`.

    Each file that cannot be imported is reported on one line; the exit code is 1 when some
    files failed, 2 when all did.

    Example: `qualcode import -p study.qualcode interviews/ --manifest interviews/manifest.yaml`
    """
    from qualcode.core.ingest.manifest import collect_files
    from qualcode.core.ingest.prepare import workers_started
    from qualcode.core.metadata import check_date

    paths = collect_files(files)
    overrides = {"informant": informant, "role": role, "unit": unit, "kind": kind,
                 "date": check_date(date), "language": language}
    with workers_started(paths):  # they load spaCy while this process opens the project
        _import(paths, project, manifest, replace, overrides)


def _import(paths: list[Path], project: str | None, manifest: Path | None, replace: bool,
            overrides: dict[str, str | None]) -> None:
    from qualcode.cli.render import import_with_progress
    from qualcode.core.ingest.manifest import load_manifest

    if manifest is None:
        found = {p.parent / "manifest.yaml" for p in paths} & {
            p.parent / "manifest.yaml" for p in paths if (p.parent / "manifest.yaml").exists()}
        manifest = next(iter(found)) if len(found) == 1 else None
    table = load_manifest(manifest) if manifest else None
    with open_project(project) as proj:
        if overrides["role"]:
            overrides["role"] = proj.check_role(overrides["role"])
        report = import_with_progress(console(), proj, paths, table, overrides, replace)
    failed = report.count("error")
    if failed:
        print(shown(ngettext("error: {n} of {total} file could not be imported",
                             "error: {n} of {total} files could not be imported",
                             len(report.outcomes)).format(n=failed, total=len(report.outcomes))),
              file=sys.stderr)
        raise typer.Exit(2 if failed == len(report.outcomes) else 1)


@app.command()
def sources(project: ProjectOpt = None,
            archived: Annotated[bool, typer.Option(help="Show old versions too.")] = False
            ) -> None:
    """List the project's sources with informant, kind, segments and codings.

    Example: `qualcode sources -p study.qualcode`
    """
    from qualcode.cli.render import print_sources

    with open_reader(project) as reader:
        print_sources(console(), reader, archived=archived)


@app.command()
def informants(project: ProjectOpt = None) -> None:
    """List informants with role, unit and number of sources.

    Example: `qualcode informants -p study.qualcode`
    """
    from qualcode.cli.render import print_informants

    with open_reader(project) as reader:
        print_informants(console(), reader)


@app.command()
def segments(
    source: Annotated[str, typer.Argument(help="Source name (or unique prefix) or id.")],
    project: ProjectOpt = None,
    start: Annotated[int, typer.Option("--from", help="First segment index.")] = 0,
    limit: Annotated[int, typer.Option(help="How many segments.")] = 50,
) -> None:
    """Show a source's segments with their ids, speakers and offsets.

    Example: `qualcode segments 01-kepala-badan.md --from 10 --limit 20`
    """
    from qualcode.cli.render import print_segments

    with open_project(project) as proj:
        print_segments(console(), proj, proj.get_source(source), start, limit)


def main() -> None:
    """Entry point: user errors print one line and a hint, exit code 2, no traceback."""
    set_language(cli_language())
    try:
        app()
    except QualcodeError as exc:  # raised outside a command (e.g. while parsing)
        report_error(exc)
        sys.exit(2)
    except KeyboardInterrupt:
        print(_("interrupted; everything done before this point is saved"), file=sys.stderr)
        sys.exit(130)


# The command groups register their commands on `app`.
from qualcode.cli import analysis as cli_analysis  # noqa: E402
from qualcode.cli import codebook as cli_codebook  # noqa: E402
from qualcode.cli import coders as cli_coders  # noqa: E402
from qualcode.cli import coding as cli_coding  # noqa: E402
from qualcode.cli import exchange as cli_exchange  # noqa: E402
from qualcode.cli import people as cli_people  # noqa: E402
from qualcode.cli import team as cli_team  # noqa: E402

cli_codebook.register(app)
cli_coding.register(app)
cli_analysis.register(app)
cli_team.register(app)
cli_people.register(app)
cli_exchange.register(app)
cli_coders.register(app)
