"""Rendering of CLI output with rich: project summary, tables of sources, segments, codings."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from qualcode.core.analysis.labels import kind_label, role_label, speaker_summary
from qualcode.core.inert import shown, spreadsheet_text
from qualcode.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from rich.console import Console

    from qualcode.core.codebooks import CodebookSpec
    from qualcode.core.models import Source
    from qualcode.core.store import CodingRow, ImportReport, Project
    from qualcode.core.store.read import Reader


def add_columns(table: Table, *columns: str, right: Sequence[str] = ()) -> None:
    """Add columns headed by `columns` (English message ids, shown in the current language)
    that never split a word: text wraps between words, and a word longer than its column (a
    file name, a long pseudonym) ends in "…"."""
    for col in columns:
        justify: Literal["left", "right"] = "right" if col in right else "left"
        table.add_column(_(col), justify=justify, overflow="ellipsis")


def fit_columns(table: Table) -> Table:
    """Short columns (ids, counts, values of up to 6 cells) never shrink on a narrow terminal."""
    for column in table.columns:
        widest = max((Text.from_markup(c).cell_len if isinstance(c, str) else 9
                      for c in column._cells), default=0)
        if widest <= 6:
            column.min_width = widest
    return table


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(value: Any) -> str:
    """Text from a project or a file, inert on a terminal: markup and control characters
    escaped (see `qualcode.core.inert.shown`)."""
    return escape(shown(value))


def print_summary(out: Console, project: Project, *, lang: str = "id") -> None:
    """The project at a glance: counts, sources by informant, codebooks."""
    counts = project.counts()
    out.print(_("[bold]qualcode project[/] {url}").format(url=safe(project.location)))
    out.print(_("{sources} sources, {informants} informants, {codings} codings").format(
        sources=counts["sources"], informants=counts["informants"], codings=counts["codings"]))
    print_sources(out, project.reader)
    table = Table(title=_("Codebooks"))
    add_columns(table, N_("key"), N_("title"), N_("codes"), N_("active"))
    for book in project.codebooks():
        title = book.title_en if lang == "en" else book.title_id
        table.add_row(safe(book.key), safe(title), str(len(project.codes(book.key))),
                      _("yes") if book.active else _("no"))
    out.print(fit_columns(table))


def print_sources(out: Console, reader: Reader, *, archived: bool = False) -> None:
    """Sources with informant, role, kind, language, segments and codings (all coders)."""
    from qualcode.core.store.listing import source_rows

    table = Table(title=_("Sources"),
                  caption=_("codings: the codings of every coder, added together"))
    add_columns(table, N_("id"), N_("name"), N_("v"), N_("kind"), N_("informant"), N_("role"),
                N_("lang"), N_("segments"), N_("codings"),
                right=("id", "v", "segments", "codings"))
    for src in source_rows(reader, archived=archived):
        table.add_row(str(src.id), safe(src.name), str(src.version), safe(kind_label(src.kind)),
                      safe(src.informant) if src.informant else "-",
                      safe(role_label(src.role)) if src.role else "-",
                      safe(src.language), str(src.segments), str(src.codings))
    out.print(fit_columns(table))


def print_informants(out: Console, reader: Reader) -> None:
    """Informants with role, unit, attributes and the number of current sources crediting
    them (as the source's informant, a speaker's or an attributed passage's)."""
    from qualcode.core.store.listing import informant_rows

    table = Table(title=_("Informants"))
    add_columns(table, N_("id"), N_("pseudonym"), N_("role"), N_("unit"), N_("attributes"),
                N_("sources"))
    for inf in informant_rows(reader):
        attrs = ", ".join(f"{k}={v}" for k, v in sorted(inf.attributes.items()))
        role = role_label(inf.role) if inf.role else ""
        table.add_row(str(inf.id), safe(inf.pseudonym), safe(role), safe(inf.unit),
                      safe(attrs), str(inf.sources))
    out.print(fit_columns(table))


def print_speakers(out: Console, project: Project, source: str) -> None:
    """A source's speaker labels, their turns and whom each stands for."""
    src = project.get_source(source)
    found = project.speakers(src.id)  # type: ignore[arg-type]
    if not found:
        out.print(_("{name}: no speaker labels (attribute passages with `qualcode attribute`)")
                  .format(name=safe(src.name)))
        return
    table = Table(title=_("Speakers of {name}").format(name=safe(src.name)))
    add_columns(table, N_("label"), N_("turns"), N_("credited to"), N_("role"))
    for sp in found:
        who = _("interviewer (not informant evidence)") if sp.interviewer else (
            sp.informant or _("- (the source's informant)"))
        table.add_row(safe(sp.label), str(sp.turns), safe(who),
                      safe(role_label(sp.role) if sp.role else ""))
    out.print(table)


def print_segments(out: Console, project: Project, source: Source, start: int,
                   limit: int) -> None:
    """A window of a source's segments."""
    assert source.id is not None
    table = Table(title=f"{safe(source.name)} (v{source.version})")
    add_columns(table, N_("id"), "#", N_("speaker"), N_("offsets"), N_("text"))
    for seg in project.segments(source.id, start, limit):
        table.add_row(str(seg.id), str(seg.index), safe(seg.speaker or ""),
                      f"{seg.start}-{seg.end}", safe(source.text[seg.start:seg.end]))
    out.print(fit_columns(table))


CODING_FIELDS = ("id", "source", "start", "end", "line", "paragraph", "page", "code",
                 "code_label", "valence", "coder", "informant", "role", "interviewer", "speaker",
                 "kind", "note", "excerpt")


def print_codings(out: Console, rows: Iterable[CodingRow], fmt: str) -> None:
    """Codings as a table, CSV or JSON (CSV/JSON go to stdout unstyled, written as read)."""
    if fmt == "csv":
        write_codings_csv(rows, sys.stdout)
        return
    if fmt == "json":
        write_codings_json(rows, sys.stdout)
        return
    rows = list(rows)
    table = Table(title=ngettext("{n} coding", "{n} codings", len(rows)).format(n=len(rows)))
    add_columns(table, N_("id"), N_("source"), N_("where"), N_("code"), "±", N_("coder"),
                N_("informant"), N_("excerpt"))
    for r in rows:
        excerpt = r.excerpt if len(r.excerpt) < 160 else r.excerpt[:157] + "…"
        who = f"interviewer ({r.speaker})" if r.interviewer else (r.informant or "-")
        table.add_row(str(r.id), safe(r.source), r.location, safe(r.code), r.valence,
                      safe(r.coder), safe(who), safe(excerpt))
    out.print(fit_columns(table))


def write_codings_csv(rows: Iterable[CodingRow], stream: TextIO) -> None:
    """Codings as CSV with a header line, one row written per row read."""
    writer = csv.writer(stream)
    writer.writerow(CODING_FIELDS)
    # Data for a file keeps its text; on a terminal, controls are shown escaped. A cell that
    # a spreadsheet would read as a formula is neutralised (OWASP) either way.
    on_terminal = stream.isatty()
    for r in rows:
        writer.writerow([spreadsheet_text(shown(v) if on_terminal and isinstance(v, str) else v)
                         for v in (getattr(r, f) for f in CODING_FIELDS)])


def write_codings_json(rows: Iterable[CodingRow], stream: TextIO) -> None:
    """Codings as a JSON array laid out as `json.dump(..., indent=1)` writes it, one object at
    a time (values through the C encoder: the indenting one is pure Python and slow)."""
    plain = json.JSONEncoder(ensure_ascii=False).encode

    def encode(value: Any) -> str:  # JSON escapes C0 controls; C1 and reordering marks too
        return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", plain(value))

    stream.write("[")
    sep = "\n {\n  "
    for r in rows:
        stream.write(sep + ",\n  ".join(f'"{f}": {encode(getattr(r, f))}' for f in CODING_FIELDS)
                     + "\n }")
        sep = ",\n {\n  "
    stream.write("]\n" if sep == "\n {\n  " else "\n]\n")


def print_codebook_spec(out: Console, spec: CodebookSpec, lang: str) -> None:
    """A codebook file's codes, indicators and shortcuts."""
    out.print(f"[bold]{safe(spec.title.get(lang))}[/] — {safe(spec.citation)}")
    table = Table()
    add_columns(table, N_("key"), N_("key ⌨"), N_("label"), N_("indicators"))
    for code, parent in spec.iter_codes():
        label = ("  " if parent else "") + code.label.get(lang)
        inds = "\n".join(f"{i.key}: {i.label.get(lang)}" for i in code.indicators)
        table.add_row(safe(code.key), safe(code.shortcut or ""), safe(label), safe(inds))
    out.print(fit_columns(table))
    out.print(_("scale: {levels}").format(
        levels=safe(" > ".join(lv.label.get(lang) for lv in spec.scale))))


def print_project_codebook(out: Console, reader: Reader, key: str, lang: str,
                           coder: str | None = None) -> None:
    """A codebook as the project holds it (with emergent codes and coding counts of every
    coder, or of one)."""
    from qualcode.core.store.listing import code_coding_counts
    from qualcode.core.store.read import code_rows, codebook_rows
    from qualcode.errors import NotFoundError

    book = next((b for b in codebook_rows(reader) if b.key == key), None)
    if book is None:
        raise NotFoundError(N_("no codebook {key!r} in this project"),
                            hint=N_("see `qualcode codebook list`"), key=key)
    used = code_coding_counts(reader, coder)
    whose = (_("codings: by {coder}, on current source versions").format(coder=coder) if coder
             else _("codings: the codings of every coder on current source versions, added "
                    "together"))
    table = Table(title=safe(book.title_en if lang == "en" else book.title_id),
                  caption=safe(whose))
    add_columns(table, N_("key"), N_("key ⌨"), N_("label"), N_("definition"), N_("codings"))
    for code in code_rows(reader):
        if code.codebook_id == book.id:
            table.add_row(safe(code.key), safe(code.shortcut or ""), safe(code.label(lang)),
                          safe(code.definition(lang)), str(used.get(code.id, 0)))
    out.print(fit_columns(table))


def import_with_progress(out: Console, project: Project, paths: Sequence[Path],
                         manifest: dict[str, dict[str, Any]] | None,
                         overrides: dict[str, Any], replace: bool) -> ImportReport:
    """Import with a progress bar on batches; one line per file that failed."""
    from rich.progress import Progress

    with Progress(console=out, transient=True, disable=len(paths) < 2) as progress:
        task = progress.add_task(_("importing"), total=len(paths))

        def tick(n: int, total: int, path: Path) -> None:
            progress.update(task, completed=n - 1,
                            description=_("importing {name}").format(name=safe(path.name)))

        report = project.import_files(paths, manifest=manifest, overrides=overrides,
                                      replace=replace, progress=tick)
        progress.update(task, completed=len(paths))
    for o in report.outcomes:
        if o.status == "error":
            out.print(_("[red]error[/]: {message}").format(message=safe(o.text())),
                      soft_wrap=True)
        elif o.status == "imported":
            out.print(_("imported {name}: {n} segments").format(name=safe(o.path.name),
                                                                n=o.segments)
                      + safe(speaker_summary(o.speakers)), soft_wrap=True)
        elif o.status == "replaced":
            out.print(_("replaced {name}: {message}").format(name=safe(o.path.name),
                                                             message=safe(o.text())),
                      soft_wrap=True)
        else:
            note = "" if o.message in ("", "already imported") else f": {safe(o.text())}"
            out.print(_("unchanged {name}").format(name=safe(o.path.name)) + note,
                      soft_wrap=True)
        if o.status == "imported" and o.message:
            out.print(_("  [yellow]note[/]: {message}").format(message=safe(o.text())),
                      soft_wrap=True)
    out.print(_("{imported} imported, {replaced} replaced, {unchanged} unchanged, {failed} failed")
              .format(imported=report.count("imported"), replaced=report.count("replaced"),
                      unchanged=report.count("unchanged"), failed=report.count("error")))
    return report
