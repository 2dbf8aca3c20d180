"""Markdown export: pipe tables for the displays and the conclusions report as a results section.

Pipe tables have one header line, so the levels of a MultiIndex header are joined with " / ".
A `|` in a cell is escaped and line breaks become `<br>`, so every table row stays one line
(pandoc, GitHub and most editors read this).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.core.export.flat_table import flat_headers, flatten, format_cell
from qualcode.core.export.labels import (
    balance_text,
    localise_drafts,
    one_line,
    quote_where,
    quoted,
    status_word,
    word,
)

if TYPE_CHECKING:
    from qualcode.core.analysis.conclusions import CodeConclusion, Quote, ResultsReport
    from qualcode.core.analysis.display import Display


def escape_cell(text: str) -> str:
    """A cell's text safe inside a pipe table: `|` escaped, line breaks as <br>."""
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(line.strip() for line in text.strip().split("\n"))


def escape_inline(text: str) -> str:
    """Running text with Markdown emphasis characters escaped."""
    for char in ("\\", "*", "_", "`", "[", "]"):
        text = text.replace(char, "\\" + char)
    return text


def escape_line(text: str) -> str:
    """A paragraph of running text that cannot turn into a list, heading or quote."""
    text = escape_inline(text)
    if re.match(r"[+\-#>]", text):
        return "\\" + text
    return re.sub(r"^(\d+)([.)])(?=\s)", r"\1\\\2", text)


def table_lines(display: Display) -> list[str]:
    """The pipe table of one display (header, alignment row, body)."""
    flat = flatten(display)
    headers = [escape_cell(h) for h in flat_headers(flat)]
    align = ["---:" if flat.numeric[c] else "---" for c in range(flat.width)]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    for row in flat.blanked_body():
        cells = [escape_cell(format_cell(v, display.cell_kind)) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def display_to_markdown(display: Display, number: int | None = None) -> str:
    """A display as Markdown: caption line, pipe table, notes."""
    prefix = f"{word('table', display.lang)} {number}. " if number else ""
    parts = [f"**{prefix}{escape_inline(display.title)}**", "", *table_lines(display)]
    if display.notes:
        parts.append("")
        parts += [escape_line(note) + "  " for note in display.notes]
    return "\n".join(parts) + "\n"


def write_markdown(displays: Sequence[Display], path: Path) -> Path:
    """Write the displays as numbered Markdown tables to `path`."""
    blocks = [display_to_markdown(d, n) for n, d in enumerate(displays, start=1)]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def _quote_line(quote: Quote, lang: str) -> str:
    where = quote_where(quote, lang)
    text = f"> *{escape_inline(quoted(quote.excerpt, lang))}*"
    text += f" — {escape_inline(where)}" if where else ""
    if quote.explanation:
        text += f" ({word('explanation', lang)}: {escape_inline(one_line(quote.explanation))})"
    return text


def _section_lines(number: str, section: CodeConclusion, lang: str) -> list[str]:
    verdict = section.verdict_label or word("not_decided", lang)
    extra = [status_word(section.status, lang)] if section.status else []
    if section.decided_by:
        extra.append(f"{word('decided_by', lang)} {section.decided_by}")
    balance = balance_text(section, lang)
    lines = [
        f"## {number}. {escape_inline(section.code_label)} ({section.code_key})", "",
        escape_inline(localise_drafts(section.statement, lang)) if section.statement
        else word("no_statement", lang),
        "",
        f"- **{word('verdict', lang)}:** {escape_inline(verdict)}"
        + (f" ({'; '.join(extra)})" if extra else ""),
        f"- **{word('proposed', lang)}:** "
        f"{escape_inline(section.proposed_verdict_label or '–')} ({balance})",
    ]
    if section.proposal_counts:
        lines.append(f"- **{word('basis', lang)}:** {escape_inline(section.proposal_counts)}")
    for key, quotes in (("supporting", section.supporting),
                        ("contradicting", section.contradicting)):
        lines += ["", f"### {word(key, lang)}", ""]
        if not quotes:
            lines.append(word("none", lang))
        for quote in quotes:
            lines += [_quote_line(quote, lang), ""]
        if quotes:
            lines.pop()
    lines += ["", f"### {word('checklist', lang)}", ""]
    for item in section.checklist:
        mark = "x" if item.ok else " "
        detail = f" — {escape_inline(item.detail)}" if item.detail else ""
        lines.append(f"- [{mark}] **{escape_inline(item.label)}**{detail}")
    return lines


def report_to_markdown(report: ResultsReport) -> str:
    """The conclusions report as Markdown: a section per characteristic and a closing summary."""
    lines = [f"# {escape_inline(report.title)}", ""]
    if report.covers:
        lines += [escape_inline(report.covers), ""]
    if report.methods:
        lines += [f"## {word('methods', report.lang)}", "", escape_inline(report.methods), ""]
    elif report.coder_note:
        lines += [escape_inline(report.coder_note), ""]
    for position, section in enumerate(report.sections, start=1):
        number = section.number or str(position)
        lines += [*_section_lines(number, section, report.lang), ""]
    lines += [f"## {word('summary', report.lang)}", "",
              localise_drafts(report.closing_summary.strip(), report.lang)]
    return "\n".join(lines) + "\n"


def write_report_markdown(report: ResultsReport, path: Path) -> Path:
    """Write the conclusions report as Markdown to `path`."""
    path.write_text(report_to_markdown(report), encoding="utf-8")
    return path
