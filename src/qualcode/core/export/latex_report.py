r"""The conclusions report as a LaTeX document: a results section per characteristic.

Same content as the Word and Markdown reports (statement, verdict, proposal with its counts,
supporting and contradicting quotes set once with who said them and where, the verification
checks, the closing summary), on A4 or US Letter, every special character escaped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.core.export.labels import (
    balance_text,
    localise_drafts,
    one_line,
    quote_where,
    quoted,
    verdict_text,
    word,
)
from qualcode.core.export.latex import escape, preamble

if TYPE_CHECKING:
    from qualcode.core.analysis.conclusions import CodeConclusion, Quote, ResultsReport


def _quote(quote: Quote, lang: str) -> list[str]:
    where = quote_where(quote, lang)
    text = f"\\textit{{{escape(quoted(quote.excerpt, lang))}}}"
    text += f" --- {escape(where)}" if where else ""
    if quote.explanation:
        text += f" ({escape(word('explanation', lang))}: {escape(one_line(quote.explanation))})"
    return [r"\begin{quote}", text, r"\end{quote}"]


def section_lines(number: str, section: CodeConclusion, lang: str) -> list[str]:
    """One characteristic: heading, statement, verdict, proposal, evidence, checks."""
    statement = localise_drafts(section.statement, lang) or word("no_statement", lang)
    lines = [f"\\subsection*{{{number}. {escape(section.code_label)} "
             f"({escape(section.code_key)})}}", escape(statement), "",
             r"\begin{description}",
             f"\\item[{escape(word('verdict', lang))}:] {escape(verdict_text(section, lang))}",
             f"\\item[{escape(word('proposed', lang))}:] "
             f"{escape(section.proposed_verdict_label or '–')} "
             f"({escape(balance_text(section, lang))})"]
    if section.proposal_counts:
        lines.append(f"\\item[{escape(word('basis', lang))}:] {escape(section.proposal_counts)}")
    lines.append(r"\end{description}")
    for key, quotes in (("supporting", section.supporting),
                        ("contradicting", section.contradicting)):
        lines.append(f"\\paragraph{{{escape(word(key, lang))}}}")
        if not quotes:
            lines.append(escape(word("none", lang)))
        for quote in quotes:
            lines += _quote(quote, lang)
    lines.append(f"\\paragraph{{{escape(word('checklist', lang))}}}")
    if section.checklist:
        lines.append(r"\begin{itemize}")
        for item in section.checklist:
            mark = r"$\checkmark$" if item.ok else r"$\times$"
            detail = f" --- {escape(item.detail)}" if item.detail else ""
            lines.append(f"\\item[{mark}] \\textbf{{{escape(item.label)}}}{detail}")
        lines.append(r"\end{itemize}")
    return lines


def report_to_latex(report: ResultsReport, paper: str = "a4") -> str:
    """The whole report as a LaTeX document."""
    lang = report.lang
    lines = [preamble(lang, paper), f"\\section*{{{escape(report.title)}}}"]
    if report.covers:
        lines += [escape(report.covers), ""]
    if report.coder_note:
        lines += [escape(report.coder_note), ""]
    if report.methods:
        lines += [f"\\subsection*{{{escape(word('methods', lang))}}}", escape(report.methods), ""]
    for position, section in enumerate(report.sections, start=1):
        number = section.number or str(position)
        lines += [*section_lines(number, section, lang), ""]
    lines.append(f"\\subsection*{{{escape(word('summary', lang))}}}")
    summary = localise_drafts(report.closing_summary.strip(), lang)
    lines += [escape(" ".join(block.split())) + "\n" for block in summary.split("\n\n")
              if block.strip()]
    lines.append("\\end{document}\n")
    return "\n".join(lines)


def write_report_tex(report: ResultsReport, path: Path, paper: str = "a4") -> Path:
    """Write the conclusions report as a LaTeX document to `path`."""
    path.write_text(report_to_latex(report, paper), encoding="utf-8")
    return path
