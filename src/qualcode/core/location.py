"""Citable locations: the line, paragraph and page of an offset in a source's stored text.

Computed from the stored text (and the page starts an importer recorded in `Source.meta`),
never stored per segment, so they cannot drift from the offsets they are derived from.

- line: 1-based, counting "\\n" in the stored text (Markdown front matter is not part of it);
- paragraph: 1-based; paragraphs are separated by blank lines, and in a text without any blank
  line (a transcript or a Word file with one paragraph per line) every non-empty line is one;
- page: 1-based, only where the source has pages (PDF), else None.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.i18n import _

_BLANK_RUN = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Location:
    """Where an offset sits, as a paper cites it."""

    line: int
    paragraph: int
    page: int | None = None

    def text(self, lang: str | None = None) -> str:
        """`page 3, line 7, paragraph 2` (page only where the source has pages)."""
        parts = [_("page {n}", lang=lang).format(n=self.page)] if self.page else []
        parts.append(_("line {n}", lang=lang).format(n=self.line))
        parts.append(_("paragraph {n}", lang=lang).format(n=self.paragraph))
        return ", ".join(parts)


class TextMap:
    """Line, paragraph and page starts of one text; `at(offset)` is O(log n)."""

    def __init__(self, text: str, page_starts: Sequence[int] = ()) -> None:
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        if _BLANK_RUN.search(text):
            self.paragraph_starts = [0] + [m.end() for m in _BLANK_RUN.finditer(text)]
        else:
            self.paragraph_starts = [start for start in self.line_starts
                                     if text[start:start + 1] not in ("", "\n")] or [0]
        self.page_starts = sorted(int(p) for p in page_starts)

    def at(self, offset: int) -> Location:
        """The location of `offset` (clamped to the text)."""
        offset = max(0, offset)
        line = bisect_right(self.line_starts, offset)
        paragraph = max(1, bisect_right(self.paragraph_starts, offset))
        page = bisect_right(self.page_starts, offset) if self.page_starts else None
        return Location(line, paragraph, max(1, page) if page is not None else None)


def page_starts(meta: dict[str, Any] | None) -> list[int]:
    """The page starts recorded in a source's meta (empty for sources without pages)."""
    raw = (meta or {}).get("page_starts")
    if isinstance(raw, list):
        return [int(p) for p in raw]
    return []


class LocationCache:
    """TextMaps of several sources, built once each (for a list of quotes)."""

    def __init__(self) -> None:
        self._maps: dict[int, TextMap] = {}

    def at(self, source_id: int, text: str, meta: dict[str, Any] | None,
           offset: int) -> Location:
        """The location of `offset` in source `source_id` (its text and meta given)."""
        found = self._maps.get(source_id)
        if found is None:
            found = self._maps[source_id] = TextMap(text, page_starts(meta))
        return found.at(offset)


def citation(informant: str | None, role_text: str | None, kind_text: str | None,
             location: Location | None, lang: str | None = None) -> str:
    """`Informant 3 (Head of division), interview, line 7, paragraph 2`: who, what, where."""
    who = informant or ""
    if role_text:
        who = f"{who} ({role_text})" if who else role_text
    where = location.text(lang) if location else ""
    return ", ".join(part for part in (who, kind_text or "", where) if part)
