"""Rendering of CLI output with rich: project summary, tables of sources, segments, codings."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rich.markup import escape
from rich.table import Table

from qualcode.i18n import _

if TYPE_CHECKING:
    from rich.console import Console

    from qualcode.core.codebooks import CodebookSpec
    from qualcode.core.models import Source
    from qualcode.core.store import CodingRow, ImportReport, Project
    from qualcode.core.store.read import Reader


def print_summary(out: Console, project: Project, *, lang: str = "id") -> None:
    """The project at a glance: counts, sources by informant, codebooks."""
    counts = project.counts()
    out.print(f"[bold]qualcode project[/] {project.url}")
    out.print(", ".join(f"{v} {k}" for k, v in counts.items()))
    print_sources(out, project.reader)
    table = Table(title="Codebooks")
    for col in ("key", "title", "codes", "active"):
        table.add_column(col)
    for book in project.codebooks():
        title = book.title_en if lang == "en" else book.title_id
        table.add_row(book.key, title, str(len(project.codes(book.key))),
                      "yes" if book.active else "no")
    out.print(table)


def print_sources(out: Console, reader: Reader, *, archived: bool = False) -> None:
    """Sources with informant, role, kind, language, segments and codings (all coders)."""
    from qualcode.core.store.listing import source_rows

    table = Table(title="Sources",
                  caption=_("codings: the codings of every coder, added together"))
    for col in ("id", "name", "v", "kind", "informant", "role", "lang", "segments", "codings"):
        table.add_column(col, justify="right" if col in ("id", "v", "segments", "codings")
                         else "left")
    for src in source_rows(reader, archived=archived):
        table.add_row(str(src.id), escape(src.name), str(src.version), src.kind,
                      escape(src.informant) if src.informant else "-", src.role or "-",
                      src.language, str(src.segments), str(src.codings))
    out.print(table)


def print_informants(out: Console, reader: Reader) -> None:
    """Informants with role, unit and their number of (current) sources."""
    from qualcode.core.store.listing import informant_rows

    table = Table(title="Informants")
    for col in ("id", "pseudonym", "role", "unit", "sources"):
        table.add_column(col)
    for inf in informant_rows(reader):
        table.add_row(str(inf.id), escape(inf.pseudonym), escape(inf.role), escape(inf.unit),
                      str(inf.sources))
    out.print(table)


def print_segments(out: Console, project: Project, source: Source, start: int,
                   limit: int) -> None:
    """A window of a source's segments."""
    assert source.id is not None
    table = Table(title=f"{source.name} (v{source.version})")
    for col in ("id", "#", "speaker", "offsets", "text"):
        table.add_column(col, overflow="fold")
    for seg in project.segments(source.id, start, limit):
        table.add_row(str(seg.id), str(seg.index), escape(seg.speaker or ""),
                      f"{seg.start}-{seg.end}", escape(source.text[seg.start:seg.end]))
    out.print(table)


CODING_FIELDS = ("id", "source", "start", "end", "code", "code_label", "valence", "coder",
                 "informant", "role", "kind", "note", "excerpt")


def print_codings(out: Console, rows: Iterable[CodingRow], fmt: str) -> None:
    """Codings as a table, CSV or JSON (CSV/JSON go to stdout unstyled, written as read)."""
    if fmt == "csv":
        write_codings_csv(rows, sys.stdout)
        return
    if fmt == "json":
        write_codings_json(rows, sys.stdout)
        return
    rows = list(rows)
    table = Table(title=f"{len(rows)} codings")
    for col in ("id", "source", "code", "±", "coder", "informant", "excerpt"):
        table.add_column(col, overflow="fold")
    for r in rows:
        excerpt = r.excerpt if len(r.excerpt) < 160 else r.excerpt[:157] + "..."
        table.add_row(str(r.id), escape(r.source), r.code, r.valence, escape(r.coder),
                      escape(r.informant or "-"), escape(excerpt))
    out.print(table)


def write_codings_csv(rows: Iterable[CodingRow], stream: TextIO) -> None:
    """Codings as CSV with a header line, one row written per row read."""
    writer = csv.writer(stream)
    writer.writerow(CODING_FIELDS)
    for r in rows:
        writer.writerow([getattr(r, f) for f in CODING_FIELDS])


