"""`qualcode matrix`, `conclusions`, `export`, `chart`, `optable`: analysis and exports for papers.

Every command builds its displays with qualcode.core.analysis and either prints them (rich) or
writes them with qualcode.core.export, so the screen and the files hold the same numbers.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
from qualcode.core.inert import shown
from qualcode.errors import QualcodeError
from qualcode.i18n import N_, _

if TYPE_CHECKING:
    from rich.table import Table

    from qualcode.core.analysis.conclusions import ResultsReport
    from qualcode.core.analysis.display import Display

ALIASES = {"role_ordered": "role", "role-ordered": "role", "summary": "summaries",
           "summary_grid": "summaries", "frequencies": "frequency", "co-occurrence": "cooccurrence",
           "optable": "operationalisation", "conclusions": "checklist"}
# What `export --what NAME` (and `all`) writes for each display name: its useful variants.
VARIANTS: dict[str, list[dict[str, str]]] = {
    "clustered": [{"cell": "counts"}, {"cell": "valence"}],
    "role": [{"cell": "counts"}],
    "triangulation": [{"by": "kind"}, {"by": "informant"}],
    "cooccurrence": [{"measure": "count"}, {"measure": "c"}],
    "frequency": [{"by": "code"}, {"by": "kind"}, {"by": "valence"}],
    "summaries": [{}], "operationalisation": [{}], "checklist": [{}], "retrieval": [{}],
}
LISTING_ONLY = ("retrieval",)   # long excerpt listings: in `all` only for .xlsx / .csv

CodebookOpt = Annotated[str | None, typer.Option(
    "--codebook", "-c", help="Only this codebook's codes (key).")]
CoderOpt = Annotated[str | None, typer.Option(
    help="Count this coder's codings (default: the consensus coder once it has codings in "
         "every coded source, else the session's coder: $QUALCODE_CODER or the project's "
         "default coder).")]
CodersOpt = Annotated[str | None, typer.Option(
    "--coders", help="Count these coders' codings, comma-separated; a passage coded with the "
                     "same code by several of them counts once.")]
ConsensusOpt = Annotated[bool, typer.Option(
    "--consensus", help="Count the consensus coder's (adjudicated) codings.")]


def coder_choice(coder: str | None, coders: str | None, consensus: bool) -> str | None:
    """The one `coder` value the builders take (None = the default; 'a,b' = a set)."""
    from qualcode.core.coders import CONSENSUS

    given = [v for v in (coder, coders, CONSENSUS if consensus else None) if v]
    if len(given) > 1:
        raise QualcodeError(N_("choose one of --coder, --coders and --consensus"))
    return given[0] if given else None
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead.")]


def register(app: typer.Typer) -> None:
    """Attach the analysis commands."""
    app.command("matrix")(matrix_cmd)
    app.command("conclusions")(conclusions_cmd)
    app.command("export")(export_cmd)
    app.command("chart")(chart_cmd)
    app.command("optable")(optable_cmd)


def display_names() -> list[str]:
    """The display names the commands accept (the analysis registry's keys)."""
    from qualcode.core.analysis.display import DISPLAYS

    return list(DISPLAYS)


def resolve_name(name: str) -> str:
    """A registry name for `name` (aliases allowed); unknown names list the choices."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    names = display_names()
    if key not in names:
        raise QualcodeError(N_("unknown display {name!r}"), hint=N_("choose one of {names}"),
                            name=name, names=", ".join(names))
    return key


def build_display(project: Any, name: str, lang: str, **options: Any) -> Display:
    """Build display `name`; options left at None are not passed, and an option the builder
    does not take is an error (e.g. --cell for cooccurrence)."""
    from qualcode.core.analysis.display import DISPLAYS

    builder = DISPLAYS[resolve_name(name)]
    accepted = inspect.signature(builder).parameters
    given = {k: v for k, v in options.items() if v is not None}
    for option in given:
        if option not in accepted:
            takes = ", ".join(f"--{p}" for p in accepted
                              if p in ("cell", "by", "measure", "mode", "codebook", "coder"))
            raise QualcodeError(N_("--{option} does not apply to the {name} display"),
                                hint=N_("see `qualcode matrix --help`; {name} takes: {takes}"),
                                option=option, name=name, takes=takes)
    return builder(project, lang=lang, **given)


def fold_words(text: str, width: int) -> str:
    """`text` broken into lines of at most `width` characters (long words are cut), so that
    a column header never forces a table wider than the terminal."""
    pieces = [word[i:i + width] for word in text.split() for i in range(0, len(word), width)]
    lines: list[str] = []
    for piece in pieces:
        if lines and len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
    return "\n".join(lines)


def display_table(display: Display, width: int = 80) -> Table:
    """A display as a rich table: the same cells the exports write.

    Row groups (the upper levels of a MultiIndex, e.g. the codebook) become bold heading rows
    instead of a wide first column, which keeps the table readable in a terminal. The code
    label column keeps a readable width when the other columns still fit into `width`.
    """
    from rich.table import Table
    from rich.text import Text

    from qualcode.core.export.flat_table import flatten, format_cell
    flat = flatten(display)
    grouped = flat.n_index - 1 if flat.n_index > 1 else 0
    data_text = any(flat.text[grouped + 1:])
    table = Table(title=Text(shown(display.title)), title_justify="left", show_lines=data_text)
    label_width: int | None = min(
        max((len(str(r[flat.n_index - 1])) for r in flat.body), default=4), 26)
    columns = max(flat.width - flat.n_index, 1)
    if label_width and label_width + 8 * columns + 4 > width:
        label_width = None
    fold = max((width - (label_width or 14) - 4) // columns - 3, 4)
    for col in range(grouped, flat.width):
        parts = [row[col] for row in flat.header if row[col]]
        header = "\n".join(dict.fromkeys(parts))
        if col >= flat.n_index:
            header = "\n".join(fold_words(line, fold) for line in header.split("\n"))
        table.add_column(Text(shown(header)),
                         justify="right" if flat.numeric[col] else "left",
                         overflow="ellipsis", style="bold" if col < flat.n_index else None,
                         min_width=label_width if col == flat.n_index - 1 else None)
    previous: tuple[Any, ...] | None = None
    for row in flat.body:
        group = tuple(row[:grouped])
        if grouped and group != previous:
            if previous is not None:
                table.add_section()
            label = " · ".join(str(g) for g in group if g not in (None, ""))
            table.add_row(Text(shown(label), style="bold italic"),
                          *[""] * (flat.width - grouped - 1))
            previous = group
        cells = [Text(shown(format_cell(value, display.cell_kind)),
                      style="dim" if flat.numeric[col] and value == 0 else "")
                 for col, value in enumerate(row) if col >= grouped]
        table.add_row(*cells)
    if display.notes:
        table.caption = Text(shown("\n".join(display.notes)))
        table.caption_justify = "left"
    return table


def _written(paths: list[Path], lang: str) -> None:
    for path in paths:
        console().print(_("written: {path}", lang=lang).format(path=shown(path.resolve())),
                        markup=False, soft_wrap=True)


def print_display(display: Display) -> None:
    """Print a display as a rich table fitted to the terminal."""
    out = console()
    out.print(display_table(display, out.width))


def _check_out(out: Path, force: bool) -> None:
    """A table or figure path that can be written (checked before the work)."""
    from qualcode.core.export import FIGURE_FORMATS, TABLE_FORMATS, check_target

    check_target(out, TABLE_FORMATS + FIGURE_FORMATS, force=force)


def _write(display: Display, out: Path, force: bool, paper: str) -> list[Path]:
    from qualcode.core.export import FIGURE_FORMATS, export_chart, export_displays

    if out.suffix.lower().lstrip(".") in FIGURE_FORMATS:
        return [export_chart(display, out, force=force)]
    return export_displays([display], out, force=force, paper=paper)


def matrix_cmd(
    kind: Annotated[str, typer.Argument(
        help="Display: clustered, role, triangulation, cooccurrence, frequency, summaries, "
             "operationalisation, checklist, retrieval.")],
    project: ProjectOpt = None,
    cell: Annotated[str | None, typer.Option(
        help="Cell content: counts, valence, presence, summaries or quotes.")] = None,
    codebook: CodebookOpt = None,
    coder: CoderOpt = None,
    coders: CodersOpt = None,
    consensus: ConsensusOpt = False,
    by: Annotated[str | None, typer.Option(
        help="clustered: an informant attribute (gender, tenure ...) to order cases by; "
             "triangulation: kind or informant; frequency: code, kind or valence.")] = None,
    where: Annotated[list[str] | None, typer.Option(
        help="clustered, role: only informants with attribute NAME=VALUE; repeatable.")] = None,
    measure: Annotated[str | None, typer.Option(
        help="cooccurrence: count or c (c-coefficient).")] = None,
    mode: Annotated[str | None, typer.Option(
        help="cooccurrence: overlap or segment.")] = None,
    out: OutOpt = None,
    force: ForceOpt = False,
    paper: PaperOpt = None,
    lang: LangOpt = "",
) -> None:
    """Show a Miles & Huberman display, or write it (.csv .xlsx .docx .tex .md) or draw it
    (.png .svg .pdf: a heat map of a matrix, bars of frequencies, the co-occurrence network).

    Counts credit each coding to the informant of the speaker turn it lies in; codings on
    interviewer turns are not counted (a footnote says how many).

    Example: `qualcode matrix role --cell valence --out role.docx --lang en`;
    figure: `qualcode matrix clustered --cell valence --out clustered.png`;
    case-ordered: `qualcode matrix clustered --by gender --where education=S2`
    """
    coder = coder_choice(coder, coders, consensus)
    resolve_name(kind)
    if out is not None:
        _check_out(out, force)
    with open_project(project) as proj:
        display = build_display(proj, kind, lang, cell=cell, codebook=codebook, coder=coder,
                                by=by, where=tuple(where) if where else None, measure=measure,
                                mode=mode)
        size = paper_choice(proj, paper) if out is not None else "a4"
    if out is None:
        print_display(display)
    else:
        _written(_write(display, out, force, size), lang)


def print_report(report: ResultsReport) -> None:
    """Per code: verdict, proposed verdict, +/− counts, checklist; then the closing summary."""
    from rich.markup import escape

    from qualcode.core.export.labels import balance_text, status_word, word

    def safe(value: Any) -> str:
        return escape(shown(value))

    out, lang = console(), report.lang
    out.print(f"[bold]{safe(report.title)}[/]")
    if report.covers:
        out.print(shown(report.covers), markup=False, highlight=False)
    if report.methods:
        out.print(shown(report.methods), markup=False, highlight=False)
    for number, sec in enumerate(report.sections, start=1):
        out.print(f"\n[bold]{number}. {safe(sec.code_label)}[/] ({safe(sec.code_key)})")
        if sec.statement:
            out.print(f"  {shown(sec.statement)}", highlight=False, markup=False)
        verdict = safe(sec.verdict_label or word("not_decided", lang))
        who = f", {word('decided_by', lang)} {safe(sec.decided_by)}" if sec.decided_by else ""
        out.print(f"  {word('verdict', lang)}: [bold]{verdict}[/] "
                  f"({status_word(sec.status, lang)}{who})")
        out.print(f"  {word('proposed', lang)}: {safe(sec.proposed_verdict_label or '–')} "
                  f"({balance_text(sec, lang)})")
        if sec.proposal_counts:
            out.print(f"  {shown(sec.proposal_counts)}", markup=False, highlight=False)
        for item in sec.checklist:
            mark = "[green]✓[/]" if item.ok else "[red]✗[/]"
            out.print(f"    {mark} {safe(item.label)}: {safe(item.detail)}", highlight=False)
    if report.closing_summary:
        out.print(f"\n[bold]{word('summary', lang)}[/]\n{safe(report.closing_summary)}")


def conclusions_cmd(
    project: ProjectOpt = None,
    codebook: CodebookOpt = None,
    coder: CoderOpt = None,
    coders: CodersOpt = None,
    consensus: ConsensusOpt = False,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the report as a results section (.md .docx .tex).")] = None,
    force: ForceOpt = False,
    paper: PaperOpt = None,
    lang: LangOpt = "",
) -> None:
    """Conclusions per code of every active codebook and the emergent codes (or one codebook with
    -c): verdict, proposed verdict with the informants and codings behind it, and the checks.

    Example: `qualcode conclusions -c sobandi-2008 --out results.docx --lang en`
    """
    coder = coder_choice(coder, coders, consensus)
    from qualcode.core.analysis.conclusions import build_report
    from qualcode.core.export import REPORT_FORMATS, check_target, export_report

    if out is not None:
        check_target(out, REPORT_FORMATS, force=force)   # fail before the work
    with open_project(project) as proj:
        report = build_report(proj, codebook=codebook, lang=lang, coder=coder)
        size = paper_choice(proj, paper) if out is not None else "a4"
    if out is None:
        print_report(report)
    else:
        _written([export_report(report, out, force=force, paper=size)], lang)


def selected_names(what: list[str] | None, fmt: str) -> list[str]:
    """Display names from --what (repeatable or comma-separated; `all` = every display)."""
    names = [n for item in what or ["all"] for n in item.split(",") if n.strip()]
    if any(n.strip().lower() == "all" for n in names):
        listing = fmt in ("xlsx", "csv")
        return [n for n in display_names() if listing or n not in LISTING_ONLY]
    return list(dict.fromkeys(resolve_name(n) for n in names))


def export_cmd(
    out_file: Annotated[Path, typer.Argument(
        help="Output file: .xlsx (a sheet per display), .docx, .md, .tex or .csv (one file "
             "per display); .qdpx (the whole project, REFI-QDA) or .qdc (its codebooks).")],
    what: Annotated[list[str] | None, typer.Option(
        help="Displays to export (repeatable or comma-separated): all, clustered, role, "
             "triangulation, cooccurrence, frequency, summaries, operationalisation, checklist, "
             "retrieval. `all` leaves the long retrieval listing to .xlsx/.csv.")] = None,
    project: ProjectOpt = None,
    cell: Annotated[str | None, typer.Option(
        help="Cell content of clustered/role matrices (default: counts, and +/− for "
             "clustered).")] = None,
    codebook: CodebookOpt = None,
    coder: CoderOpt = None,
    coders: CodersOpt = None,
    consensus: ConsensusOpt = False,
    lang: LangOpt = "",
    crlf: Annotated[bool, typer.Option(
        help=".qdpx: write CRLF line ends and count positions in that text (for programs "
             "that expect Windows text).")] = False,
    force: ForceOpt = False,
    paper: PaperOpt = None,
    figures: Annotated[bool, typer.Option(
        "--figures", help=".docx and .tex: follow each matrix, frequency table and "
                          "co-occurrence table with its figure (Gambar / Figure N); .tex "
                          "writes them as PDF files into STEM-figures/ beside it.")] = False,
) -> None:
    """Export the displays for a paper: every display (or --what) into one file; or the
    project for other QDA programs (.qdpx), or its codebooks (.qdc).

    Example: `qualcode export tables.xlsx --what clustered,role,cooccurrence --lang en`
    (or `qualcode export study.qdpx`, `qualcode export codebook.qdc`)
    """
    coder = coder_choice(coder, coders, consensus)
    from qualcode.core.analysis.display import DISPLAYS
    from qualcode.core.export import TABLE_FORMATS, check_target, export_displays

    if out_file.suffix.lower() in (".qdpx", ".qdc"):
        from qualcode.cli.exchange import write_exchange

        check_target(out_file, ("qdpx", "qdc"), force=force)
        with open_project(project) as proj:
            write_exchange(proj, out_file, codebook=codebook, crlf=crlf, force=force)
        return
    fmt = check_target(out_file, TABLE_FORMATS, force=force)
    names = selected_names(what, fmt)
    from qualcode.core.analysis.shared_reads import shared_reads

    with open_project(project) as proj, shared_reads(proj):
        displays = []
        for name in names:
            variants = VARIANTS.get(name, [{}])
            if cell is not None and "cell" in variants[0]:
                variants = [{"cell": cell}]
            # whose codings count goes to every display that counts codings (summaries and
            # the operationalisation table count none)
            counts = "coder" in inspect.signature(DISPLAYS[resolve_name(name)]).parameters
            for options in variants:
                displays.append(build_display(proj, name, lang, codebook=codebook,
                                              coder=coder if counts else None, **options))
        size = paper_choice(proj, paper)
    _written(export_displays(displays, out_file, force=force, paper=size, figures=figures),
             lang)


def chart_cmd(
    project: ProjectOpt = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write a figure (.png .svg .pdf) instead of the terminal chart.")
    ] = None,
    force: ForceOpt = False,
    kind: Annotated[str, typer.Option(
        help="valence (code frequencies by valence) or network (co-occurrence).")] = "valence",
    codebook: CodebookOpt = None,
    coder: CoderOpt = None,
    coders: CodersOpt = None,
    consensus: ConsensusOpt = False,
    lang: LangOpt = "",
) -> None:
    """Chart code frequencies by valence (+ / 0 / −) in the terminal, or write a figure.

    Example: `qualcode chart --out valence.svg --lang en`
    """
    coder = coder_choice(coder, coders, consensus)
    from qualcode.core.export import FIGURE_FORMATS, check_target, export_chart

    if kind not in ("valence", "network"):
        raise QualcodeError(N_("unknown chart kind {kind!r}"),
                            hint=N_("use --kind valence or network"), kind=kind)
    if out is not None:
        check_target(out, FIGURE_FORMATS, force=force)
    elif kind == "network":
        raise QualcodeError(N_("the network chart is a figure: give --out FILE.png or .svg"),
                            hint=N_("or see the numbers with `qualcode matrix cooccurrence`"))
    with open_project(project) as proj:
        if kind == "network":
            display = build_display(proj, "cooccurrence", lang, codebook=codebook, coder=coder)
        else:
            display = build_display(proj, "frequency", lang, by="valence", codebook=codebook,
                                    coder=coder)
    if out is not None:
        _written([export_chart(display, out, kind=kind, force=force)], lang)
        return
    from qualcode.core.export.figures import valence_counts
    from qualcode.core.export.terminal_chart import rich_chart

    console().print(rich_chart(valence_counts(display), lang=lang))


def _codebook_spec(name: str) -> Any:
    from qualcode.core.codebooks import find_codebook, load_codebook

    return load_codebook(find_codebook(name))


def optable_cmd(
    codebook: Annotated[str, typer.Argument(
        help="Codebook key (in the project, or bundled) or a codebook YAML file.")],
    project: ProjectOpt = None,
    out: OutOpt = None,
    force: ForceOpt = False,
    paper: PaperOpt = None,
    lang: LangOpt = "",
) -> None:
    """The study's operationalisation table: focus, characteristics, parameters, data sources.

    Without --project it is read from a bundled codebook or YAML file, so it can go into a
    proposal before any interview.

    Example: `qualcode optable sobandi-2008 --out operasional.docx`
    """
    from qualcode.core.analysis.operationalisation import operationalisation_table
    from qualcode.core.export import paper_size

    if out is not None:
        _check_out(out, force)
    size = paper_size(paper)
    if project is not None:
        with open_project(project) as proj:
            display = operationalisation_table(proj, codebook, lang)
            size = paper_choice(proj, paper)
    else:
        try:
            spec = _codebook_spec(codebook)
        except QualcodeError:
            if not list(Path.cwd().glob("*.qualcode")):
                raise
            with open_project(None) as proj:
                display = operationalisation_table(proj, codebook, lang)
                size = paper_choice(proj, paper)
        else:
            display = operationalisation_table(spec, codebook, lang)
    if out is None:
        print_display(display)
    else:
        _written(_write(display, out, force, size), lang)
