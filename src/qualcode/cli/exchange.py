"""REFI-QDA exchange on the command line: `import-project`, `codebook export` / `convert`.

`qualcode export FILE.qdpx|.qdc` is the analysis `export` command, which hands these two
suffixes to `write_exchange` here; `codebook import` hands .qdc and .csv files to
`import_codebook_files`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from qualcode.cli.common import ForceOpt, ProjectOpt, console, open_project
from qualcode.errors import QualcodeError
from qualcode.i18n import N_, _

if TYPE_CHECKING:
    from qualcode.core.exchange.qdpx_build import ProjectImport

EXCHANGE_SUFFIXES = (".qdpx", ".qdc")


def register(app: typer.Typer) -> None:
    """Attach `import-project`, and `export` / `convert` to the codebook group."""
    from qualcode.cli.codebook import codebook_app

    app.command("import-project")(import_project_cmd)
    codebook_app.command("export")(codebook_export_cmd)
    codebook_app.command("convert")(codebook_convert_cmd)


def _check_new_file(path: Path, suffixes: tuple[str, ...], force: bool) -> None:
    from qualcode.core.export import check_target

    check_target(path, [s.lstrip(".") for s in suffixes], force=force)


def write_exchange(project: Any, out: Path, *, codebook: str | None, crlf: bool,
                   force: bool = False) -> None:
    """Write the project as .qdpx, or its codebooks as .qdc; print what was written."""
    if out.suffix.lower() == ".qdpx":
        from qualcode.core.exchange.qdpx_write import export_qdpx

        if codebook:
            raise QualcodeError(N_("--codebook does not apply to a .qdpx project export"),
                                hint=N_("a .qdpx holds the whole project"))
        summary = export_qdpx(project, out, crlf=crlf, force=force)
        counts = ", ".join(f"{v} {k}" for k, v in summary.counts.items())
        console().print(_("written: {path} ({counts})").format(path=out, counts=counts))
        if summary.replaced:
            console().print(_("warning: {n} control characters that XML cannot hold were "
                              "written as \ufffd").format(n=summary.replaced))
        if summary.archived:
            console().print(_("{n} archived source versions were left out (only the current "
                              "versions are exported)").format(n=summary.archived))
        return
    from qualcode.core.exchange.csv_codebook import write_codebook_file

    write_codebook_file(project_specs(project, codebook), out, force=force)
    console().print(_("written: {path}").format(path=out))


def project_specs(project: Any, codebook: str | None) -> list[Any]:
    """The project's codebooks (or the one named) as specs."""
    from qualcode.core.exchange.qdc import specs_from_project

    specs = specs_from_project(project)
    if codebook:
        specs = [s for s in specs if s.key == codebook]
        if not specs:
            raise QualcodeError(N_("no codebook {key!r} in this project"),
                                hint=N_("see `qualcode codebook list`"),
                                key=codebook)
    return [s for s in specs if s.codes]


def import_codebook_files(project: Any, paths: list[Path]) -> None:
    """Add .qdc / .csv codebooks to the project, printing each and its warnings."""
    from qualcode.core.exchange.csv_codebook import read_csv_codebook
    from qualcode.core.exchange.qdc_read import add_specs, import_qdc

    for path in paths:
        if path.suffix.lower() == ".qdc":
            read = import_qdc(project, path)
            specs, warnings = read.specs, read.warnings
        else:
            specs, warnings = read_csv_codebook(path), []
            add_specs(project, specs)
        for spec in specs:
            console().print(_("codebook {key}: {n} codes").format(
                key=spec.key, n=sum(1 for _c in spec.iter_codes())))
        for warning in warnings:
            console().print(_("note: {text}").format(text=warning), markup=False)


def print_import(result: ProjectImport) -> None:
    """Counts, warnings and the list of what could not be imported."""
    out = console()
    counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    out.print(_("created {path}: {counts}").format(path=result.path, counts=counts),
              markup=False)
    for warning in result.warnings:
        out.print(_("warning: {text}").format(text=warning), markup=False)
    if result.not_imported:
        out.print(_("not imported (qualcode cannot hold these):"))
        for item in result.not_imported:
            out.print(f"  - {item}", markup=False)


def import_project_cmd(
    qdpx: Annotated[Path, typer.Argument(help="The REFI-QDA project (.qdpx) to import.")],
    target: Annotated[Path, typer.Argument(help="The new project file to create.")],
) -> None:
    """Import a REFI-QDA project (.qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder, qc ...)
    into a new qualcode project; what qualcode cannot hold is listed.

    Example: `qualcode import-project thesis.qdpx thesis.qualcode`
    """
    from qualcode.core.exchange.qdpx_build import import_qdpx

    print_import(import_qdpx(qdpx, target))


def codebook_export_cmd(
    out: Annotated[Path, typer.Argument(help="Output: .qdc (REFI-QDA), .csv or .yaml.")],
    project: ProjectOpt = None,
    codebook: Annotated[str | None, typer.Option(
        "--codebook", "-c", help="Only this codebook (needed for .yaml).")] = None,
    force: ForceOpt = False,
) -> None:
    """Write the project's codebooks as REFI-QDA .qdc, CSV (key, parent, label, definition)
    or a YAML codebook.

    Example: `qualcode codebook export codes.qdc -p study.qualcode`
    """
    from qualcode.core.exchange.csv_codebook import codebook_format

    codebook_format(out)
    _check_new_file(out, (out.suffix,), force)
    with open_project(project) as proj:
        write_exchange(proj, out, codebook=codebook, crlf=False, force=force)


def codebook_convert_cmd(
    source: Annotated[Path, typer.Argument(help="A codebook: .yaml, .qdc or .csv.")],
    out: Annotated[Path, typer.Argument(help="The file to write: .yaml, .qdc or .csv.")],
    force: ForceOpt = False,
) -> None:
    """Convert a codebook file between YAML, REFI-QDA .qdc and CSV (no project needed).

    Example: `qualcode codebook convert sobandi-2008.yaml sobandi.qdc`
    """
    from qualcode.core.codebooks import find_codebook
    from qualcode.core.exchange.csv_codebook import (
        codebook_format,
        read_codebook_file,
        write_codebook_file,
    )

    codebook_format(out)
    _check_new_file(out, (out.suffix,), force)
    path = source if source.suffix.lower() in (".qdc", ".csv") else find_codebook(str(source))
    write_codebook_file(read_codebook_file(Path(path)), out, force=force)
    console().print(_("written: {path}").format(path=out))
