"""Sentence segmentation of parsed sources with spaCy's rule-based sentencizer.

Each turn is split into paragraphs at blank lines (a sentence never spans a paragraph break),
paragraphs longer than `MAX_CHUNK` characters are cut at the last newline (else whitespace)
before the limit, and the pieces go through `nlp.pipe` in batches. Only the sentencizer decides
boundaries, so segmentation uses a pipeline without the lookup lemmatizer
(`nlp.get_segmenter`: speed only; the result is identical). Segments are absolute offsets into
`parsed.text`, trimmed of whitespace, non-empty, ordered and non-overlapping: `text[start:end]`
is the sentence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import NamedTuple

from qualcode.core.ingest.turns import ParsedSource

MAX_CHUNK = 100_000
BATCH_SIZE = 256
_BLANK_LINES_RE = re.compile(r"\n(?:[ \t]*\n)+")


class SegmentSpan(NamedTuple):
    """A sentence: `text[start:end]`, inside turn `turn_index` (spoken by `speaker`).

    A NamedTuple rather than a dataclass: imports create hundreds of thousands of them.
    """

    start: int
    end: int
    turn_index: int | None
    speaker: str | None


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


def _pieces(parsed: ParsedSource) -> list[tuple[int, int, int]]:
    """(start, end, turn_index) of the texts to segment: turn paragraphs, chunked."""
    text = parsed.text
    out: list[tuple[int, int, int]] = []
    for index, turn in enumerate(parsed.turns):
        pos = turn.start
        bounds = []
        for m in _BLANK_LINES_RE.finditer(text, turn.start, turn.end):
            bounds.append((pos, m.start()))
            pos = m.end()
        bounds.append((pos, turn.end))
        for s, e in bounds:
            if e - s > MAX_CHUNK:
                out.extend((a, b, index) for a, b in _chunks(text, s, e, MAX_CHUNK))
            elif e > s:
                out.append((s, e, index))
    return out


def segment_many(items: list[ParsedSource], languages: list[str]) -> list[list[SegmentSpan]]:
    """Segment several sources; one `nlp.pipe` stream per language for throughput."""
    from qualcode.core.nlp import get_segmenter, normalise_language

    if len(items) != len(languages):
        raise ValueError("segment_many: items and languages differ in length")
    by_lang: dict[str, list[tuple[int, int, int, int]]] = defaultdict(list)
    for item_no, (parsed, lang) in enumerate(zip(items, languages, strict=True)):
        code = normalise_language(lang)
        by_lang[code].extend((item_no, s, e, t) for s, e, t in _pieces(parsed))
    # Spans per item in piece order; pieces of one item are in text order within a language.
    results: list[list[SegmentSpan]] = [[] for _ in items]
    for code, pieces in by_lang.items():
        nlp = get_segmenter(code)
        texts = [items[i].text[s:e] for i, s, e, _ in pieces]
        docs = nlp.pipe(texts, batch_size=BATCH_SIZE)
        # `doc.text` would rebuild each string from its tokens; reuse the input instead.
        for (item_no, base, _end, turn_index), piece, doc in zip(pieces, texts, docs, strict=True):
            speaker = items[item_no].turns[turn_index].speaker
            out = results[item_no]
            for sent in doc.sents:
                a, b = sent.start_char, sent.end_char
                if piece[a:a + 1].isspace() or piece[b - 1:b].isspace():
                    chunk = piece[a:b]
                    stripped = chunk.strip()
                    if not stripped:
                        continue
                    a += len(chunk) - len(chunk.lstrip())
                    b = a + len(stripped)
                out.append(SegmentSpan(base + a, base + b, turn_index, speaker))
    return results


def segment_source(parsed: ParsedSource, language: str) -> list[SegmentSpan]:
    """Sentence segments of one source (see module docstring for the guarantees)."""
    return segment_many([parsed], [language])[0]
