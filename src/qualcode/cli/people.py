"""`qualcode speakers`, `informant edit`, `source edit`, `roles`, `attribute`: who speaks, and
metadata fixed after import (every change undoable with `qualcode undo`)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from qualcode.cli.common import ProjectOpt, QualcodeTyper, console, open_project
from qualcode.i18n import _

informant_app = QualcodeTyper(help="Edit an informant (pseudonym, role, unit, attributes).",
                              no_args_is_help=True)
source_app = QualcodeTyper(help="Edit a source's metadata (kind, informant, date, language).",
                           no_args_is_help=True)
roles_app = QualcodeTyper(help="The project's list of informant roles.",
                          invoke_without_command=True)


def register(app: typer.Typer) -> None:
    """Attach the commands on speakers, informants, sources and roles."""
    app.command("speakers")(speakers_cmd)
    app.command("attribute")(attribute_cmd)
    app.add_typer(informant_app, name="informant")
    app.add_typer(source_app, name="source")
    app.add_typer(roles_app, name="roles")


def speakers_cmd(
    source: Annotated[str, typer.Argument(help="Source name (or unique prefix) or id.")],
    project: ProjectOpt = None,
    mapping: Annotated[list[str] | None, typer.Option(
        "--map", help='LABEL=INFORMANT ("Bu Rina=Informan 3"; "Moderator=interviewer"; '
        '"Bu Rina=" clears); repeatable.')] = None,
) -> None:
    """List a source's speaker labels and whom each stands for; map labels to informants.

    A coding is credited to the informant of the speaker turn it lies in; interviewer turns are
    never counted as informant evidence.

    Example: `qualcode speakers fgd-bidang.txt --map "Bu Rina=Informan 3" --map "P=interviewer"`
    """
    from qualcode.cli.render import print_speakers
    from qualcode.core.metadata import parse_assignments, speaker_target

    with open_project(project) as proj:
        if mapping:
            pairs = parse_assignments(mapping, "speaker map", '"Bu Rina=Informan 3"')
            changed = proj.map_speakers(source, {label: speaker_target(value, label)
                                                 for label, value in pairs.items()})
            console().print(_("{n} turns changed (undo: `qualcode undo`)").format(n=changed))
        print_speakers(console(), proj, source)


def attribute_cmd(
    source: Annotated[str, typer.Argument(help="Source name (or unique prefix) or id.")],
    informant: Annotated[str, typer.Option(help="The informant the passage is credited to.")],
    start: Annotated[int, typer.Option(help="Offset where the passage starts.")],
    end: Annotated[int, typer.Option(help="Offset where the passage ends.")],
    project: ProjectOpt = None,
) -> None:
    """Credit a passage of text without speaker labels (a news article) to an informant.

    Example: `qualcode attribute berita.txt --informant "Informan 5" --start 120 --end 380`
    """
    with open_project(project) as proj:
        row = proj.attribute_passage(proj.get_source(source).id, start, end, informant)
        console().print(_("attribution {id}: {start}-{end} -> {name}").format(
            id=row.id, start=start, end=end, name=escape(informant)))


@informant_app.command("edit")
def informant_edit_cmd(
    informant: Annotated[str, typer.Argument(help="Pseudonym (or id) of the informant.")],
    project: ProjectOpt = None,
    name: Annotated[str | None, typer.Option(help="New pseudonym.")] = None,
    role: Annotated[str | None, typer.Option(help="Role from the project's list.")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit (work unit, division).")] = None,
    attribute: Annotated[list[str] | None, typer.Option(
        "--set", help="Attribute NAME=VALUE (gender=f, tenure=12); repeatable.")] = None,
    unset: Annotated[list[str] | None, typer.Option(
        help="Remove an attribute; repeatable.")] = None,
) -> None:
    """Change an informant's pseudonym, role, unit or attributes (undoable).

    Attributes can be matrix columns and filters: `qualcode matrix clustered --by gender`.

    Example: `qualcode informant edit "Informan 3" --role section_head --set gender=f`
    """
    from qualcode.cli.render import print_informants
    from qualcode.core.metadata import parse_assignments

    with open_project(project) as proj:
        attrs = parse_assignments(attribute or [], "attribute")
        proj.edit_informant(informant, pseudonym=name, role=role, unit=unit, attributes=attrs,
                            remove=unset or ())
        print_informants(console(), proj.reader)


@source_app.command("edit")
def source_edit_cmd(
    source: Annotated[str, typer.Argument(help="Source name (or unique prefix) or id.")],
    project: ProjectOpt = None,
    kind: Annotated[str | None, typer.Option(help="interview, observation or document.")] = None,
    informant: Annotated[str | None, typer.Option(
        help='Informant pseudonym ("" for none; a new name creates the informant).')] = None,
    date: Annotated[str | None, typer.Option(help='YYYY-MM-DD ("" for none).')] = None,
    language: Annotated[str | None, typer.Option(help="id or en.")] = None,
) -> None:
    """Change a source's kind, informant, date or language (undoable; text and codings stay).

    Example: `qualcode source edit 03-kabid.txt --date 2026-03-14 --informant "Informan 3"`
    """
    from qualcode.cli.render import print_sources

    with open_project(project) as proj:
        proj.edit_source(source, kind=kind, informant=informant, date=date, language=language)
        print_sources(console(), proj.reader)


@roles_app.callback()
def roles_cmd(ctx: typer.Context, project: ProjectOpt = None) -> None:
    """List the project's informant roles (the role-ordered matrix's order).

    Example: `qualcode roles -p study.qualcode`
    """
    ctx.obj = project
    if ctx.invoked_subcommand is None:
        with open_project(project) as proj:
            console().print("\n".join(proj.roles()))


@roles_app.command("add")
def roles_add_cmd(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(help="The new role, e.g. kasubbag.")],
    project: ProjectOpt = None,
) -> None:
    """Add a role to the project's list (undoable).

    Example: `qualcode roles add kasubbag`
    """
    with open_project(project or ctx.obj) as proj:
        console().print("\n".join(proj.add_role(role)))
