"""`qualcode agreement` and `qualcode merge`: several coders on one project."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qualcode.cli.common import (
    ForceOpt,
    LangOpt,
    PaperOpt,
    ProjectOpt,
    console,
    open_project,
    paper_choice,
)
from qualcode.i18n import _, ngettext

if TYPE_CHECKING:
    from qualcode.core.analysis.agreement import Agreement


def register(app: typer.Typer) -> None:
    """Attach the team commands."""
    app.command("agreement")(agreement_cmd)
    app.command("merge")(merge_cmd)
    app.command("suggest")(suggest_cmd)
    app.command("blind")(blind_cmd)
    app.command("review")(review_cmd)


def split_names(values: list[str] | None) -> list[str]:
    """Names from a repeatable, comma-separated option."""
    return [n.strip() for v in values or [] for n in v.split(",") if n.strip()]


def agreement_cmd(
    project: ProjectOpt = None,
    coders: Annotated[list[str] | None, typer.Option(
        "--coders", help="Coders to compare, comma-separated (default: every coder except "
                         "consensus and suggester).")] = None,
    codebook: Annotated[str | None, typer.Option(
        "--codebook", "-c", help="Only this codebook's codes (key).")] = None,
    code: Annotated[list[str] | None, typer.Option(
        "--code", help="Only these codes (keys; repeatable or comma-separated).")] = None,
    source: Annotated[list[str] | None, typer.Option(
        "--source", help="Only these sources (name, prefix or id; repeatable).")] = None,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", help="Only sources of these kinds: interview, observation, document.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the table (.csv .xlsx .docx .tex .md).")] = None,
    force: ForceOpt = False,
    paper: PaperOpt = None,
    lang: LangOpt = "",
) -> None:
    """Inter-coder agreement per code and overall, with a sentence for the methods section.

    Units. Segments: every segment (sentence) of the chosen sources is one unit per code,
    coded (1) or not (0) by each coder; a coder with no coding in a source gave no value
    there. Percent agreement (all coders agree), Cohen's kappa (two coders; chance agreement
    = sum over categories of the products of the coders' shares) and Fleiss' kappa use the
    segments every coder has a value for; Krippendorff's alpha (nominal) every segment with
    at least two values. Characters: every character of the sources all coders have coded,
    coded or not with the code (percent and kappa, NVivo's measure). uα: Krippendorff's
    unitized alpha over the coders' spans of the code (ATLAS.ti's measure). All codes: every
    (segment, code) pair is one unit. Bands: Landis & Koch for kappa; Krippendorff's
    .667 / .800 for alpha.

    Example: `qualcode agreement --coders peneliti,asisten -c sobandi-2008 --out agreement.docx`
    """
    from qualcode.core.analysis.agreement import agreement
    from qualcode.core.analysis.agreement_report import agreement_display, methods_sentence
    from qualcode.core.export import TABLE_FORMATS, check_target, export_displays

    if out is not None:
        check_target(out, TABLE_FORMATS, force=force)
    with open_project(project) as proj:
        result = agreement(proj, coders=split_names(coders), codebook=codebook,
                           codes=split_names(code), sources=source or [],
                           kinds=split_names(kind), lang=lang)
        size = paper_choice(proj, paper) if out is not None else "a4"
    display = agreement_display(result)
    sentence = methods_sentence(result)
    display.notes.append(sentence)
    if out is None:
        print_agreement(result, display.notes)
        return
    for path in export_displays([display], out, force=force, paper=size):
        console().print(f"{path}")
    console().print(sentence, markup=False, highlight=False)


def print_agreement(result: Agreement, notes: list[str]) -> None:
    """A compact terminal table (the exports hold every column), warnings and notes."""
    from rich.table import Table

    from qualcode.core.analysis.agreement_report import short_row
    from qualcode.i18n import _

    lang = result.lang
    table = Table(title=_("Inter-coder agreement: {coders}", lang=lang).format(
        coders=", ".join(result.coders)), title_justify="left")
    for header in (_("Code", lang=lang), _("Segments", lang=lang), "%", "κ",
                   "α", "κ (char.)", "uα"):
        table.add_column(header, justify="left" if header == _("Code", lang=lang) else "right")
    warnings = []
    for row in [*result.codes, result.overall]:
        table.add_row(*short_row(row, lang), style="bold" if not row.code else None)
        warnings += [f"{row.code}: {w}" for w in row.warnings]
    out = console()
    out.print(table)
    for line in [*warnings, "", *notes]:
        out.print(line, markup=False, highlight=False)


def merge_cmd(
    other: Annotated[Path, typer.Argument(help="The coder's project file to merge in.")],
    project: ProjectOpt = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Only report what would be added, matched and refused.")] = False,
) -> None:
    """Merge a coder's separate project file into this (team) project.

    Sources are matched by content hash (not by name), codes by codebook key and code key
    (a new emergent code is added; a different definition is reported, the team's stays).
    Codings keep their coder, memos their author. Merging the same file twice changes
    nothing. Everything is written in one transaction: if the file cannot be merged, nothing
    is written.

    Example: `qualcode merge ani.qualcode -p team.qualcode --dry-run`
    """
    from qualcode.core.merge import merge_projects

    with open_project(project) as proj:
        report = merge_projects(proj, other, dry_run=dry_run)
    out = console()
    out.print(f"{_('kind'):<10} {_('added'):>6} {_('matched'):>8} {_('refused'):>8}",
              highlight=False)
    for kind, row in report.counts().items():
        out.print(f"{kind:<10} {row['added']:>6} {row['matched']:>8} {row['refused']:>8}",
                  highlight=False)
    for note in report.details:
        out.print(f"- {note.text()}", markup=False, highlight=False)
    if dry_run:
        out.print(_("dry run: nothing was written"))
    elif not report.written:
        out.print(_("nothing new: the project is unchanged"))


def suggest_cmd(
    project: ProjectOpt = None,
    source: Annotated[list[str] | None, typer.Option(
        "--source", help="Only these sources (name, prefix or id; repeatable).")] = None,
    code: Annotated[list[str] | None, typer.Option(
        "--code", help="Only these codes (keys; repeatable or comma-separated).")] = None,
    store: Annotated[bool, typer.Option(
        "--store", help="Store the proposals as codings of the coder `suggester`.")] = False,
) -> None:
    """Code suggestions from the codebooks' indicator phrases (spaCy lemmas).

    Without --store the proposals are listed. With --store they become codings of the coder
    `suggester` (one undoable action), left out of every count unless chosen by name, so
    `qualcode agreement --coders suggester,NAME` reports how far the machine's suggestions
    match a researcher's coding.

    Example: `qualcode suggest --source 01-kepala --store`
    """
    from qualcode.core.suggest import store_suggestions, suggest_for_source

    with open_project(project) as proj:
        if store:
            added, known = store_suggestions(proj, source or [],
                                             codes=split_names(code) or None)
            stored = ngettext("{n} suggestion stored as coder suggester",
                              "{n} suggestions stored as coder suggester", added).format(n=added)
            if known:
                stored += " " + _("({n} already stored)").format(n=known)
            console().print(stored)
            return
        ids = [proj.get_source(s).id for s in source or []] or [
            s.id for s in proj.sources()]
        out = console()
        for sid in ids:
            name = proj.get_source(sid).name
            for hit in suggest_for_source(proj, sid, codes=split_names(code) or None):
                out.print(f"{name}:{hit.start}-{hit.end}  {hit.code_key}  "
                          f"“{hit.matched_text}” ({hit.indicator_key})",
                          markup=False, highlight=False)


def blind_cmd(
    coder: Annotated[str, typer.Argument(help="The coder's name.")],
    project: ProjectOpt = None,
    off: Annotated[bool, typer.Option("--off", help="Turn blind coding off (compare).")] = False,
) -> None:
    """Blind coding for one coder of this project: the coding screen and the analysis show
    them only their own codings (and `qualcode agreement` waits) until it is turned off.

    Example: `qualcode blind ani` ... later `qualcode blind ani --off`
    """
    with open_project(project) as proj:
        names = proj.set_blind(coder, not off)
    done = (_("blind coding off for {coder}; blind coders: {names}") if off
            else _("blind coding on for {coder}; blind coders: {names}"))
    console().print(done.format(coder=coder, names=", ".join(names) or _("none")), markup=False,
                    highlight=False)


def review_cmd(
    project: ProjectOpt = None,
    list_places: Annotated[bool, typer.Option(
        "--list", "-l", help="Print the places where the coders differ.")] = False,
    coders: Annotated[list[str] | None, typer.Option(
        "--coders", help="Coders to compare, comma-separated (default: every coder except "
                         "consensus and suggester).")] = None,
    source: Annotated[list[str] | None, typer.Option(
        "--source", help="Only these sources (name, prefix or id; repeatable).")] = None,
    code: Annotated[list[str] | None, typer.Option(
        "--code", help="Only these codes (keys; repeatable or comma-separated).")] = None,
    show_all: Annotated[bool, typer.Option(
        "--all", help="Also the places already resolved.")] = False,
) -> None:
    """Disagreement review: the places where coders differ (one code in one source: coded by
    some coders only, different spans, or different valence). Coders are compared in a source
    only when they coded it. Places are resolved into the consensus coder in the workspace
    (`qualcode open`, then `g v`); decisions are recorded and undoable.

    Example: `qualcode review --list --coders peneliti,asisten --source 01`
    """
    from qualcode.core.analysis.disagreements import KIND_TEXT, find_places, place_summary

    out = console()
    if not list_places:
        out.print(_("the review itself is in the workspace: `qualcode open`, then g v; "
                    "--list prints the places"), markup=False, highlight=False)
        return
    with open_project(project) as proj:
        places = find_places(proj, split_names(coders), sources=source or [],
                             codes=split_names(code))
    for place in places:
        if place.resolved and not show_all:
            continue
        kinds = ", ".join(_(KIND_TEXT[k]) for k in place.kinds)
        mark = "✔ " if place.resolved else ""
        out.print(f"{mark}{place.source}:{place.start}-{place.end}  {place.code}  {kinds}",
                  markup=False, highlight=False)
        for name, items in place.codings.items():
            spans = "; ".join(f"{c.start}-{c.end} {c.valence}" for c in items) or "–"
            out.print(f"    {name}: {spans}", markup=False, highlight=False)
    counts = place_summary(places)
    out.print(_("{places} places, {resolved} resolved").format(**counts), markup=False,
              highlight=False)
