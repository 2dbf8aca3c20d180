"""Word documents (.docx, via python-docx) -> text, turns, core-property metadata.

The body is read in document order: each paragraph is one line; each table row is one line
with its cells joined by a tab (merged cells once). A "speaker | words" row whose first cell is
a known label, or a capitalised name heading two such rows, is written ``Speaker: words`` so
that table-layout transcripts get their turns. Lines are joined with "\\n". Headers, footers,
footnotes and text boxes are not read. Core properties title and author go into metadata.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections import Counter
from typing import Any

from qualcode.core.ingest.decoding import check_not_binary, normalise_newlines
from qualcode.core.ingest.plaintext import require_content
from qualcode.core.ingest.turns import (
    GENERIC,
    KNOWN,
    ParsedSource,
    classify_label,
    find_turns,
)
from qualcode.errors import IngestError

# python-docx's blank template names itself as author; that is not the document's author.
_TEMPLATE_AUTHOR = "python-docx"
_NOT_DOCX_HINT = (
    "Open the file in Word or LibreOffice and save it as 'Word Document (.docx)'; "
    "old .doc files must be converted first."
)


def _speaker_cell(cells: list[str]) -> str | None:
    """The first cell of a 'speaker | words' row as a label candidate, else None."""
    filled = [c for c in cells if c.strip()]
    if len(filled) < 2 or "\n" in filled[0]:
        return None
    return filled[0].strip().rstrip(":").strip()


def _body_lines(document: Any) -> list[str]:
    """Paragraph texts and table rows (lists of cell texts) rendered as lines."""
    from docx.table import Table

    blocks: list[str | list[str]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                seen: set[int] = set()
                cells: list[str] = []
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats across its span
                        continue
                    seen.add(id(cell._tc))
                    cells.append(cell.text)
                blocks.append(cells)
        else:
            blocks.append(block.text)
    # Same rule as plain text: a name that is not a known label must head two rows.
    kinds: dict[str, str | None] = {}
    counts: Counter[str] = Counter()
    for item in blocks:
        label = _speaker_cell(item) if isinstance(item, list) else None
        if label is not None:
            result = classify_label(label)
            kinds[label] = result[1] if result else None
            counts[label] += 1
    lines = []
    for item in blocks:
        if isinstance(item, str):
            lines.append(item)
            continue
        label = _speaker_cell(item)
        kind = kinds.get(label) if label is not None else None
        if kind == KNOWN or (kind == GENERIC and counts[label or ""] >= 2):
            rest = [c for c in item if c.strip()][1:]
            lines.append(f"{label}: " + "\t".join(rest))
        else:
            lines.append("\t".join(item))
    return lines


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
                raise IngestError(f"{name}: archive has {len(entries)} entries; "
                                  "not a Word document", hint=_NOT_DOCX_HINT)
            total = 0
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > MAX_UNPACKED or (
                                total > RATIO_FLOOR and total > MAX_RATIO * len(data)):
                            raise IngestError(
                                f"{name}: archive unpacks to more than "
                                f"{total // (1024 * 1024)} MB from {len(data) // 1024} KB; "
                                "refused as a possible decompression bomb",
                                hint=_NOT_DOCX_HINT)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError,
            ValueError, EOFError, RuntimeError, zlib.error) as exc:
        raise IngestError(f"{name}: damaged .docx archive ({exc})", hint=_NOT_DOCX_HINT) from None


def parse_docx(data: bytes, *, name: str = "<docx>") -> ParsedSource:
    """Parse the bytes of a .docx file; IngestError if it is not a readable Word document."""
    if not data:
        raise IngestError(f"{name}: file is empty", hint="Check that you picked the right file.")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(f"{name}: not a Word .docx file (not a zip archive)", hint=_NOT_DOCX_HINT)
    check_archive(data, name)
    try:
        from docx import Document

        document = Document(io.BytesIO(data))
        lines = _body_lines(document)
        props = document.core_properties
        meta = {
            key: value.strip()
            for key, value in (("title", props.title), ("author", props.author))
            if isinstance(value, str) and value.strip() and value != _TEMPLATE_AUTHOR
        }
    except Exception as exc:  # python-docx raises many types on broken packages
        raise IngestError(
            f"{name}: cannot read the Word document ({type(exc).__name__}: {exc})",
            hint=_NOT_DOCX_HINT,
        ) from None
    text = normalise_newlines("\n".join(lines))
    require_content(text, name)
    check_not_binary(text, name)
    return ParsedSource(text, find_turns(text), meta, "docx", "docx")
