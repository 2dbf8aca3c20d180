"""Sentence bounds of many texts: spaCy's tokenizer, and the sentencizer's rule over arrays.

`sentence_bounds(nlp, texts)` gives, for each text, exactly
``[(s.start_char, s.end_char) for s in nlp(text).sents]`` for a segmenter pipeline (a tokenizer
and spaCy's rule-based `sentencizer`, nothing else), at a fraction of the cost:

- texts are tokenized joined (``"\\n"`` between them), a few hundred at a time, instead of one
  `Doc` each: spaCy's tokenizer splits at whitespace first, so a text's tokens are the same
  inside the join as alone (a text that begins or ends with whitespace, or holds a line break,
  is tokenized alone);
- the sentencizer's rule (a sentence starts at the first token of a text, and at a token that
  is neither punctuation nor one of its `punct_chars` when one of those came since the last
  such token) is applied with numpy to `Doc.to_array` columns, instead of a Python loop over
  `Token` objects and `Span`s.

A pipeline with any other component goes through `nlp.pipe` as before. The test suite checks
the two ways give the same bounds (tests/unit/test_ingest_sentences.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

JOIN_CHARS = 8_000  # characters tokenized in one go (the tokenizer caches less in longer texts)
BATCH_SIZE = 256  # texts per nlp.pipe batch (pipelines with more than a sentencizer)
_SEPARATOR = "\n"

Bounds = list[tuple[int, int]]


def sentence_bounds(nlp: Language, texts: Sequence[str]) -> Iterator[Bounds]:
    """(start_char, end_char) of each text's sentences, text by text (see module docstring)."""
    if nlp.pipe_names != ["sentencizer"]:
        for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
            yield [(sent.start_char, sent.end_char) for sent in doc.sents]
        return
    rule = _Rule(nlp)
    group: list[str] = []
    size = 0
    for text in texts:
        if not text or text[0].isspace() or text[-1].isspace() or _SEPARATOR in text:
            yield from rule.bounds(group)
            group, size = [], 0
            yield from rule.bounds([text])
            continue
        group.append(text)
        size += len(text) + 1
        if size >= JOIN_CHARS:
            yield from rule.bounds(group)
            group, size = [], 0
    yield from rule.bounds(group)


class _Rule:
    """The sentencizer's rule for one pipeline, over the arrays of a tokenized join."""

    def __init__(self, nlp: Language) -> None:
        import numpy as np
        from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH

        self.np = np
        self.tokenizer = nlp.tokenizer
        self.attrs = [ORTH, IS_PUNCT, IDX, LENGTH]
        strings = nlp.vocab.strings
        chars = nlp.get_pipe("sentencizer").punct_chars  # type: ignore[attr-defined]
        self.punct = np.array(sorted(strings.add(c) for c in chars), dtype=np.uint64)

    def bounds(self, texts: list[str]) -> list[Bounds]:
        """Sentence bounds of each of `texts`, tokenized as one join."""
        np = self.np
        if not texts:
            return []
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        offsets = np.zeros(len(texts), dtype=np.int64)
        np.cumsum(lengths[:-1] + len(_SEPARATOR), out=offsets[1:])
        doc = self.tokenizer(_SEPARATOR.join(texts))
        if len(doc) == 0:
            return [[] for _ in texts]
        array: Any = doc.to_array(self.attrs)  # uint64 columns
        idx = array[:, 2].astype(np.int64)
        owner = np.searchsorted(offsets, idx, side="right") - 1
        keep = idx < offsets[owner] + lengths[owner]  # drops the separators
        array, idx, owner = array[keep], idx[keep], owner[keep]
        orth, is_punct = array[:, 0], array[:, 1].astype(bool)
        length = array[:, 3].astype(np.int64)
        n = len(idx)
        at = np.searchsorted(self.punct, orth).clip(max=len(self.punct) - 1)
        in_punct = self.punct[at] == orth
        first = np.ones(n, dtype=bool)
        first[1:] = owner[1:] != owner[:-1]
        # seen_period at a token: a punct_char since the text's start or the last "word"
        seen = np.concatenate(([0], np.cumsum(in_punct)))  # seen[i] = punct_chars before i
        word = ~(in_punct | is_punct)
        marks = np.flatnonzero(word | first)
        # the last word (or the text's first token) before each word token, in the same text
        prev = np.empty(len(marks), dtype=np.int64)
        prev[0] = marks[0]
        prev[1:] = marks[:-1]
        anchor = np.where(first[marks], marks, prev)
        since = np.where(first[anchor], seen[anchor], seen[anchor + 1])
        starts_mask = np.zeros(n, dtype=bool)
        starts_mask[marks] = first[marks] | (seen[marks] - since > 0)
        starts = np.flatnonzero(starts_mask)
        ends = np.empty(len(starts), dtype=np.int64)  # last token of each sentence
        ends[:-1] = starts[1:] - 1
        ends[-1] = n - 1
        last_of_text = np.flatnonzero(np.append(first[1:], True))  # each text's last token
        crossing = owner[ends] != owner[starts]
        ends[crossing] = last_of_text[np.searchsorted(last_of_text, starts[crossing])]
        base = offsets[owner[starts]]
        begin = (idx[starts] - base).tolist()
        finish = (idx[ends] + length[ends] - base).tolist()
        out: list[Bounds] = [[] for _ in texts]
        for text_no, a, b in zip(owner[starts].tolist(), begin, finish, strict=True):
            out[text_no].append((a, b))
        return out
