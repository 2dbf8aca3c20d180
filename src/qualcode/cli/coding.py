"""`qualcode code`, `codings`, `undo`, `redo`: coding from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from qualcode.cli.common import LangOpt, ProjectOpt, console, open_project, open_reader
from qualcode.core.inert import shown
from qualcode.errors import QualcodeError
from qualcode.i18n import N_, _

CoderOpt = Annotated[str | None, typer.Option(
    envvar="QUALCODE_CODER", help="Coder name (default: the project's, else researcher).")]


def register(app: typer.Typer) -> None:
    """Attach the coding commands."""
    app.command("code")(code_cmd)
    app.command("codings")(codings_cmd)
    app.command("undo")(undo_cmd)
    app.command("redo")(redo_cmd)


def _segment_ids(spec: str) -> list[int]:
    """`12`, `12-15` or `12,13` -> ids."""
    try:
        if "-" in spec:
            a, b = (int(x) for x in spec.split("-", 1))
            if b < a:
                raise ValueError
            return list(range(a, b + 1))
        return [int(x) for x in spec.split(",")]
    except ValueError:
        raise QualcodeError(N_("segment {spec!r} is not an id, a range 12-15 or a list 12,13"),
                            hint=N_("see `qualcode segments SOURCE` for ids"), spec=spec) from None


def code_cmd(
    code: Annotated[str, typer.Argument(help="Code key, e.g. SOB-1.")],
    project: ProjectOpt = None,
    segment: Annotated[str | None, typer.Option(
        help="Segment id, range (12-15) or list (12,13).")] = None,
    source: Annotated[str | None, typer.Option(help="Source (with --start/--end).")] = None,
    start: Annotated[int | None, typer.Option(help="Offset where the span starts.")] = None,
    end: Annotated[int | None, typer.Option(help="Character offset where the span ends.")] = None,
    valence: Annotated[str, typer.Option(help="+ carried out well, - shortfall, 0 neutral.")] = "0",
    note: Annotated[str, typer.Option(help="A note on the coding.")] = "",
    coder: CoderOpt = None,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the code instead.")] = False,
) -> None:
    """Apply (or remove) a code on segments or on a character span.

    Example: `qualcode code SOB-1 --segment 42-43 --valence - --note "relies on seniors"`
    """
    with open_project(project) as proj:
        coder = proj.coder_name(coder)
        proj.acting_coder = coder
        if segment is not None:
            ids = _segment_ids(segment)
            segs = [proj.get_segment(i) for i in ids]
            src_id, a, b = segs[0].source_id, min(s.start for s in segs), max(s.end for s in segs)
        elif source is not None and start is not None and end is not None:
            src_id, a, b = proj.get_source(source).id, start, end  # type: ignore[assignment]
        else:
            raise QualcodeError(N_("say where to code: --segment ID, or --source S --start N "
                                   "--end M"))
        if remove:
            matches = [c for c in proj.codings_in(src_id, a, b)
                       if c.start == a and c.end == b and c.coder == coder
                       and c.code_id == proj.get_code(code).id]
            if not matches:
                raise QualcodeError(N_("{code} is not applied there by {coder}"),
                                    hint=N_("see `qualcode codings --source S`"), code=code,
                                    coder=coder)
            proj.remove_coding(matches[0].id)  # type: ignore[arg-type]
            console().print(shown(_("removed {code} from {start}-{end}").format(
                code=code, start=a, end=b)), markup=False)
            return
        if segment is not None:
            coding = proj.apply_code_to_segments(ids, code, coder=coder, valence=valence,
                                                 note=note)
        else:
            coding = proj.apply_code(src_id, a, b, code, coder=coder, valence=valence, note=note)
        console().print(shown(_("coding {id}: {code} {valence} on {start}-{end} by {coder}").format(
            id=coding.id, code=code, valence=coding.valence, start=a, end=b, coder=coder)),
                        markup=False)


def codings_cmd(
    project: ProjectOpt = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    code: Annotated[list[str] | None, typer.Option(help="Only these codes; repeatable.")] = None,
    coder: Annotated[str | None, typer.Option(help="Only this coder.")] = None,
    valence: Annotated[str | None, typer.Option(help="Only +, - or 0.")] = None,
    informant: Annotated[str | None, typer.Option(help="Only this informant.")] = None,
    kind: Annotated[str | None, typer.Option(help="interview, observation, document.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    limit: Annotated[int | None, typer.Option(help="At most this many rows.")] = None,
    lang: LangOpt = "",
) -> None:
    """List codings with their excerpts, filtered by source, code, coder, valence ...

    Example: `qualcode codings --code SOB-1 --valence - --format csv > expertise.csv`
    """
    from qualcode.cli.render import print_codings
    from qualcode.core.store.listing import CodingFilter, iter_coding_rows

    if fmt not in ("table", "csv", "json"):
        raise QualcodeError(N_("format {fmt!r} is not table, csv or json"), fmt=fmt)
    where = CodingFilter(source, tuple(code or ()), coder, valence, informant, kind)
    with open_reader(project) as reader:
        print_codings(console(), iter_coding_rows(reader, where, lang=lang, limit=limit), fmt)


UndoCoderOpt = Annotated[str | None, typer.Option(
    envvar="QUALCODE_CODER", help="Undo this coder's own actions only (a shared project).")]


def undo_cmd(project: ProjectOpt = None, coder: UndoCoderOpt = None) -> None:
    """Undo the last coding action (kept across sessions); with --coder, that coder's own.

    Example: `qualcode undo -p study.qualcode --coder ani`
    """
    from qualcode.core.store.history import describe

    with open_project(project) as proj:
        action = proj.undo(coder=coder)
        console().print(shown(_("undid: {what}").format(what=describe(action)) if action
                              else _("nothing to undo")), markup=False)


def redo_cmd(project: ProjectOpt = None, coder: UndoCoderOpt = None) -> None:
    """Redo the action undone last; with --coder, that coder's own.

    Example: `qualcode redo -p study.qualcode`
    """
    from qualcode.core.store.history import describe

    with open_project(project) as proj:
        action = proj.redo(coder=coder)
        console().print(shown(_("redid: {what}").format(what=describe(action)) if action
                              else _("nothing to redo")), markup=False)

