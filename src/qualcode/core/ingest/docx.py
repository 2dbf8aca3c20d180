"""Word documents (.docx, via python-docx) -> text, turns, core-property metadata.

The body is read in document order: each paragraph is one line, led by its list number or
bullet as Word shows it (``1.``, ``a)``, ``•``; from the paragraph's or its style's numbering);
a paragraph in a heading style (Heading 1..9 / Judul, Title, or with an outline level) is a
heading unit and a numbered one a list item, whatever its shape (`ParsedSource.line_kinds`);
each table row is one line with its cells joined by a tab (merged cells once, a cell's own
paragraphs joined by a space), so rows stay table rows for segmentation. In interviews a
"speaker | words" row whose first cell is a known label, or a capitalised name heading two such
rows, is written ``Speaker: words`` so that table-layout transcripts get their turns. Lines are
joined with "\\n". Headers, footers, footnotes and text boxes are not read. Core properties
title and author go into metadata.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections import Counter
from typing import Any

from qualcode.core.ingest.decoding import check_not_binary, normalise_newlines
from qualcode.core.ingest.plaintext import require_content
from qualcode.core.ingest.structure import HEADING, LIST_ITEM
from qualcode.core.ingest.turns import (
    GENERIC,
    KNOWN,
    ParsedSource,
    classify_label,
    find_turns,
)
from qualcode.errors import IngestError
from qualcode.i18n import N_

# python-docx's blank template names itself as author; that is not the document's author.
_TEMPLATE_AUTHOR = "python-docx"
_NOT_DOCX_HINT = N_(
    "Open the file in Word or LibreOffice and save it as 'Word Document (.docx)'; "
    "old .doc files must be converted first."
)


def _speaker_cell(cells: list[str]) -> str | None:
    """The first cell of a 'speaker | words' row as a label candidate, else None."""
    filled = [c for c in cells if c.strip()]
    if len(filled) < 2 or "\n" in filled[0]:
        return None
    return filled[0].strip().rstrip(":").strip()


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return str(n)


class _Numbering:
    """List markers of numbered and bulleted paragraphs, counted as Word counts them."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self.abstract_of: dict[str, str] = {}
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counts: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.abstract_of[num.get(qn("w:numId"))] = ref.get(qn("w:val"))
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1)
            self.levels[abstract.get(qn("w:abstractNumId"))] = levels

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        qn = self._qn
        elements = [paragraph._p]
        style = paragraph.style
        while style is not None:
            elements.append(style.element)
            style = style.base_style
        for element in elements:
            ppr = element.find(qn("w:pPr"))
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if num_pr is None:
                continue
            num_id = num_pr.find(qn("w:numId"))
            ilvl = num_pr.find(qn("w:ilvl"))
            if num_id is None:
                continue
            return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
        return None

    def marker(self, paragraph: Any) -> str:
        """The paragraph's list marker ('1.', 'b)', '•') or ''; advances the counters."""
        found = self._num_pr(paragraph)
        if found is None or found[0] == "0" or found[0] not in self.abstract_of:
            return ""
        abstract = self.abstract_of[found[0]]
        levels = self.levels.get(abstract, {})
        level = found[1]
        fmt, text, start = levels.get(level, ("decimal", f"%{level + 1}.", 1))
        counts = self.counts.setdefault(abstract, {})
        counts[level] = counts[level] + 1 if level in counts else start
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        if fmt == "none":
            return ""
        if fmt == "bullet":
            return text if text and text.isprintable() and text.isascii() else "•"
        for n in range(9):
            if f"%{n + 1}" in text:
                value = counts.get(n, levels.get(n, ("decimal", "", 1))[2])
                text = text.replace(f"%{n + 1}", _format_number(value, levels.get(
                    n, ("decimal", "", 1))[0]))
        return text


_HEADING_STYLE_RE = re.compile(r"(?:heading|judul)[ _]?\d|title|subtitle|judul|subjudul",
                               re.IGNORECASE)


def _is_heading(paragraph: Any, qn: Any) -> bool:
    """A heading by its style (Heading 1..9 / Judul 1..9, Title / Judul, Subtitle, or any
    style based on one) or by an outline level (0-8) set on the paragraph or its styles."""
    elements = [paragraph._p]
    style = paragraph.style
    while style is not None:
        if _HEADING_STYLE_RE.fullmatch((style.name or "").strip()):
            return True
        elements.append(style.element)
        style = style.base_style
    for element in elements:
        ppr = element.find(qn("w:pPr"))
        level = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        if level is not None:
            return level.get(qn("w:val"), "9") in tuple("012345678")
    return False


