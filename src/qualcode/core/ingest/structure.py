"""Document structure: the blocks of a text that are units before sentences are split.

`find_blocks(text, start, end)` cuts a region of the stored text into blocks, in order:

- heading: a Markdown ``#`` line, an ALL-CAPS line, a numbered section heading (``2.1 Capaian``),
  a caption (``Tabel 2.3 ...``), a lettered/numbered item whose text is ALL CAPS
  (``A. PENDAHULUAN``), a short label line ending in ``:`` (``DENGAN RINCIAN:``), and, with
  `shape_headings`, a short stand-alone line without closing punctuation (``Latar Belakang``);
- table_row: a line with a tab between cells (Word tables are imported that way), with two or
  more gaps of several spaces (a table copied from a PDF), with a dot leader (a table of
  contents) or a Markdown ``| a | b |`` row; a Markdown ``|---|`` rule is a `rule` block and
  never a segment;
- list_item: a line starting with ``1.`` ``1)`` ``(1)`` ``a.`` ``a)`` ``iv.`` ``-`` ``•``
  ``*``, with the lines that continue it; the marker belongs to the item, also when it stands
  alone on the line before the item's text;
- signature: a group of short lines holding a NIP, ``ttd``, a place-and-date line (``Sukamaju,
  20 Januari 2026``, ``Ditetapkan di ...`` / ``pada tanggal ...``) or an address line
  (``Jl.``, ``Telp.``) - signature and address blocks stay whole;
- paragraph: everything else. Lines of a paragraph are joined when they are hard-wrapped (the
  line before is long, ends in a hyphen, or the next starts in lower case), and a paragraph
  that stops mid-sentence continues past one blank line when the next starts in lower case
  (text copied from PDFs).

A file format that knows its structure (Word heading styles and list numbering) gives the
kinds of its lines (`known`); the shape rules above are the fallback for the other lines.
Offsets are absolute and trimmed of surrounding whitespace; the text is never changed.
Paragraphs and list items are split into sentences afterwards; the other kinds are one unit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
TABLE_ROW = "table_row"
SIGNATURE = "signature"
RULE = "rule"
BLOCK_KINDS = (HEADING, PARAGRAPH, LIST_ITEM, TABLE_ROW, SIGNATURE)
SENTENCE_KINDS = frozenset({PARAGRAPH, LIST_ITEM})  # split into sentences inside
NOT_SUGGESTED = frozenset({HEADING, TABLE_ROW, SIGNATURE})


class Block(NamedTuple):
    """`text[start:end]` is a structural unit of kind `kind`."""

    start: int
    end: int
    kind: str


_BULLETS = "-•*–·▪●◦‣►"
LIST_MARKER_RE = re.compile(
    r"(?:\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\((?:[a-zA-Z]|\d{1,3}|[ivxIVX]{1,5})\)|[ivxIVX]{2,5}[.)]"
    rf"|[{_BULLETS}])[ \t]+(?=\S)"
)
_SECTION_RE = re.compile(r"(?:BAB[ \t]+[IVXLC\d]+\b|\d{1,2}(?:\.\d{1,2})+\.?[ \t]+\S)")
_CAPTION_RE = re.compile(
    r"(?:Tabel|Gambar|Grafik|Diagram|Bagan|Lampiran|Table|Figure|Chart)[ \t]+"
    r"[0-9IVX]+(?:\.[0-9]+)*\b")
_MD_RULE_RE = re.compile(r"\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?")
_SIGNATURE_RE = re.compile(
    r"(?:(?:NIP|NRP|NIK|NIPPPK)\.?[ \t]*:?[ \t]*\d"
    r"|\(?(?:ttd|TTD|Ttd)\.?\)?$"
    r"|[A-Z][A-Za-z .'-]{1,40},[ \t]*\d{1,2}[ \t]+[A-Z][a-z]+[ \t]+\d{4}$"
    r"|(?:Ditetapkan|Dikeluarkan)[ \t]+di\b|[Pp]ada[ \t]+tanggal[ \t]+\d"
    r"|(?:Jl|Jln|Jalan|Telp|Tlp|Telepon|Fax|Faks|Email|E-mail|Kode[ \t]?Pos|Laman|Website)\b)"
)
_LONE_MARKER_RE = re.compile(
    rf"\(?\d{{1,3}}[.)]|\(?[a-zA-Z][.)]|\([a-zA-Z0-9]{{1,3}}\)|[{_BULLETS}]")
_DOTS_RE = re.compile(r"\.(?:\s?\.){4}")  # a dot leader: table of contents, forms
_GAP_RE = re.compile(r"(?<=[^\s.!?:;])[ ]{2,}(?=\S)")
MARKER = "marker"  # a line that is only a list marker: its item is on the next line
_CLOSING = frozenset('.!?;:,…"”’\')')
_SHORT_WORDS = 12
_SHORT_CHARS = 90


def _is_caps(line: str) -> bool:
    """An ALL-CAPS line of at least four letters (``BAB I PENDAHULUAN``)."""
    return line.isupper() and sum(c.isalpha() for c in line) >= 4


def _line_kind(line: str) -> str:
    """The kind a single (stripped, non-empty) line suggests: heading, table_row, rule,
    list_item, signature-line ('sig') or plain ('')."""
    first = line[0]
    if first == "#" and line.lstrip("#")[:1] in (" ", "\t"):
        return HEADING
    if first == "|" and line.count("|") >= 2:
        return RULE if "-" in line and _MD_RULE_RE.fullmatch(line) else TABLE_ROW
    marker = LIST_MARKER_RE.match(line) if (first.isalnum() or first in _BULLETS or first == "(") \
        else None
    rest = line[marker.end():] if marker else line
    if "\t" in rest.strip() or _dot_leader(rest) or _column_gaps(rest) >= 2:
        return TABLE_ROW
    if marker is None and _LONE_MARKER_RE.fullmatch(line):
        return MARKER
    if marker:
        return HEADING if _is_caps(rest) and len(rest) <= _SHORT_CHARS else LIST_ITEM
    if _is_caps(line) and len(line) <= 150 and not line.endswith(".") \
            and not _SIGNATURE_RE.match(line):
        return HEADING
    if (first.isdigit() or first == "B") and _SECTION_RE.match(line) \
            and len(line) <= _SHORT_CHARS and line[-1] not in _CLOSING:
        return HEADING
    if first in "TGDBLFC" and _CAPTION_RE.match(line) and len(line) <= 200:
        return HEADING
    if line.endswith(":") and len(line.split()) <= 4 and first.isupper():
        return HEADING
    if _SIGNATURE_RE.match(line):
        return "sig"
    return ""


def _dot_leader(line: str) -> bool:
    """Five dots (a space or tab allowed between them), ``……`` or ``_____``: a dot leader.

    Plain substring tests first: one regular expression with the three alternatives cost as
    much as the rest of structure parsing on long transcript lines."""
    return "……" in line or "_____" in line or _DOTS_RE.search(line) is not None


def _column_gaps(line: str) -> int:
    """Runs of two or more spaces between cells (not after a sentence's end): a table row
    copied from a PDF or a fixed-width layout has at least two."""
    return len(_GAP_RE.findall(line)) if "  " in line else 0


def _short_label(line: str) -> bool:
    """A short stand-alone line without closing punctuation, starting in upper case."""
    return (len(line) <= _SHORT_CHARS and line[-1] not in _CLOSING and line[0].isupper()
            and len(line.split()) <= _SHORT_WORDS)


def _group_lines(text: str, start: int, end: int) -> list[list[tuple[int, int]]]:
    """Non-blank lines (stripped spans) grouped by blank lines."""
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        a, b = pos, stop
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            current.append((a, b))
        elif current:
            groups.append(current)
            current = []
        pos = stop + 1
    if current:
        groups.append(current)
    return groups


def _signature_group(text: str, lines: list[tuple[int, int]], kinds: list[str]) -> bool:
    if "sig" not in kinds or not 2 <= len(lines) <= 8:
        return False
    return all(b - a <= 80 for a, b in lines) and all(k in ("sig", "", HEADING) for k in kinds)


def _group_blocks(text: str, lines: list[tuple[int, int]], *, per_line: bool,
                  shape_headings: bool, known: Mapping[int, str] | None = None) -> list[Block]:
    kinds = [_line_kind(text[a:b]) for a, b in lines]
    if known:  # what the file format says (a Word heading style or list numbering) wins
        kinds = [known.get(text.rfind("\n", 0, a) + 1) or k
                 for (a, _b), k in zip(lines, kinds, strict=True)]
    if _signature_group(text, lines, kinds):
        return [Block(lines[0][0], lines[-1][1], SIGNATURE)]
    plain = [b - a for (a, b), k in zip(lines, kinds, strict=True) if k in ("", "sig")]
    width = max(plain, default=0)
    out: list[Block] = []
    open_kind = ""
    open_start = open_end = 0
    open_lines = 0

    def close() -> None:
        nonlocal open_kind, open_lines
        if open_kind:
            kind = open_kind
            if (kind == PARAGRAPH and open_lines == 1 and shape_headings
                    and _short_label(text[open_start:open_end])):
                kind = HEADING
            out.append(Block(open_start, open_end, kind))
        open_kind, open_lines = "", 0

    lone_marker = False
    for (a, b), kind in zip(lines, kinds, strict=True):
        if lone_marker:  # the item whose marker stood alone on the line before
            open_end, open_lines, lone_marker = b, open_lines + 1, False
            continue
        if kind in (TABLE_ROW, RULE, HEADING):
            close()
            out.append(Block(a, b, kind))
            continue
        if kind in (LIST_ITEM, MARKER):
            close()
            open_kind, open_start, open_end, open_lines = LIST_ITEM, a, b, 1
            lone_marker = kind == MARKER
            continue
        if open_kind and not per_line and _continues(text, open_end, a, width):
            open_end, open_lines = b, open_lines + 1
            continue
        close()
        open_kind, open_start, open_end, open_lines = PARAGRAPH, a, b, 1
    close()
    return out


def _continues(text: str, prev_end: int, next_start: int, width: int) -> bool:
    """Does the line ending at `prev_end` run on into the line starting at `next_start`?"""
    prev_start = text.rfind("\n", 0, prev_end) + 1
    length = prev_end - prev_start
    last = text[prev_end - 1]
    if last == "-" or text[next_start].islower():
        return True
    return length >= 0.6 * width and length >= 30


def runs_on(text: str, prev_end: int, next_start: int) -> bool:
    """Does the text before `prev_end` stop mid-sentence and go on, after one blank line, in
    lower case at `next_start`? (A sentence cut by a page or line gap in text from a PDF.)"""
    return (text[prev_end - 1] not in _CLOSING and text[next_start].islower()
            and text.count("\n", prev_end, next_start) == 2)


def _rejoin(text: str, blocks: list[Block]) -> list[Block]:
    """Join a paragraph that stops mid-sentence with the next when it starts in lower case."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (prev is not None and block.kind == PARAGRAPH
                and (prev.kind == PARAGRAPH or (prev.kind == HEADING and _line_kind(
                    text[prev.start:prev.end]) == ""))
                and runs_on(text, prev.end, block.start)):
            out[-1] = Block(prev.start, block.end, PARAGRAPH)
        else:
            out.append(block)
    return out


def find_blocks(text: str, start: int = 0, end: int | None = None, *, per_line: bool = False,
                shape_headings: bool = True, known: Mapping[int, str] | None = None,
                ) -> list[Block]:
    """The blocks of `text[start:end]` in order (see the module docstring).

    `per_line`: every line is a paragraph of its own (Word paragraphs); `shape_headings`:
    a short stand-alone line counts as a heading (off inside a speaker's turn); `known`: the
    kind the file format gives a line (heading, list_item), by the offset where the line
    starts (`ParsedSource.line_kinds`), used instead of guessing from the line's shape.
    """
    end = len(text) if end is None else end
    blocks: list[Block] = []
    for lines in _group_lines(text, start, end):
        blocks.extend(_group_blocks(text, lines, per_line=per_line,
                                    shape_headings=shape_headings, known=known))
    return blocks if per_line else _rejoin(text, blocks)


def block_at(blocks: list[Block], position: int) -> Block | None:
    """The block containing `position` (blocks sorted by start), else None."""
    lo, hi = 0, len(blocks)
    while lo < hi:
        mid = (lo + hi) // 2
        if blocks[mid].end <= position:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(blocks) and blocks[lo].start <= position < blocks[lo].end:
        return blocks[lo]
    return None
