"""Rendering of CLI output with rich: project summary, tables of sources, segments, codings."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from qualcode.core.analysis.labels import kind_label, role_label
from qualcode.i18n import N_, _

if TYPE_CHECKING:
    from rich.console import Console

    from qualcode.core.codebooks import CodebookSpec
    from qualcode.core.models import Source
    from qualcode.core.store import CodingRow, ImportReport, Project


def print_summary(out: Console, project: Project, *, lang: str = "id") -> None:
    """The project at a glance: counts, sources by informant, codebooks."""
    counts = project.counts()
    out.print(_("[bold]qualcode project[/] {url}").format(url=project.url))
    out.print(_("{sources} sources, {informants} informants, {codings} codings").format(
        sources=counts["sources"], informants=counts["informants"], codings=counts["codings"]))
    print_sources(out, project)
    table = Table(title=_("Codebooks"))
    add_columns(table, (N_("key"), N_("title"), N_("codes"), N_("active")))
    for book in project.codebooks():
        title = book.title_en if lang == "en" else book.title_id
        table.add_row(book.key, title, str(len(project.codes(book.key))),
                      _("yes") if book.active else _("no"))
    out.print(table)


def add_columns(table: Table, names: Sequence[str], **options: Any) -> None:
    """Columns headed by `names` (English message ids) in the current language."""
    for name in names:
        table.add_column(_(name), **options)


def print_sources(out: Console, project: Project, *, archived: bool = False) -> None:
    """Sources with informant, role, kind, language, segments and codings."""
    informants = {i.id: i for i in project.informants()}
    table = Table(title=_("Sources"))
    for col in (N_("id"), N_("name"), N_("v"), N_("kind"), N_("informant"), N_("role"),
                N_("lang"), N_("segments"), N_("codings")):
        table.add_column(_(col), justify="right" if col in ("id", "v", "segments", "codings")
                         else "left")
    coded = Counter(row.source_id for row in project.codings())
    for src in project.sources(include_archived=archived):
        inf = informants.get(src.informant_id) if src.informant_id else None
        assert src.id is not None
        table.add_row(str(src.id), escape(src.name), str(src.version), kind_label(src.kind),
                      escape(inf.pseudonym) if inf else "-",
                      escape(role_label(inf.role)) if inf and inf.role else "-", src.language,
                      str(len(project.segments(src.id))), str(coded.get(src.id, 0)))
    out.print(table)


def print_informants(out: Console, project: Project) -> None:
    """Informants with role, unit and their number of sources."""
    per = Counter(s.informant_id for s in project.sources())
    table = Table(title=_("Informants"))
    add_columns(table, (N_("id"), N_("pseudonym"), N_("role"), N_("unit"), N_("sources")))
    for inf in project.informants():
        role = role_label(inf.role) if inf.role else ""
        table.add_row(str(inf.id), escape(inf.pseudonym), escape(role), escape(inf.unit),
                      str(per.get(inf.id, 0)))
    out.print(table)


def print_segments(out: Console, project: Project, source: Source, start: int,
                   limit: int) -> None:
    """A window of a source's segments."""
    assert source.id is not None
    table = Table(title=f"{source.name} (v{source.version})")
    add_columns(table, (N_("id"), "#", N_("speaker"), N_("offsets"), N_("text")),
                overflow="fold")
    for seg in project.segments(source.id, start, limit):
        table.add_row(str(seg.id), str(seg.index), escape(seg.speaker or ""),
                      f"{seg.start}-{seg.end}", escape(source.text[seg.start:seg.end]))
    out.print(table)


def print_codings(out: Console, rows: Sequence[CodingRow], fmt: str) -> None:
    """Codings as a table, CSV or JSON (CSV/JSON go to stdout unstyled)."""
    fields = ["id", "source", "start", "end", "code", "code_label", "valence", "coder",
              "informant", "role", "kind", "note", "excerpt"]
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(fields)
        for r in rows:
            writer.writerow([getattr(r, f) for f in fields])
        return
    if fmt == "json":
        json.dump([{f: getattr(r, f) for f in fields} for r in rows], sys.stdout,
                  ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    table = Table(title=_("{n} codings").format(n=len(rows)))
    add_columns(table, (N_("id"), N_("source"), N_("code"), "±", N_("coder"), N_("informant"),
                        N_("excerpt")), overflow="fold")
    for r in rows:
        excerpt = r.excerpt if len(r.excerpt) < 160 else r.excerpt[:157] + "..."
        table.add_row(str(r.id), escape(r.source), r.code, r.valence, escape(r.coder),
                      escape(r.informant or "-"), escape(excerpt))
    out.print(table)


def print_codebook_spec(out: Console, spec: CodebookSpec, lang: str) -> None:
    """A codebook file's codes, indicators and shortcuts."""
    out.print(f"[bold]{spec.title.get(lang)}[/] — {spec.citation}")
    table = Table()
    add_columns(table, (N_("key"), N_("key ⌨"), N_("label"), N_("indicators")),
                overflow="fold")
    for code, parent in spec.iter_codes():
        label = ("  " if parent else "") + code.label.get(lang)
        inds = "\n".join(f"{i.key}: {i.label.get(lang)}" for i in code.indicators)
        table.add_row(code.key, code.shortcut or "", label, inds)
    out.print(table)
    out.print(_("scale: {levels}").format(levels=" > ".join(lv.label.get(lang)
                                                              for lv in spec.scale)))


def print_project_codebook(out: Console, project: Project, key: str, lang: str) -> None:
    """A codebook as the project holds it (with emergent codes and coding counts)."""
    book = project.get_codebook(key)
    used = Counter(r.code for r in project.codings())
    table = Table(title=book.title_en if lang == "en" else book.title_id)
    add_columns(table, (N_("key"), N_("key ⌨"), N_("label"), N_("definition"), N_("codings")),
                overflow="fold")
    for code in project.codes(key):
        table.add_row(code.key, code.shortcut or "", code.label(lang), code.definition(lang),
                      str(used.get(code.key, 0)))
    out.print(table)


def import_with_progress(out: Console, project: Project, paths: Sequence[Path],
                         manifest: dict[str, dict[str, Any]] | None,
                         overrides: dict[str, Any], replace: bool) -> ImportReport:
    """Import with a progress bar on batches; one line per file that failed."""
    from rich.progress import Progress

    with Progress(console=out, transient=True, disable=len(paths) < 2) as progress:
        task = progress.add_task(_("importing"), total=len(paths))

        def tick(n: int, total: int, path: Path) -> None:
            progress.update(task, completed=n - 1,
                            description=_("importing {name}").format(name=path.name))

        report = project.import_files(paths, manifest=manifest, overrides=overrides,
                                      replace=replace, progress=tick)
        progress.update(task, completed=len(paths))
    for o in report.outcomes:
        if o.status == "error":
            out.print(_("[red]error[/]: {message}").format(message=escape(o.text())),
                      soft_wrap=True)
        elif o.status == "imported":
            out.print(_("imported {name}: {n} segments").format(name=escape(o.path.name),
                                                                n=o.segments), soft_wrap=True)
        elif o.status == "replaced":
            out.print(_("replaced {name}: {message}").format(name=escape(o.path.name),
                                                             message=escape(o.text())),
                      soft_wrap=True)
        else:
            out.print(_("unchanged {name}").format(name=escape(o.path.name)), soft_wrap=True)
    out.print(_("{imported} imported, {replaced} replaced, {unchanged} unchanged, {failed} failed")
              .format(imported=report.count("imported"), replaced=report.count("replaced"),
                      unchanged=report.count("unchanged"), failed=report.count("error")))
    return report
