"""The coding screen's in-memory model of one transcript: layout and an index of codings.

Nothing here draws. `TranscriptLayout` wraps each segment to a width (line start offsets) and maps
screen rows to segments; `CodingIndex` keeps the source's codings per segment so a change touches
only the segments it overlaps. Offsets are character offsets into the source text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate

from rich.cells import get_character_cell_size

from qualcode.core.store.read import CodingSpan, SegmentRow

_CONTROL = {ord(ch): " " for ch in "\n\r\t\x0b\x0c"}


def display_text(text: str) -> str:
    """The source text with line breaks and tabs shown as spaces (same length, same offsets)."""
    return text.translate(_CONTROL)


def wrap_starts(text: str, width: int) -> list[int]:
    """Start offsets (into `text`) of each line when `text` is wrapped greedily at `width` cells.

    Breaks at the last space that fits (the space is not shown); a word longer than the line is
    split. Wide characters count two cells.
    """
    width = max(1, width)
    n = len(text)
    ascii_only = text.isascii()
    if ascii_only and n <= width:
        return [0]
    cum: list[int] = []
    if not ascii_only:
        cum = [0, *accumulate(get_character_cell_size(ch) for ch in text)]
        if cum[-1] <= width:
            return [0]
    starts = [0]
    pos = 0
    while True:
        # the furthest end (exclusive) such that text[pos:end] fits in `width` cells
        limit = pos + width if ascii_only else bisect_right(cum, cum[pos] + width) - 1
        if limit >= n:
            return starts
        cut = text.rfind(" ", pos + 1, limit + 1)
        if cut > pos:
            nxt = cut + 1
            while nxt < n and text[nxt] == " ":
                nxt += 1
            if nxt >= n:
                return starts
        else:
            nxt = max(limit, pos + 1)
        starts.append(nxt)
        pos = nxt


class TranscriptLayout:
    """Segments wrapped to a text width; rows include a blank row before each new turn."""

    def __init__(self, text: str, segments: Sequence[SegmentRow]) -> None:
        self.text = display_text(text)
        self.segments = list(segments)
        self.starts = [seg.start for seg in self.segments]
        self.ends = [seg.end for seg in self.segments]
        self.turn_first = [
            i == 0 or seg.turn_index != self.segments[i - 1].turn_index
            for i, seg in enumerate(self.segments)
        ]
        self.width = 0
        self.partial = False  # only the first rows are wrapped (see `wrap`)
        self.lines: list[list[int]] = []
        self.tops: list[int] = []
        self.height = 0

    def __len__(self) -> int:
        return len(self.segments)

    def wrap(self, width: int, *, rows: int | None = None) -> None:
        """(Re)wrap every segment at `width` cells: line starts as absolute text offsets.

        With `rows`, only the segments on the first `rows` rows are wrapped; the others get an
        estimated height (length over width, one unwrapped line) until a full `wrap`: enough for
        the first frame at the top of a long transcript. `partial` tells which it was.
        """
        if width == self.width and self.lines and not (self.partial and rows is None):
            return
        self.width = width
        text = self.text
        lines: list[list[int]] = []
        tops: list[int] = []
        y = 0
        partial = False
        for i, seg in enumerate(self.segments):
            if self.turn_first[i] and i:
                y += 1
            tops.append(y)
            offset = seg.start
            if rows is not None and y >= rows:
                partial = True
                count = max(1, -(-(seg.end - offset) // width))
                lines.append([offset] * count)
                y += count
                continue
            starts = wrap_starts(text[offset:seg.end], width)
            lines.append([offset + s for s in starts])
            y += len(starts)
        self.lines, self.tops, self.height = lines, tops, y
        self.partial = partial

    def block(self, index: int) -> tuple[int, int]:
        """The rows (first, count) a segment occupies, including its turn separator."""
        top = self.tops[index]
        sep = 1 if (self.turn_first[index] and index) else 0
        return top - sep, sep + len(self.lines[index])

    def text_rows(self, index: int) -> tuple[int, int]:
        """The rows (first, count) holding a segment's text."""
        return self.tops[index], len(self.lines[index])

    def locate(self, y: int) -> tuple[int, int]:
        """The (segment index, line within it) at row `y`; line -1 is a turn separator."""
        if not self.segments:
            return -1, -1
        index = max(0, bisect_right(self.tops, y) - 1)
        line = y - self.tops[index]
        if line < 0:
            return index, -1
        if line >= len(self.lines[index]):
            nxt = index + 1
            if nxt < len(self.segments):
                return nxt, -1
            return index, len(self.lines[index]) - 1
        return index, line

    def line_span(self, index: int, line: int) -> tuple[int, int]:
        """Absolute [start, end) of one display line of a segment (trailing space excluded)."""
        starts = self.lines[index]
        start = starts[line]
        end = starts[line + 1] if line + 1 < len(starts) else self.ends[index]
        while end > start and self.text[end - 1] == " ":
            end -= 1
        return start, end

    def segment_at(self, offset: int) -> int:
        """The index of the segment containing `offset` (or the next one after a gap)."""
        if not self.segments:
            return -1
        index = bisect_right(self.ends, offset)
        return min(index, len(self.segments) - 1)

    def turn_bounds(self, index: int) -> tuple[int, int]:
        """First and last segment index of the turn holding segment `index`."""
        first = index
        while first > 0 and not self.turn_first[first]:
            first -= 1
        last = index
        while last + 1 < len(self.segments) and not self.turn_first[last + 1]:
            last += 1
        return first, last

    def words(self, start: int, end: int) -> list[tuple[int, int]]:
        """Word spans (non-space runs) inside [start, end)."""
        out: list[tuple[int, int]] = []
        text = self.text
        pos = start
        while pos < end:
            while pos < end and text[pos] == " ":
                pos += 1
            if pos >= end:
                break
            stop = text.find(" ", pos, end)
            stop = end if stop < 0 else stop
            out.append((pos, stop))
            pos = stop
        return out


