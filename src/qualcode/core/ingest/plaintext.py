"""Plain-text transcripts (.txt): the decoded text itself, with speaker turns recognised."""

from __future__ import annotations

from qualcode.core.ingest.decoding import normalise_newlines
from qualcode.core.ingest.turns import ParsedSource, find_turns
from qualcode.errors import IngestError
from qualcode.i18n import N_


def require_content(text: str, name: str) -> None:
    """Raise IngestError when `text` holds nothing but whitespace."""
    if not text.strip():
        raise IngestError(N_("{name}: file is empty"),
                          hint=N_("Check that you picked the right file and that it was saved "
                                  "with its contents."), name=name)


def parse_plaintext(text: str, *, name: str = "<text>", encoding: str = "utf-8") -> ParsedSource:
    """Parse decoded text: normalise line endings to LF, find turns; no metadata."""
    text = normalise_newlines(text)
    require_content(text, name)
    return ParsedSource(text, find_turns(text), {}, encoding, "txt")
