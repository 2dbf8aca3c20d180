"""The virtualised transcript: a Line API `ScrollView` that draws only the rows on screen.

Each row is built lazily from the wrapped layout and cached per (segment, line); a coding change
or a cursor move invalidates only the segments it touches. Columns, left to right: the cursor
bar, one colour mark per code on that line (glyph = valence), the speaker label at the start of a
turn, then the text. Interviewer turns are dimmed.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.core.store.read import CodingSpan
from qualcode.tui.transcript_model import CodingIndex, TranscriptLayout

MARKS = 3
GUTTER = 1 + MARKS + 1
VALENCE_GLYPH = {"+": "+", "-": "−", "0": "▌"}


@dataclass(frozen=True)
class CodeLook:
    """How a code is drawn: key and colour."""

    key: str
    colour: str


class TranscriptView(ScrollView, can_focus=True, inherit_bindings=False):
    """A transcript with a segment cursor, a selection, word narrowing and search matches."""

    COMPONENT_CLASSES = {  # noqa: RUF012
        "transcript--cursor", "transcript--selection", "transcript--narrow",
        "transcript--interviewer", "transcript--speaker", "transcript--match",
        "transcript--coded",
    }
    DEFAULT_CSS = """
    TranscriptView {
        background: $surface;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
    }
    TranscriptView > .transcript--cursor { color: $accent; text-style: bold; }
    TranscriptView > .transcript--selection { background: $primary 30%; }
    TranscriptView > .transcript--narrow { background: $accent 55%; color: $text; }
    TranscriptView > .transcript--interviewer { color: $text-muted; }
    TranscriptView > .transcript--speaker { color: $secondary; text-style: bold; }
    TranscriptView > .transcript--match { background: $warning 70%; color: $text; }
    TranscriptView > .transcript--coded { text-style: underline; }
    """

    class CursorMoved(Message):
        """The cursor or the selection changed (also on a click)."""

        def __init__(self, view: TranscriptView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, layout: TranscriptLayout, index: CodingIndex,
                 looks: dict[int, CodeLook], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model = layout
        self.index = index
        self.looks = looks
        self.cursor = 0
        self.mark = 0  # the other end of the selection (the cursor is one end)
        self.moves = 0  # counts cursor moves: lets the screen tell "still here" from "back here"
        self.narrow: tuple[int, int] | None = None
        self.matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
        self._speaker_width = 0
        self._laid_out_width = 0  # content width of the last layout
        self._cache: dict[int, dict[int, Strip]] = {}
        self._styles: dict[str, Style] = {}
        self._center_pending = False

    # ---- selection -------------------------------------------------------------------------
    @property
    def selection(self) -> tuple[int, int]:
        """First and last selected segment index."""
        return min(self.cursor, self.mark), max(self.cursor, self.mark)

    def selection_span(self) -> tuple[int, int]:
        """The character span a code would be applied to (narrowed words, or whole segments)."""
        if self.narrow is not None:
            return self.narrow
        lo, hi = self.selection
        return self.model.starts[lo], self.model.ends[hi]

    def move_to(self, index: int, *, extend: bool = False, center: bool = False) -> None:
        """Put the cursor on segment `index`; with `extend` the mark stays (selection grows)."""
        if not len(self.model):
            return
        index = max(0, min(index, len(self.model) - 1))
        self.moves += 1
        old = set(range(self.selection[0], self.selection[1] + 1))
        self.cursor = index
        if not extend:
            self.mark = index
        if self.narrow is not None:
            self.narrow = None
        new = set(range(self.selection[0], self.selection[1] + 1))
        self.invalidate(old ^ new | {min(old), max(old), min(new), max(new)})
        self.show_cursor(center=center)
        self.post_message(self.CursorMoved(self))

    def move_by(self, delta: int, *, extend: bool = False) -> None:
        """Move the cursor `delta` segments."""
        self.move_to(self.cursor + delta, extend=extend)

    def go_to_offset(self, offset: int) -> None:
        """Put the cursor on the segment containing a text offset (centred)."""
        index = self.model.segment_at(offset)
        if index < 0:
            return
        if self.model.width == 0:  # not laid out yet: scroll there once it is
            self.cursor = self.mark = index
            self._center_pending = True
            return
        self.move_to(index, center=True)

    def set_narrow(self, span: tuple[int, int] | None) -> None:
        """Narrow the coding span to words inside the selection (None: whole segments)."""
        self.narrow = span
        lo, hi = self.selection
        self.invalidate(range(lo, hi + 1))
        self.post_message(self.CursorMoved(self))

    def page_rows(self) -> int:
        """Rows in one screenful."""
        return max(1, self.scrollable_content_region.height - 1)

    def segment_at_row(self, row: int) -> int:
        """Segment index at a virtual row."""
        index, _ = self.model.locate(max(0, min(row, max(0, self.model.height - 1))))
        return index

    def show_cursor(self, *, center: bool = False) -> None:
        """Scroll so the cursor segment is visible."""
        if not self.model.width or not len(self.model):
            return
        top, count = self.model.text_rows(self.cursor)
        first, _ = self.model.block(self.cursor)
        height = self.scrollable_content_region.height
        region = Region(0, first, 1, min(count + top - first, max(1, height)))
        self.scroll_to_region(region, animate=False, center=center, force=True, immediate=True)

    # ---- content changes ---------------------------------------------------------------------
    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        """Highlight search matches (absolute spans); redraws what is on screen."""
        self.matches = matches
        self._match_starts = [m[0] for m in matches]
        self.invalidate_all()

    def codings_changed(self, segments: range | set[int]) -> None:
        """Redraw the segments whose codings changed."""
        self.invalidate(segments)

    def set_looks(self, looks: dict[int, CodeLook]) -> None:
        """New code colours (after a codebook edit)."""
        self.looks = looks
        self.invalidate_all()

    def invalidate(self, segments: range | set[int]) -> None:
        """Drop cached rows of these segments and repaint them if visible."""
        if not self.model.width:
            return
        scroll_y = self.scroll_offset.y
        height = self.size.height
        for i in segments:
            if not 0 <= i < len(self.model):
                continue
            self._cache.pop(i, None)
            top, count = self.model.text_rows(i)
            if top + count > scroll_y and top < scroll_y + height:
                self.refresh_lines(top, count)

    def invalidate_all(self) -> None:
        """Drop every cached row and repaint."""
        self._cache.clear()
        self.refresh()

    # ---- layout ----------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def on_mount(self) -> None:
        self._relayout()

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        self._laid_out_width = width
        speakers = [len(s.speaker) for s in self.model.segments[:500] if s.speaker]
        want = min(14, max(speakers) + 1) if speakers else 0
        self._speaker_width = min(want, 9) if width < 70 else want
        text_width = max(10, width - GUTTER - self._speaker_width)
        # At the top of the transcript the frame needs only its first screenful wrapped; the
        # rest is wrapped right after that frame (`_finish_wrap`).
        at_top = self.cursor == 0 and not self._center_pending and self.scroll_offset.y == 0
        rows = 2 * self.scrollable_content_region.height if at_top else None
        if text_width != self.model.width or (self.model.partial and rows is None):
            self.model.wrap(text_width, rows=rows)
            self._cache.clear()
        self.virtual_size = Size(width, self.model.height)
        self.refresh()
        center, self._center_pending = self._center_pending, False
        self.call_after_refresh(self.show_cursor, center=center)
        if self.model.partial:
            self.call_after_refresh(self._finish_wrap)

    def _finish_wrap(self) -> None:
        """Wrap the segments a partial layout only estimated (keeps the cursor in view)."""
        if not self.model.partial:
            return
        self.model.wrap(self.model.width)
        self._cache.clear()
        self.virtual_size = Size(self.virtual_size.width, self.model.height)
        self.refresh()
        self.show_cursor()

    # ---- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._laid_out_width:
            # The first frame is drawn before the Resize event arrives: lay out now, so the
            # first paint already shows the transcript instead of an empty frame.
            self._relayout()
        row = y + self.scroll_offset.y
        if row >= self.model.height or not len(self.model):
            return Strip.blank(width, self._style())
        index, line = self.model.locate(row)
        if line < 0:
            return Strip.blank(width, self._style())
        lines = self._cache.setdefault(index, {})
        strip = lines.get(line)
        if strip is None:
            strip = self._build_line(index, line).adjust_cell_length(width, self._style())
            lines[line] = strip
        return strip

    def _build_line(self, index: int, line: int) -> Strip:
        model = self.model
        seg = model.segments[index]
        base = self._style()
        starts = model.lines[index]
        line_start = starts[line]
        line_stop = starts[line + 1] if line + 1 < len(starts) else model.ends[index]
        lo, hi = self.selection
        selected = lo <= index <= hi
        parts: list[Segment] = []
        cursor = self._style("transcript--cursor")
        parts.append(Segment("▍" if index == self.cursor else " ", cursor))
        codings = self.index.overlapping(index, line_start, line_stop)
        for n in range(MARKS):
            if n < len(codings):
                look = self.looks.get(codings[n].code_id)
                glyph = VALENCE_GLYPH.get(codings[n].valence, "▌")
                if n == MARKS - 1 and len(codings) > MARKS:
                    glyph = "…"
                colour = look.colour if look else "grey50"
                parts.append(Segment(glyph, base + Style(color=colour, bold=True)))
            else:
                parts.append(Segment(" ", base))
        parts.append(Segment(" ", base))
        if self._speaker_width:
            label = ""
            if line == 0 and model.turn_first[index] and seg.speaker:
                label = seg.speaker[: self._speaker_width - 1]
            style = base + (self._style("transcript--interviewer")
                            if seg.is_interviewer
                            else self._style("transcript--speaker"))
            parts.append(Segment(label.ljust(self._speaker_width), style))
        start, end = model.line_span(index, line)
        parts.extend(self._text_segments(index, start, end, selected, codings))
        if selected:
            used = GUTTER + self._speaker_width + (end - start)
            pad = max(0, self.scrollable_content_region.width - used)
            parts.append(Segment(" " * pad, self._style("transcript--selection")))
        return Strip(parts)

    def _text_segments(self, index: int, start: int, end: int, selected: bool,
                       codings: list[CodingSpan]) -> list[Segment]:
        """The text of one line split where its styling changes."""
        text = self.model.text
        seg = self.model.segments[index]
        base = (self._style("transcript--interviewer")
                if seg.is_interviewer else self._style())
        if selected:
            sel = self._style("transcript--selection")
            base = sel + Style(color=base.color)
        layers: list[tuple[int, int, Style]] = []
        seg_start, seg_end = self.model.starts[index], self.model.ends[index]
        coded = self._style("transcript--coded", partial=True)
        for c in codings:
            if c.start > seg_start or c.end < seg_end:
                layers.append((max(c.start, start), min(c.end, end), coded))
        if self.narrow is not None and selected:
            narrow = self._style("transcript--narrow", partial=True)
            layers.append((max(self.narrow[0], start), min(self.narrow[1], end), narrow))
        if self.matches:
            match = self._style("transcript--match", partial=True)
            i = max(0, bisect_left(self._match_starts, start) - 1)
            while i < len(self.matches) and self.matches[i][0] < end:
                m_start, m_end = self.matches[i]
                if m_end > start:
                    layers.append((max(m_start, start), min(m_end, end), match))
                i += 1
        layers = [(a, b, s) for a, b, s in layers if a < b]
        if not layers:
            return [Segment(text[start:end], base)]
        cuts = sorted({start, end, *(a for a, _, _ in layers), *(b for _, b, _ in layers)})
        out: list[Segment] = []
        for a, b in pairwise(cuts):
            style = base
            for la, lb, ls in layers:
                if la <= a and b <= lb:
                    style = style + ls
            out.append(Segment(text[a:b], style))
        return out

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._styles.clear()

    def _style(self, name: str = "", *, partial: bool = False) -> Style:
        """The widget's base style ("") or a component style, cached until styles change.

        Computing them walks the DOM; a frame draws dozens of lines, each needing several.
        """
        key = f"{name}/{partial}"
        style = self._styles.get(key)
        if style is None:
            style = (self.get_component_rich_style(name, partial=partial) if name
                     else self.rich_style)
            self._styles[key] = style
        return style

    # ---- mouse -----------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not len(self.model):
            return
        index, _ = self.model.locate(offset.y + self.scroll_offset.y)
        if index >= 0:
            self.move_to(index, extend=event.shift)
