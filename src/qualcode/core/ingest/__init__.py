"""Source ingest: read sources (.txt, .md, .docx, .pdf, .vtt, .srt) and split them into segments.

`read_source(path)` decodes and parses a file into a `ParsedSource` (stored text, speaker turns,
metadata); `segment_source` / `segment_many` split it into `SegmentSpan` sentences with spaCy.
The stored text is the decoded text with line endings normalised to "\\n" (CRLF and lone CR
become LF); everything else is verbatim, so offsets into it are stable. Markdown loses its
front matter; .docx, .pdf and captions are rebuilt as plain text (see their modules).
Importing this package does not import spaCy, python-docx, pypdfium2 or PyYAML.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from qualcode.core.ingest.captions import parse_captions
from qualcode.core.ingest.decoding import decode_bytes, normalise_newlines
from qualcode.core.ingest.docx import parse_docx
from qualcode.core.ingest.markdown import parse_markdown
from qualcode.core.ingest.pdf import parse_pdf
from qualcode.core.ingest.plaintext import parse_plaintext
from qualcode.core.ingest.segment import PackedSpans, SegmentSpan, segment_many, segment_source
from qualcode.core.ingest.turns import ParsedSource, Turn, assign_turns, detect_turns
from qualcode.core.input_files import MAX_SOURCE_BYTES, read_input
from qualcode.errors import IngestError
from qualcode.i18n import N_

__all__ = [
    "SUPPORTED_SUFFIXES",
    "PackedSpans",
    "ParsedSource",
    "SegmentSpan",
    "Turn",
    "assign_turns",
    "content_hash",
    "decode_bytes",
    "detect_turns",
    "normalise_newlines",
    "parse_text",
    "read_source",
    "segment_many",
    "segment_source",
]

SUPPORTED_SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".docx": "docx",
    ".pdf": "pdf",
    ".vtt": "vtt",
    ".srt": "srt",
}


def content_hash(text: str) -> str:
    """SHA-256 hex digest of the stored text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_text(
    text: str, fmt: str = "txt", *, name: str = "<text>", encoding: str = "utf-8"
) -> ParsedSource:
    """Parse already-decoded text as 'txt', 'md', 'vtt' or 'srt'."""
    if fmt == "txt":
        return parse_plaintext(text, name=name, encoding=encoding)
    if fmt == "md":
        return parse_markdown(text, name=name, encoding=encoding)
    if fmt in ("vtt", "srt"):
        return parse_captions(text, fmt, name=name, encoding=encoding)
    raise ValueError(f"parse_text: unsupported text format {fmt!r} (use read_source for .docx)")


def read_source(path: Path, *, kind: str | None = None) -> ParsedSource:
    """Read, decode and parse a source file, choosing the format by its suffix.

    Turns are found as for an interview; `assign_turns` redoes them for the final kind.
    `kind` (when known before reading) decides whether Word 'speaker | words' rows are turns.
    """
    path = Path(path)
    name = str(path)
    fmt = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        hint = f"Supported: {supported}."
        if path.suffix.lower() in (".doc", ".rtf", ".odt"):
            hint = "Save it as .docx (Word) or .txt first. " + hint
        raise IngestError(N_("{name}: unsupported file type '{suffix}'"), hint=hint, name=name,
                          suffix=path.suffix or '(none)')
    data = read_input(path, MAX_SOURCE_BYTES, N_("transcript"))
    if fmt == "docx":
        return parse_docx(data, name=name, kind=kind)
    if fmt == "pdf":
        return parse_pdf(data, name=name)
    text, encoding = decode_bytes(data, name)
    return parse_text(text, fmt, name=name, encoding=encoding)
