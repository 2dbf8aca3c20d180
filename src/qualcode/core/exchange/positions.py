"""Text positions as REFI-QDA counts them, and the variants other programs write.

The specification counts Unicode code points of the plain-text file, from 0; qualcode reads
`endPosition` as exclusive (as QualCoder and qc write it), so `text[start:end]` is the selection.
qualcode stores text with LF line endings. Known variants, each read with a warning:
- CRLF counted as two characters (NVivo on Windows: the file's own code points) or as one
  (ATLAS.ti: as if the line ends were LF);
- a byte-order mark at the start of the text, counted or not;
- UTF-8 byte offsets instead of characters (Taguette-style tools).
When several readings fit, the one whose selections start and end between words wins.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import accumulate

from qualcode.i18n import N_, _

_CRLF = re.compile("\r\n")
Mapper = Callable[[int], int | None]   # a position as written -> a position in the LF text


def newline_positions(text: str) -> list[int]:
    """Indices of every LF in `text`."""
    out, at = [], text.find("\n")
    while at >= 0:
        out.append(at)
        at = text.find("\n", at + 1)
    return out


def to_crlf(text: str) -> str:
    """LF text with CRLF line endings."""
    return text.replace("\n", "\r\n")


def crlf_mapper(text: str) -> Callable[[int], int]:
    """Map positions in LF text to positions in its CRLF form (each earlier LF adds one)."""
    lines = newline_positions(text)
    return lambda p: p + bisect_left(lines, p)


def normalise(raw: str) -> str:
    """CRLF and lone CR to LF (as qualcode's ingest stores text)."""
    return raw.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class Reading:
    """One way of counting positions, and what the user is told when it is chosen."""

    key: str
    mapper: Mapper
    warning: str | None


def _mappers(raw: str) -> dict[str, Callable[[int, int], int | None]]:
    """Position mappers (position, BOM shift) -> LF position, for each way of counting."""
    crs = [m.start() for m in _CRLF.finditer(raw)] if "\r\n" in raw else []
    crset = set(crs)
    out: dict[str, Callable[[int, int], int | None]] = {}

    def chars(p: int, shift: int) -> int | None:
        return p - shift

    def two(p: int, shift: int) -> int | None:
        p -= shift
        if p - 1 in crset:      # between CR and LF: no such place in the LF text
            return None
        return p - bisect_left(crs, p)

    if crs:
        out["crlf2"], out["crlf1"] = two, chars
    else:
        out["chars"] = chars
    if not raw.isascii():
        starts = [0, *accumulate(len(ch.encode("utf-8")) for ch in raw)]

        def utf8(p: int, shift: int) -> int | None:
            p -= 3 * shift
            at = bisect_left(starts, p)
            if at >= len(starts) or starts[at] != p:
                return None          # inside a multi-byte character
            return at - bisect_left(crs, at) if crs else at
        out["utf8"] = utf8
    return out


WARNINGS = {
    "chars": None,
    "crlf2": N_("the text has Windows line endings (CRLF) counted as two characters "
               "(as NVivo on Windows writes them); positions converted"),
    "crlf1": N_("the text has Windows line endings (CRLF) counted as one character "
               "(as ATLAS.ti writes them); positions converted"),
    "utf8": N_("positions were counted in UTF-8 bytes, not characters (as Taguette-style "
              "tools write them); converted to characters"),
}


def _readings(raw: str, bom: bool) -> list[Reading]:
    """Candidate readings of positions written against `raw` (BOM already removed)."""
    out: list[Reading] = []
    mappers = _mappers(raw)
    for shift in (0, 1) if bom else (0,):
        for key, mapper in mappers.items():
            warning = WARNINGS[key]
            notes = [n for n in (_(warning) if warning else None, _(
                "positions counted the byte-order mark at the start of the text")
                if shift else None) if n]
            out.append(Reading(f"{key}+{shift}", partial(_shifted, mapper, shift),
                               "; ".join(notes) or None))
    return out


def _shifted(mapper: Callable[[int, int], int | None], shift: int, p: int) -> int | None:
    return mapper(p, shift)


def _between_words(text: str, p: int) -> bool:
    return p <= 0 or p >= len(text) or not (text[p - 1].isalnum() and text[p].isalnum())


def choose_reading(raw: str, spans: Sequence[tuple[int, int]], *, bom: bool = False,
                   prefer: str | None = None,
                   exact: bool = False) -> tuple[Reading | None, str]:
    """The reading under which every span lies inside the text, scored by word boundaries.

    Returns (reading, LF text); reading is None when no reading fits every span.
    `prefer` ("crlf1" for ATLAS.ti, "crlf2" for NVivo, "utf8") breaks ties; `exact` (files
    qualcode wrote) allows only the specification's own reading.
    """
    text = normalise(raw)
    size = len(text)
    best: tuple[int, int, Reading] | None = None
    readings = _readings(raw, bom)
    for reading in readings[:1] if exact else readings:
        score = 0
        for start, end in spans:
            a, b = reading.mapper(start), reading.mapper(end)
            if a is None or b is None or not 0 <= a <= b <= size:
                break
            score += _between_words(text, a) + _between_words(text, b)
        else:
            tie = 1 if prefer and reading.key.startswith(prefer) else 0
            candidate = (score, tie, reading)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return (best[2] if best else None), text
