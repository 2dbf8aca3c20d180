"""`qualcode codebook ...`: list, show, import codebooks; add, edit and merge codes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.common import (
    LangOpt,
    ProjectOpt,
    QualcodeTyper,
    console,
    open_project,
    open_reader,
)
from qualcode.core.inert import shown
from qualcode.i18n import N_, _

codebook_app = QualcodeTyper(help="Codebooks (theory frameworks) and their codes.",
                             no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach the `codebook` command group."""
    app.add_typer(codebook_app, name="codebook")


@codebook_app.command("list")
def list_cmd(project: ProjectOpt = None, lang: LangOpt = "") -> None:
    """List the bundled codebooks and, with a project, the ones it holds.

    Example: `qualcode codebook list -p study.qualcode`
    """
    from rich.table import Table

    from qualcode.cli.render import add_columns, fit_columns, safe
    from qualcode.core.codebooks import bundled_codebooks, load_codebook

    out = console()
    table = Table(title=_("Bundled codebooks"))
    add_columns(table, N_("key"), N_("title"), N_("source"), N_("codes"))
    for path in bundled_codebooks():
        spec = load_codebook(path)
        table.add_row(spec.key, spec.title.get(lang), f"{spec.author} ({spec.year or _('n.d.')})",
                      str(sum(1 for _code in spec.iter_codes())))
    out.print(fit_columns(table))
    if project is not None or list(Path.cwd().glob("*.qualcode")):
        with open_project(project) as proj:
            mine = Table(title=_("In this project"))
            add_columns(mine, N_("key"), N_("title"), N_("active"), N_("codes"))
            for book in proj.codebooks():
                n = len(proj.codes(book.key))
                title = book.title_en if lang == "en" else book.title_id
                mine.add_row(safe(book.key), safe(title), _("yes") if book.active else _("no"),
                             str(n))
            out.print(fit_columns(mine))


@codebook_app.command("show")
def show_cmd(
    key: Annotated[str, typer.Argument(help="Codebook key (bundled or in the project) or path.")],
    project: ProjectOpt = None,
    lang: LangOpt = "",
    coder: Annotated[str | None, typer.Option(
        help="With a project: count only this coder's codings (default: every coder's).")
    ] = None,
) -> None:
    """Show a codebook's codes with definitions, indicators and shortcuts.

    Example: `qualcode codebook show sobandi-2008 -p study.qualcode --coder peneliti`
    """
    from qualcode.cli.render import print_codebook_spec, print_project_codebook
    from qualcode.core.codebooks import find_codebook, load_codebook

    if project is not None:
        with open_reader(project) as reader:
            print_project_codebook(console(), reader, key, lang, coder)
        return
    print_codebook_spec(console(), load_codebook(find_codebook(key)), lang)


@codebook_app.command("import")
def import_cmd(
    names: Annotated[list[str], typer.Argument(
        help="Bundled keys, YAML files, REFI-QDA .qdc or CSV (key, parent, label, definition).")],
    project: ProjectOpt = None,
    inactive: Annotated[bool, typer.Option(help="Add without activating.")] = False,
) -> None:
    """Add codebooks to the project (or update them: codes are never deleted).

    Example: `qualcode codebook import sobandi-2008 my-codebook.yaml codes.qdc -p study.qualcode`
    """
    import sys

    from qualcode.cli.exchange import import_codebook_files
    from qualcode.core.codebooks import find_codebook, load_codebook
    from qualcode.errors import QualcodeError, report_error

    exchange = [Path(n) for n in names if Path(n).suffix.lower() in (".qdc", ".csv")]
    specs, failed = [], 0
    for name in names:  # a bad file is reported on its own line; the others are imported
        if Path(name) in exchange:
            continue
        try:
            specs.append(load_codebook(find_codebook(name)))
        except QualcodeError as exc:
            report_error(exc)
            failed += 1
    with open_project(project) as proj:
        import_codebook_files(proj, exchange)
        for spec in specs:
            proj.import_codebook(spec, active=not inactive)
            codes = sum(1 for _code in spec.iter_codes())
            console().print(shown(_("codebook {key}: {n} codes").format(key=spec.key, n=codes)),
                            markup=False)
    if failed:
        print(_("error: {failed} of {n} codebook files could not be imported").format(
            failed=failed, n=len(names)), file=sys.stderr)
        raise typer.Exit(2 if failed == len(names) else 1)


@codebook_app.command("add-code")
def add_code_cmd(
    key: Annotated[str, typer.Argument(help="New code key, e.g. EM-1.")],
    label: Annotated[str, typer.Argument(help="Label (Indonesian, or the only label).")],
    project: ProjectOpt = None,
    label_en: Annotated[str, typer.Option(help="English label.")] = "",
    definition: Annotated[str, typer.Option(help="Definition (Indonesian).")] = "",
    definition_en: Annotated[str, typer.Option(help="Definition (English).")] = "",
    parent: Annotated[str | None, typer.Option(help="Parent code key.")] = None,
    colour: Annotated[str | None, typer.Option(help="Colour as #rrggbb.")] = None,
    shortcut: Annotated[str | None, typer.Option(help="One-key shortcut.")] = None,
) -> None:
    """Add an emergent (inductive) code to the project.

    Example: `qualcode codebook add-code EM-1 "Beban kerja" --label-en "Workload" --shortcut w`
    """
    with open_project(project) as proj:
        code = proj.add_code(key, label, label_en, definition_id=definition,
                             definition_en=definition_en, parent=parent, colour=colour,
                             shortcut=shortcut)
        console().print(shown(_("added code {key} ({label})").format(key=code.key,
                                                                     label=code.label_id)),
                        markup=False)


@codebook_app.command("edit-code")
def edit_code_cmd(
    key: Annotated[str, typer.Argument(help="Code key.")],
    project: ProjectOpt = None,
    label: Annotated[str | None, typer.Option(help="New Indonesian label.")] = None,
    label_en: Annotated[str | None, typer.Option(help="New English label.")] = None,
    colour: Annotated[str | None, typer.Option(help="New colour #rrggbb.")] = None,
    shortcut: Annotated[str | None, typer.Option(help="New shortcut key.")] = None,
) -> None:
    """Rename, recolour or change the shortcut of a code (undoable).

    Example: `qualcode codebook edit-code EM-1 --label-en "Heavy workload" --colour #4363d8`
    """
    fields = {k: v for k, v in {"label_id": label, "label_en": label_en, "colour": colour,
                                 "shortcut": shortcut}.items() if v is not None}
    with open_project(project) as proj:
        proj.update_code(key, **fields)
        console().print(shown(_("updated {key}").format(key=key)), markup=False)


@codebook_app.command("merge")
def merge_cmd(
    source: Annotated[str, typer.Argument(help="Code to merge away.")],
    target: Annotated[str, typer.Argument(help="Code that receives its codings.")],
    project: ProjectOpt = None,
) -> None:
    """Merge one code into another; its codings follow (undoable).

    Example: `qualcode codebook merge EM-2 EM-1`
    """
    with open_project(project) as proj:
        moved = proj.merge_codes(source, target)
        console().print(shown(_("merged {source} into {target}: {n} codings moved").format(
            source=source, target=target, n=moved)), markup=False)
