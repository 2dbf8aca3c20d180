"""Rendering of CLI output with rich: project summary, tables of sources, segments, codings."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from qualcode.core.inert import shown, spreadsheet_text

if TYPE_CHECKING:
    from rich.console import Console

    from qualcode.core.codebooks import CodebookSpec
    from qualcode.core.models import Source
    from qualcode.core.store import CodingRow, ImportReport, Project


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(value: Any) -> str:
    """Text from a project or a file, inert on a terminal: markup and control characters
    escaped (see `qualcode.core.inert.shown`)."""
    return escape(shown(value))


def print_summary(out: Console, project: Project, *, lang: str = "id") -> None:
    """The project at a glance: counts, sources by informant, codebooks."""
    counts = project.counts()
    out.print(f"[bold]qualcode project[/] {safe(project.url)}")
    out.print(", ".join(f"{v} {k}" for k, v in counts.items()))
    print_sources(out, project)
    table = Table(title="Codebooks")
    for col in ("key", "title", "codes", "active"):
        table.add_column(col)
    for book in project.codebooks():
        title = book.title_en if lang == "en" else book.title_id
        table.add_row(safe(book.key), safe(title), str(len(project.codes(book.key))),
                      "yes" if book.active else "no")
    out.print(table)


def print_sources(out: Console, project: Project, *, archived: bool = False) -> None:
    """Sources with informant, role, kind, language, segments and codings."""
    informants = {i.id: i for i in project.informants()}
    table = Table(title="Sources")
    for col in ("id", "name", "v", "kind", "informant", "role", "lang", "segments", "codings"):
        table.add_column(col, justify="right" if col in ("id", "v", "segments", "codings")
                         else "left")
    coded = Counter(row.source_id for row in project.codings())
    for src in project.sources(include_archived=archived):
        inf = informants.get(src.informant_id) if src.informant_id else None
        assert src.id is not None
        table.add_row(str(src.id), safe(src.name), str(src.version), safe(src.kind),
                      safe(inf.pseudonym) if inf else "-", safe(inf.role) if inf else "-",
                      safe(src.language),
                      str(len(project.segments(src.id))), str(coded.get(src.id, 0)))
    out.print(table)


def print_informants(out: Console, project: Project) -> None:
    """Informants with role, unit and their number of sources."""
    per = Counter(s.informant_id for s in project.sources())
    table = Table(title="Informants")
    for col in ("id", "pseudonym", "role", "unit", "sources"):
        table.add_column(col)
    for inf in project.informants():
        table.add_row(str(inf.id), safe(inf.pseudonym), safe(inf.role), safe(inf.unit),
                      str(per.get(inf.id, 0)))
    out.print(table)


def print_segments(out: Console, project: Project, source: Source, start: int,
                   limit: int) -> None:
    """A window of a source's segments."""
    assert source.id is not None
    table = Table(title=f"{safe(source.name)} (v{source.version})")
    for col in ("id", "#", "speaker", "offsets", "text"):
        table.add_column(col, overflow="fold")
    for seg in project.segments(source.id, start, limit):
        table.add_row(str(seg.id), str(seg.index), safe(seg.speaker or ""),
                      f"{seg.start}-{seg.end}", safe(source.text[seg.start:seg.end]))
    out.print(table)


def print_codings(out: Console, rows: Sequence[CodingRow], fmt: str) -> None:
    """Codings as a table, CSV or JSON (CSV/JSON go to stdout unstyled)."""
    fields = ["id", "source", "start", "end", "code", "code_label", "valence", "coder",
              "informant", "role", "kind", "note", "excerpt"]
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(fields)
        # Data for a file keeps its text; on a terminal, controls are shown escaped.
        on_terminal = sys.stdout.isatty()
        for r in rows:
            values = [getattr(r, f) for f in fields]
            writer.writerow([spreadsheet_text(shown(v) if on_terminal and isinstance(v, str)
                                              else v) for v in values])
        return
    if fmt == "json":
        data = json.dumps([{f: getattr(r, f) for f in fields} for r in rows],
                          ensure_ascii=False, indent=1)
        # JSON escapes C0 controls itself; C1 controls and reordering marks too, here
        sys.stdout.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", data) + "\n")
        return
    table = Table(title=f"{len(rows)} codings")
    for col in ("id", "source", "code", "±", "coder", "informant", "excerpt"):
        table.add_column(col, overflow="fold")
    for r in rows:
        excerpt = r.excerpt if len(r.excerpt) < 160 else r.excerpt[:157] + "..."
        table.add_row(str(r.id), safe(r.source), safe(r.code), r.valence, safe(r.coder),
                      safe(r.informant or "-"), safe(excerpt))
    out.print(table)


def print_codebook_spec(out: Console, spec: CodebookSpec, lang: str) -> None:
    """A codebook file's codes, indicators and shortcuts."""
    out.print(f"[bold]{safe(spec.title.get(lang))}[/] — {safe(spec.citation)}")
    table = Table()
    for col in ("key", "key ⌨", "label", "indicators"):
        table.add_column(col, overflow="fold")
    for code, parent in spec.iter_codes():
        label = ("  " if parent else "") + code.label.get(lang)
        inds = "\n".join(f"{i.key}: {i.label.get(lang)}" for i in code.indicators)
        table.add_row(safe(code.key), safe(code.shortcut or ""), safe(label), safe(inds))
    out.print(table)
    out.print("scale: " + safe(" > ".join(lv.label.get(lang) for lv in spec.scale)))


def print_project_codebook(out: Console, project: Project, key: str, lang: str) -> None:
    """A codebook as the project holds it (with emergent codes and coding counts)."""
    book = project.get_codebook(key)
    used = Counter(r.code for r in project.codings())
    table = Table(title=safe(book.title_en if lang == "en" else book.title_id))
    for col in ("key", "key ⌨", "label", "definition", "codings"):
        table.add_column(col, overflow="fold")
    for code in project.codes(key):
        table.add_row(safe(code.key), safe(code.shortcut or ""), safe(code.label(lang)),
                      safe(code.definition(lang)),
                      str(used.get(code.key, 0)))
    out.print(table)


def import_with_progress(out: Console, project: Project, paths: Sequence[Path],
                         manifest: dict[str, dict[str, Any]] | None,
                         overrides: dict[str, Any], replace: bool) -> ImportReport:
    """Import with a progress bar on batches; one line per file that failed."""
    from rich.progress import Progress

    with Progress(console=out, transient=True, disable=len(paths) < 2) as progress:
        task = progress.add_task("importing", total=len(paths))

        def tick(n: int, total: int, path: Path) -> None:
            progress.update(task, completed=n - 1,
                            description=f"importing {safe(path.name)}")

        report = project.import_files(paths, manifest=manifest, overrides=overrides,
                                      replace=replace, progress=tick)
        progress.update(task, completed=len(paths))
    for o in report.outcomes:
        if o.status == "error":
            out.print(f"[red]error[/]: {safe(o.message)}", soft_wrap=True)
        elif o.status == "imported":
            out.print(f"imported {safe(o.path.name)}: {o.segments} segments", soft_wrap=True)
        elif o.status == "replaced":
            out.print(f"replaced {safe(o.path.name)}: {safe(o.message)}", soft_wrap=True)
        else:
            out.print(f"unchanged {safe(o.path.name)}", soft_wrap=True)
    out.print(f"{report.count('imported')} imported, {report.count('replaced')} replaced, "
              f"{report.count('unchanged')} unchanged, {report.count('error')} failed")
    return report
