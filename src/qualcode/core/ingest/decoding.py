"""Bytes -> text: encoding detection, binary/empty checks, newline normalisation.

Detection order: a byte-order mark (UTF-32, UTF-8, UTF-16), then strict UTF-8, then
Windows-1252 (what Word's "plain text" export writes), where the five bytes cp1252 leaves
undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) fall back to their Latin-1 code points.
The encoding is reported by its Python codec name.
"""

from __future__ import annotations

import codecs
import re

from qualcode.errors import IngestError
from qualcode.i18n import N_

_LATIN1_FALLBACK = "qualcode-latin1-fallback"


def _latin1_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode the offending bytes as Latin-1 (always succeeds)."""
    if not isinstance(err, UnicodeDecodeError):  # pragma: no cover - only used for decoding
        raise err
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error(_LATIN1_FALLBACK, _latin1_fallback)

# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE BOM.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 controls other than \t \n \v \f \r, DEL, and the C1 block.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_RATIO_LIMIT = 0.05
_SAMPLE = 1 << 16

_BINARY_HINT = N_(
    "Import plain text (.txt, .md), Word (.docx), PDF (.pdf) or captions (.vtt, .srt). "
    "Save other formats (.doc, .odt) as .docx or .txt first."
)
_EMPTY_HINT = N_("Check that you picked the right file and that it was saved with its contents.")


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; every other character is kept verbatim."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_like_bomless_utf16(data: bytes) -> str | None:
    """Return 'utf-16-le'/'utf-16-be' when NULs sit on every other byte of mostly-ASCII text."""
    sample = data[: _SAMPLE & ~1]
    if len(sample) < 4 or len(sample) % 2:
        return None
    half = len(sample) // 2
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls >= 0.6 * half and even_nuls <= 0.05 * half:
        return "utf-16-le"
    if even_nuls >= 0.6 * half and odd_nuls <= 0.05 * half:
        return "utf-16-be"
    return None


def _decode_strict(data: bytes, encoding: str, filename: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(N_("{filename}: cannot be decoded as {encoding} (byte {start})"),
                          hint=N_("The file may be truncated or mislabelled; re-save it as "
                                  "UTF-8 and import again."), filename=filename, encoding=encoding,
                          start=exc.start) from None


def decode_bytes(data: bytes, filename: str) -> tuple[str, str]:
    """Decode a transcript's bytes; return (text, encoding name). The BOM is dropped.

    Line endings are *not* normalised here (see `normalise_newlines`). Raises IngestError
    for an empty/whitespace-only file and for binary content.
    """
    if not data:
        raise IngestError(N_("{filename}: file is empty"), hint=_EMPTY_HINT, filename=filename)
    encoding: str | None = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            data = data[len(bom) :]
            break
    if encoding is not None:
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        text = _decode_strict(data, codec, filename)
    elif b"\x00" in data:
        guessed = _looks_like_bomless_utf16(data)
        if guessed is None:
            raise IngestError(N_("{filename}: looks like a binary file, not a transcript"),
                              hint=_BINARY_HINT, filename=filename)
        encoding = guessed
        text = _decode_strict(data, guessed, filename)
    else:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors=_LATIN1_FALLBACK)
            encoding = "cp1252"
    if not text.strip():
        raise IngestError(N_("{filename}: file is empty"), hint=_EMPTY_HINT, filename=filename)
    check_not_binary(text, filename)
    return text, encoding


def check_not_binary(text: str, filename: str) -> None:
    """Raise IngestError when the decoded text is mostly control characters."""
    sample = text[:_SAMPLE]
    controls = len(_CONTROL_RE.findall(sample))
    if controls and ("\x00" in sample or controls > max(3, _CONTROL_RATIO_LIMIT * len(sample))):
        raise IngestError(N_("{filename}: looks like a binary file, not a transcript"),
                          hint=_BINARY_HINT, filename=filename)
