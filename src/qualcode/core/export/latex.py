r"""LaTeX export: booktabs tables (\toprule, \midrule, \bottomrule) to \input into a paper.

Text-heavy columns become p{} columns with widths shared out by content; numbers are
right-aligned; upper levels of a MultiIndex header become \multicolumn with \cmidrule below.
Every LaTeX special character in the data is escaped. The file is a complete document
(A4 or US Letter, `geometry`; captions "Tabel 1." / "Table 1." in the paper's language, with
`caption`'s period separator) that compiles with pdflatex; each table is a `table` environment
that can equally be copied into a paper's own source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.core.export.flat_table import FlatTable, flatten, format_cell

if TYPE_CHECKING:
    from qualcode.core.analysis.display import Display

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "−": r"\ensuremath{-}",
    "✓": r"\ensuremath{\checkmark}",
}
_TABLE = str.maketrans(_SPECIALS)
TEXT_BUDGET = 0.92   # share of \linewidth the whole table may take
LINE_CHARS = 85      # characters of \small text on one \linewidth (estimate)
MIN_SHARE = 0.12     # narrowest p{} column
HEADER_WRAP = 12     # header labels of narrow columns wrap at about this many characters


def escape(text: str) -> str:
    """Escape LaTeX special characters (& % $ # _ { } ~ ^ \\ and a few Unicode signs)."""
    return text.translate(_TABLE)


def _cell(value: object, cell_kind: str, paragraph: bool) -> str:
    text = format_cell(value, cell_kind)
    lines = [escape(line) for line in text.split("\n")]
    return r"\newline ".join(lines) if paragraph else " ".join(lines)


def header_lines(label: str, width: int = HEADER_WRAP) -> list[str]:
    """A header label broken at spaces into lines of about `width` characters."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _natural_chars(flat: FlatTable, col: int) -> int:
    """Characters a non-paragraph column needs: its widest value or header line."""
    values = [len(format_cell(row[col])) for row in flat.body]
    heads = [len(line) for row in flat.header for line in header_lines(row[col])]
    return max([*values, *heads, 1])


def column_spec(flat: FlatTable) -> list[str]:
    """One tabular column type per column: r (numbers), p{...} (running text) or l.

    The p{} columns share what the other columns leave of the line (estimated from their
    widest content), so that a wide matrix does not run off the page."""
    lengths = []
    for col in range(flat.width):
        values = [format_cell(row[col]) for row in flat.body]
        lengths.append(max((len(v) for v in values), default=0))
    text_cols = [c for c in range(flat.width) if flat.text[c]]
    others = sum(_natural_chars(flat, c) + 2 for c in range(flat.width) if c not in text_cols)
    budget = max(TEXT_BUDGET - others / LINE_CHARS, MIN_SHARE * len(text_cols))
    total = sum(min(lengths[c], 200) for c in text_cols) or 1
    spec = []
    for col in range(flat.width):
        if flat.numeric[col]:
            spec.append("r")
        elif col in text_cols:
            share = max(budget * min(lengths[col], 200) / total, MIN_SHARE)
            spec.append(f"p{{{share:.2f}\\linewidth}}")
        else:
            spec.append("l")
    return spec


def is_too_wide(flat: FlatTable, spec: list[str]) -> bool:
    """Whether the table still needs more than the line (then it is scaled down)."""
    shares = sum(float(s[2:s.index("\\")]) for s in spec if s.startswith("p"))
    others = sum(_natural_chars(flat, c) + 2 for c, s in enumerate(spec) if not s.startswith("p"))
    return shares + others / LINE_CHARS > 1.0


def _head(label: str, align: str) -> str:
    lines = [escape(line) for line in header_lines(label)]
    if len(lines) == 1:
        return lines[0]
    body = r" \\ ".join(lines)
    return f"\\shortstack[{align}]{{{body}}}"


def _header_lines(flat: FlatTable, spec: list[str]) -> list[str]:
    lines = []
    levels = len(flat.header)
    for level in range(levels):
        cells, rules = [], []
        for span in flat.spans(level):
            label = escape(span.label)
            if span.last > span.first:
                cells.append(f"\\multicolumn{{{span.last - span.first + 1}}}{{c}}{{{label}}}")
                if label:
                    rules.append(f"\\cmidrule(lr){{{span.first + 1}-{span.last + 1}}}")
            elif spec[span.first].startswith("p"):
                cells.append(label)
            else:
                cells.append(_head(span.label, spec[span.first]))
        lines.append(" & ".join(cells) + r" \\")
        if level < levels - 1 and rules:
            lines.append(" ".join(rules))
    return lines


def display_to_latex(display: Display) -> str:
    """A `table` environment holding the display as a booktabs tabular."""
    flat = flatten(display)
    spec = column_spec(flat)
    paragraph = [s.startswith("p") for s in spec]
    label = re.sub(r"[^A-Za-z0-9:-]+", "-", display.key).strip("-") or "display"
    out = [
        r"\begin{table}[htbp]",
        r"\centering",
        r"\small",
        f"\\caption{{{escape(display.title)}}}",
        f"\\label{{tab:{label}}}",
    ]
    wide = is_too_wide(flat, spec)
    if wide:
        out.append(r"\resizebox{\linewidth}{!}{%")
    out += [
        f"\\begin{{tabular}}{{@{{}}{''.join(spec)}@{{}}}}",
        r"\toprule",
        *_header_lines(flat, spec),
        r"\midrule",
    ]
    for row in flat.blanked_body():
        cells = [_cell(v, display.cell_kind, paragraph[c]) for c, v in enumerate(row)]
        out.append(" & ".join(cells) + r" \\")
    out += [r"\bottomrule", r"\end{tabular}" + ("}" if wide else "")]
    if display.notes:
        out.append(r"\par\smallskip")
        out += [f"{{\\footnotesize {escape(note)}\\par}}" for note in display.notes]
    out.append(r"\end{table}")
    return "\n".join(out) + "\n"


def preamble(lang: str, paper: str = "a4") -> str:
    """The document's preamble: paper size, packages, caption names in `lang`."""
    from qualcode.core.export.labels import word

    return "\n".join([
        "% Generated by qualcode (booktabs; wide tables scaled with \\resizebox).",
        f"\\documentclass[{paper}paper,11pt]{{article}}",
        "\\usepackage[utf8]{inputenc}",
        "\\usepackage[T1]{fontenc}",
        f"\\usepackage[{paper}paper,margin=2.5cm]{{geometry}}",
        "\\usepackage{booktabs,graphicx,amssymb}",
        "\\usepackage[labelsep=period,labelfont=bf]{caption}",
        f"\\renewcommand{{\\tablename}}{{{escape(word('table', lang))}}}",
        f"\\renewcommand{{\\figurename}}{{{escape(word('figure', lang))}}}",
        "\\begin{document}", ""])


def tex_document(displays: Sequence[Display], paper: str = "a4",
                 after: dict[int, str] | None = None) -> str:
    """The LaTeX document of the displays' tables, each followed by `after[position]` if
    given (its figure, see latex_figures)."""
    lang = displays[0].lang if displays else "id"
    parts = [preamble(lang, paper)]
    for position, display in enumerate(displays):
        parts.append(display_to_latex(display))
        if after and position in after:
            parts.append(after[position])
    parts.append("\\end{document}\n")
    return "\n".join(parts)


def write_tex(displays: Sequence[Display], path: Path, paper: str = "a4") -> Path:
    """Write the displays as a LaTeX document of numbered, captioned tables to `path`."""
    path.write_text(tex_document(displays, paper), encoding="utf-8")
    return path