class CodingIndex:
    """A source's codings, findable by id and by the segments they overlap."""

    def __init__(self, starts: Sequence[int], ends: Sequence[int],
                 spans: Iterable[CodingSpan] = ()) -> None:
        self._starts = list(starts)
        self._ends = list(ends)
        self.by_id: dict[int, CodingSpan] = {}
        self.by_segment: dict[int, list[int]] = {}
        for span in spans:
            self.add(span)

    def segments_of(self, start: int, end: int) -> range:
        """Indices of the segments overlapping [start, end)."""
        first = bisect_right(self._ends, start)
        last = bisect_left(self._starts, end)
        return range(first, max(first, last))

    def add(self, span: CodingSpan) -> range:
        """Add (or replace) a coding; returns the segments to redraw."""
        touched = self.remove(span.id)
        self.by_id[span.id] = span
        segs = self.segments_of(span.start, span.end)
        for i in segs:
            ids = self.by_segment.setdefault(i, [])
            ids.append(span.id)
            ids.sort(key=lambda cid: (self.by_id[cid].start, cid))
        return _union(touched, segs)

    def remove(self, coding_id: int) -> range:
        """Drop a coding; returns the segments to redraw (empty if unknown)."""
        span = self.by_id.pop(coding_id, None)
        if span is None:
            return range(0)
        segs = self.segments_of(span.start, span.end)
        for i in segs:
            ids = self.by_segment.get(i, [])
            if coding_id in ids:
                ids.remove(coding_id)
            if not ids:
                self.by_segment.pop(i, None)
        return segs

    def replace_all(self, spans: Iterable[CodingSpan]) -> set[int]:
        """Load a fresh set of codings; returns the segments whose codings changed."""
        new = {span.id: span for span in spans}
        changed: set[int] = set()
        for cid in [cid for cid, old in self.by_id.items() if new.get(cid) != old]:
            changed.update(self.remove(cid))
        for cid, span in new.items():
            if cid not in self.by_id:
                changed.update(self.add(span))
        return changed

    def at(self, index: int) -> list[CodingSpan]:
        """Codings overlapping segment `index`, in text order."""
        return [self.by_id[cid] for cid in self.by_segment.get(index, ())]

    def overlapping(self, index: int, start: int, end: int) -> list[CodingSpan]:
        """Codings of segment `index` that overlap [start, end)."""
        return [c for c in self.at(index) if c.start < end and c.end > start]

    def is_coded(self, index: int) -> bool:
        """Whether any coding overlaps segment `index`."""
        return index in self.by_segment


def _union(a: range, b: range) -> range:
    if not a:
        return b
    if not b:
        return a
    return range(min(a.start, b.start), max(a.stop, b.stop))
