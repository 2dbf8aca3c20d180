"""Text from untrusted files made inert where it leaves qualcode: terminals and spreadsheets.

`shown(text)` escapes what a terminal would obey instead of print: C0 and C1 controls (ESC
starts colour, cursor and title sequences; CR overwrites a line), DEL, the bidirectional
overrides that reorder what is read ("Trojan source"), and lone surrogates (bytes of a file
name that are not UTF-8). Newlines and tabs stay.

`spreadsheet_text(value)` follows OWASP's CSV-injection guidance: a text cell that begins with
`=`, `+`, `-`, `@`, tab or CR is prefixed with a single quote, so Excel, LibreOffice and Google
Sheets show it as text instead of evaluating it. A one-character cell ("+", "-": a valence)
cannot hold a formula and is left as it is.
"""

from __future__ import annotations

import re
from typing import Any

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: Any) -> str:
    """`text` safe to print on a terminal: controls and reordering marks escaped."""
    value = str(text)
    return _UNSAFE.sub(_escape, value) if _UNSAFE.search(value) else value


def one_line(text: str) -> str:
    """A message kept on one line: line breaks inside it (e.g. in a file name) escaped."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula (or a command)."""
    return len(text) > 1 and text.startswith(FORMULA_START)


def spreadsheet_text(value: Any) -> Any:
    """A cell value that a spreadsheet shows as written: formula-like text gets a quote."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value