def write_codings_json(rows: Iterable[CodingRow], stream: TextIO) -> None:
    """Codings as a JSON array laid out as `json.dump(..., indent=1)` writes it, one object at
    a time (values through the C encoder: the indenting one is pure Python and slow)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    stream.write("[")
    sep = "\n {\n  "
    for r in rows:
        stream.write(sep + ",\n  ".join(f'"{f}": {encode(getattr(r, f))}' for f in CODING_FIELDS)
                     + "\n }")
        sep = ",\n {\n  "
    stream.write("]\n" if sep == "\n {\n  " else "\n]\n")


def print_codebook_spec(out: Console, spec: CodebookSpec, lang: str) -> None:
    """A codebook file's codes, indicators and shortcuts."""
    out.print(f"[bold]{spec.title.get(lang)}[/] — {spec.citation}")
    table = Table()
    for col in ("key", "key ⌨", "label", "indicators"):
        table.add_column(col, overflow="fold")
    for code, parent in spec.iter_codes():
        label = ("  " if parent else "") + code.label.get(lang)
        inds = "\n".join(f"{i.key}: {i.label.get(lang)}" for i in code.indicators)
        table.add_row(code.key, code.shortcut or "", label, inds)
    out.print(table)
    out.print("scale: " + " > ".join(lv.label.get(lang) for lv in spec.scale))


def print_project_codebook(out: Console, reader: Reader, key: str, lang: str,
                           coder: str | None = None) -> None:
    """A codebook as the project holds it (with emergent codes and coding counts of every
    coder, or of one)."""
    from qualcode.core.store.listing import code_coding_counts
    from qualcode.core.store.read import code_rows, codebook_rows
    from qualcode.errors import NotFoundError

    book = next((b for b in codebook_rows(reader) if b.key == key), None)
    if book is None:
        raise NotFoundError(f"no codebook {key!r} in this project",
                            hint="see `qualcode codebook list`")
    used = code_coding_counts(reader, coder)
    whose = (_("codings: by {coder}, on current source versions").format(coder=coder) if coder
             else _("codings: the codings of every coder on current source versions, added "
                    "together"))
    table = Table(title=book.title_en if lang == "en" else book.title_id, caption=escape(whose))
    for col in ("key", "key ⌨", "label", "definition", "codings"):
        table.add_column(col, overflow="fold")
    for code in code_rows(reader):
        if code.codebook_id == book.id:
            table.add_row(code.key, code.shortcut or "", code.label(lang),
                          code.definition(lang), str(used.get(code.id, 0)))
    out.print(table)


def import_with_progress(out: Console, project: Project, paths: Sequence[Path],
                         manifest: dict[str, dict[str, Any]] | None,
                         overrides: dict[str, Any], replace: bool) -> ImportReport:
    """Import with a progress bar on batches; one line per file that failed."""
    from rich.progress import Progress

    with Progress(console=out, transient=True, disable=len(paths) < 2) as progress:
        task = progress.add_task("importing", total=len(paths))

        def tick(n: int, total: int, path: Path) -> None:
            progress.update(task, completed=n - 1, description=f"importing {path.name}")

        report = project.import_files(paths, manifest=manifest, overrides=overrides,
                                      replace=replace, progress=tick)
        progress.update(task, completed=len(paths))
    for o in report.outcomes:
        if o.status == "error":
            out.print(f"[red]error[/]: {escape(o.message)}", soft_wrap=True)
        elif o.status == "imported":
            out.print(f"imported {escape(o.path.name)}: {o.segments} segments", soft_wrap=True)
        elif o.status == "replaced":
            out.print(f"replaced {escape(o.path.name)}: {escape(o.message)}", soft_wrap=True)
        else:
            out.print(f"unchanged {escape(o.path.name)}", soft_wrap=True)
    out.print(f"{report.count('imported')} imported, {report.count('replaced')} replaced, "
              f"{report.count('unchanged')} unchanged, {report.count('error')} failed")
    return report
