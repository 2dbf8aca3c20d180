"""Segmentation of parsed sources: structure first (see `structure`), then spaCy's sentences.

Each turn is cut into blocks (headings, paragraphs, list items, table rows, signature blocks).
Headings, table rows and signature blocks are one segment each; paragraphs and list items go
through spaCy's tokenizer and sentencizer rule (`sentences.sentence_bounds`) with their line
breaks read as spaces (so a hard-wrapped sentence stays whole while the stored text keeps its
breaks), and sentence ends that the language's
abbreviation data marks as non-breaking (`Tk.`, `NIP.`, `tabel 2.3.`) are joined again; a list
marker stays with its item. Blocks longer than `MAX_CHUNK` characters are cut at the last
newline (else whitespace) before the limit. Only the sentencizer decides boundaries, so
segmentation uses a pipeline without the lookup lemmatizer (`nlp.get_segmenter`: speed only).
Segments are absolute offsets into `parsed.text`, trimmed, non-empty, ordered and
non-overlapping: `text[start:end]` is the segment.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import count, repeat
from operator import itemgetter
from typing import Any, NamedTuple

from qualcode.core.ingest.abbreviations import Abbreviations, abbreviations
from qualcode.core.ingest.sentences import BATCH_SIZE, sentence_bounds  # noqa: F401  (the benchmark's)
from qualcode.core.ingest.structure import (
    BLOCK_KINDS,
    LIST_ITEM,
    LIST_MARKER_RE,
    RULE,
    SENTENCE_KINDS,
    find_blocks,
)
from qualcode.core.ingest.turns import ParsedSource

MAX_CHUNK = 100_000
_OPEN_QUOTES = frozenset('"“‘«\'')


class SegmentSpan(NamedTuple):
    """A segment: `text[start:end]`, inside turn `turn_index` (spoken by `speaker`), in a
    block of kind `block` (heading, paragraph, list_item, table_row, signature).

    A NamedTuple rather than a dataclass: imports create hundreds of thousands of them.
    """

    start: int
    end: int
    turn_index: int | None
    speaker: str | None
    block: str | None = None


@dataclass(frozen=True)
class PackedSpans:
    """A source's segments as columns (what an import worker sends back): a few arrays pickle
    in a blink, where hundreds of thousands of `SegmentSpan` tuples do not."""

    starts: array
    ends: array
    turns: array  # turn index of each segment
    kinds: bytes  # index into `BLOCK_KINDS` of each segment's block

    @classmethod
    def of(cls, spans: Sequence[SegmentSpan]) -> PackedSpans:
        """Pack `spans` (each in a turn and a block, as `segment_many` gives them)."""
        return cls(array("q", [sp.start for sp in spans]), array("q", [sp.end for sp in spans]),
                   array("q", [sp.turn_index for sp in spans]),  # type: ignore[misc]
                   bytes(BLOCK_KINDS.index(sp.block) for sp in spans))  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self.starts)

    def rows(self, source_id: int, speakers: Sequence[str | None],
             interviewer: Sequence[bool]) -> Iterator[tuple[Any, ...]]:
        """Segment rows (source id, index, start, end, turn index, speaker, interviewer,
        block), given each turn's speaker and interviewer flag."""
        return zip(repeat(source_id), count(), self.starts, self.ends, self.turns,
                   map(speakers.__getitem__, self.turns),
                   map(interviewer.__getitem__, self.turns),
                   map(BLOCK_KINDS.__getitem__, self.kinds))


def _chunks(text: str, start: int, end: int, limit: int = MAX_CHUNK) -> list[tuple[int, int]]:
    """Cut [start, end) into pieces of at most `limit` chars at a newline or whitespace."""
    pieces = []
    while end - start > limit:
        cut = text.rfind("\n", start + 1, start + limit)
        if cut < 0:
            cut = max(
                text.rfind(" ", start + 1, start + limit),
                text.rfind("\t", start + 1, start + limit),
            )
        if cut < 0:
            cut = start + limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _blocks(parsed: ParsedSource) -> list[tuple[int, int, int, str]]:
    """(start, end, turn_index, block kind) of every block of every turn."""
    text = parsed.text
    per_line = parsed.fmt == "docx"
    out: list[tuple[int, int, int, str]] = []
    for index, turn in enumerate(parsed.turns):
        for block in find_blocks(text, turn.start, turn.end, per_line=per_line,
                                 shape_headings=turn.speaker is None, known=parsed.line_kinds):
            out.append((block.start, block.end, index, block.kind))
    return out