def _body_lines(document: Any, speaker_rows: bool = True) -> list[tuple[str, str | None]]:
    """Paragraph texts (with their list markers) and table rows rendered as lines, each with
    the block kind Word gives it: heading (a heading style), list_item (list numbering) or
    None (judged by its shape: structure.find_blocks)."""
    from docx.oxml.ns import qn
    from docx.table import Table

    numbering = _Numbering(document)
    blocks: list[tuple[str, str | None] | list[str]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                seen: set[int] = set()
                cells: list[str] = []
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats across its span
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(p.text.strip() for p in cell.paragraphs
                                          if p.text.strip()))
                blocks.append(cells)
        else:
            marker = numbering.marker(block)
            kind = HEADING if _is_heading(block, qn) else LIST_ITEM if marker else None
            blocks.append((f"{marker} {block.text}" if marker and block.text.strip()
                           else block.text, kind))
    # Same rule as plain text: a name that is not a known label must head two rows.
    kinds: dict[str, str | None] = {}
    counts: Counter[str] = Counter()
    for item in blocks:
        label = _speaker_cell(item) if isinstance(item, list) and speaker_rows else None
        if label is not None:
            result = classify_label(label)
            kinds[label] = result[1] if result else None
            counts[label] += 1
    lines: list[tuple[str, str | None]] = []
    for item in blocks:
        if isinstance(item, tuple):
            lines.append(item)
            continue
        label = _speaker_cell(item)
        kind = kinds.get(label) if label is not None else None
        if kind == KNOWN or (kind == GENERIC and counts[label or ""] >= 2):
            rest = [c for c in item if c.strip()][1:]
            lines.append((f"{label}: " + "\t".join(rest), None))
        else:
            lines.append(("\t".join(item), None))
    return lines


def _join(lines: list[tuple[str, str | None]]) -> tuple[str, dict[int, str]]:
    """The stored text (lines joined by LF) and the kind of each line Word gave one, by the
    offset where each of its lines starts (a heading with a manual line break has two)."""
    parts: list[str] = []
    known: dict[int, str] = {}
    pos = 0
    for line, kind in lines:
        line = normalise_newlines(line)
        if kind is not None:
            known[pos] = kind
            at = line.find("\n")
            while at >= 0:
                known[pos + at + 1] = kind
                at = line.find("\n", at + 1)
        parts.append(line)
        pos += len(line) + 1
    return "\n".join(parts), known


MAX_UNPACKED = 128 * 1024 * 1024  # real inflated bytes a transcript could plausibly need
MAX_RATIO = 100  # inflated / compressed size of the whole file, beyond which it is a bomb
RATIO_FLOOR = 16 * 1024 * 1024  # below this much inflated data the ratio does not matter
MAX_ENTRIES = 5000
_CHUNK = 1024 * 1024


def check_archive(data: bytes, name: str) -> None:
    """Refuse hostile archives before python-docx unpacks them: every entry is inflated here,
    in chunks, and counted as it comes (declared sizes are not trusted), stopping as soon as
    the total passes MAX_UNPACKED or, past RATIO_FLOOR, MAX_RATIO times the file's size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES:
                raise IngestError(N_("{name}: archive has {n_entries} entries; not a Word "
                                     "document"), hint=_NOT_DOCX_HINT, name=name,
                                  n_entries=len(entries))
            total = 0
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > MAX_UNPACKED or (
                                total > RATIO_FLOOR and total > MAX_RATIO * len(data)):
                            raise IngestError(
                                N_("{name}: archive unpacks to more than {mb} MB from {kb} KB; "
                                   "refused as a possible decompression bomb"),
                                hint=_NOT_DOCX_HINT, name=name, mb=total // (1024 * 1024),
                                kb=len(data) // 1024)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError,
            ValueError, EOFError, RuntimeError, zlib.error) as exc:
        raise IngestError(N_("{name}: damaged .docx archive ({exc})"), hint=_NOT_DOCX_HINT,
                          name=name, exc=exc) from None


def parse_docx(data: bytes, *, name: str = "<docx>", kind: str | None = None) -> ParsedSource:
    """Parse the bytes of a .docx file; IngestError if it is not a readable Word document.

    'Speaker | words' table rows become turns only in interviews (`kind` None or interview).
    """
    if not data:
        raise IngestError(N_("{name}: file is empty"),
                          hint=N_("Check that you picked the right file."), name=name)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(N_("{name}: not a Word .docx file (not a zip archive)"),
                          hint=_NOT_DOCX_HINT, name=name)
    check_archive(data, name)
    try:
        from docx import Document

        document = Document(io.BytesIO(data))
        lines = _body_lines(document, kind in (None, "interview"))
        props = document.core_properties
        meta = {
            key: value.strip()
            for key, value in (("title", props.title), ("author", props.author))
            if isinstance(value, str) and value.strip() and value != _TEMPLATE_AUTHOR
        }
    except Exception as exc:  # python-docx raises many types on broken packages
        raise IngestError(N_("{name}: cannot read the Word document ({error}: {exc})"),
                          hint=_NOT_DOCX_HINT, name=name, error=type(exc).__name__,
                          exc=exc) from None
    text, known = _join(lines)
    require_content(text, name)
    check_not_binary(text, name)
    return ParsedSource(text, find_turns(text), meta, "docx", "docx", line_kinds=known)