def _pieces(parsed: ParsedSource) -> list[tuple[int, int, int]]:
    """(start, end, turn_index) of the texts spaCy splits: paragraphs and list items, chunked."""
    out: list[tuple[int, int, int]] = []
    for s, e, index, kind in _blocks(parsed):
        if kind in SENTENCE_KINDS:
            out.extend((a, b, index) for a, b in _chunks(parsed.text, s, e, MAX_CHUNK))
    return out


def _sentences(piece: str, bounds: list[tuple[int, int]], rules: Abbreviations,
               list_item: bool) -> list[tuple[int, int]]:
    """Trimmed sentence bounds of a piece, non-breaking ends and a lone list marker joined."""
    out: list[tuple[int, int]] = []
    carry = -1  # an opening quote that spaCy left at the end of the previous sentence
    for a, b in bounds:
        if piece[a].isspace() or piece[b - 1].isspace():
            chunk = piece[a:b]
            stripped = chunk.strip()
            if not stripped:
                continue
            a += len(chunk) - len(chunk.lstrip())
            b = a + len(stripped)
        if carry >= 0:
            a, carry = carry, -1
        if b - a > 1 and piece[b - 1] in _OPEN_QUOTES and piece[b - 2].isspace():
            carry = b - 1
            b -= 1
            while piece[b - 1].isspace():
                b -= 1
        if out:
            pa, pb = out[-1]
            if piece[pb - 1] == "." and rules.joins(piece[pa:pb], piece[a:a + 40]):
                out[-1] = (pa, b)
                continue
            if list_item and len(out) == 1 and pa == 0 and (
                    (m := LIST_MARKER_RE.match(piece)) is not None and pb <= m.end()):
                out[-1] = (pa, b)  # the list marker stays with its item
                continue
        out.append((a, b))
    if carry >= 0 and out:  # nothing followed the quote: it stays where it was
        out[-1] = (out[-1][0], carry + 1)
    return out


def segment_many(items: list[ParsedSource], languages: list[str]) -> list[list[SegmentSpan]]:
    """Segment several sources; one `nlp.pipe` stream per language for throughput."""
    from qualcode.core.nlp import get_segmenter, normalise_language

    if len(items) != len(languages):
        raise ValueError("segment_many: items and languages differ in length")
    results: list[list[SegmentSpan]] = [[] for _ in items]
    by_lang: dict[str, list[tuple[int, int, int, int, str]]] = defaultdict(list)
    for item_no, (parsed, lang) in enumerate(zip(items, languages, strict=True)):
        code = normalise_language(lang)
        turns = parsed.turns
        direct = results[item_no]
        for s, e, t, kind in _blocks(parsed):
            if kind in SENTENCE_KINDS:
                by_lang[code].extend((item_no, a, b, t, kind)
                                     for a, b in _chunks(parsed.text, s, e, MAX_CHUNK))
            elif kind != RULE:
                direct.append(SegmentSpan(s, e, t, turns[t].speaker, kind))
    for code, pieces in by_lang.items():
        nlp = get_segmenter(code)
        rules = abbreviations(code)
        # Line breaks read as spaces: a hard-wrapped sentence is one sentence (same length).
        texts = [items[i].text[s:e].replace("\n", " ") for i, s, e, _, _ in pieces]
        for (item_no, base, _end, turn_index, kind), piece, bounds in zip(
                pieces, texts, sentence_bounds(nlp, texts), strict=True):
            speaker = items[item_no].turns[turn_index].speaker
            out = results[item_no]
            for a, b in _sentences(piece, bounds, rules, kind == LIST_ITEM):
                out.append(SegmentSpan(base + a, base + b, turn_index, speaker, kind))
    for spans in results:
        spans.sort(key=itemgetter(0))
    return results


def segment_source(parsed: ParsedSource, language: str) -> list[SegmentSpan]:
    """Sentence segments of one source (see module docstring for the guarantees)."""
    return segment_many([parsed], [language])[0]
