"""Sentence bounds of many texts: spaCy's tokenizer, and the sentencizer's rule over arrays.

`sentence_bounds(nlp, texts)` gives, for each text, exactly
``[(s.start_char, s.end_char) for s in nlp(text).sents]`` for a segmenter pipeline (a tokenizer
and spaCy's rule-based `sentencizer`, nothing else), at a fraction of the cost:

- **Only the words that can move a boundary are tokenized.** spaCy's tokenizer splits at
  whitespace first and tokenizes each word alone, and the sentencizer starts a sentence at the
  first token that is neither punctuation nor one of its `punct_chars` after one of those. So
  a word can matter only if it holds a sentence-ending character (`ya.`, `Tk.`, `3.5`), or
  follows such a word and may begin with punctuation (`"Lalu`, `(catatan)`).
  Each run of those, with the word after it, is a *window*; the windows of a few hundred texts
  are tokenized in one call (``"\\n"`` between them), the rule runs inside each window, and
  every other word is known without spaCy: a word that begins with a letter or digit begins
  with a token that is not punctuation. This tokenizes about a quarter of the text.
- **The tokenizer's cache is kept warm.** spaCy caches a word's tokens only in a call where no
  special case (`dll.`, `No.`, a line break) came before it, so in a long call most words were
  tokenized from scratch every time; each new word is first tokenized alone, once.
- The rule itself is applied with numpy to `Doc.to_array` columns, instead of a Python loop
  over `Token` objects and `Span`s.

Texts that begin or end with whitespace or hold a line break are tokenized whole, alone, as
is every text when the tokenizer has a special case that spans words and could reach past a
window (`_words_stay_in_windows`). A pipeline with any other component goes through
`nlp.pipe`. The test suite checks every way against spaCy's own
(tests/unit/test_ingest_sentences.py), and the import benchmark's corpus gives identical
segments. (One case is argued, not proven: spaCy's special-case matcher can match tokens
across whitespace whose text is no special case, e.g. `Dr .med`; such a match changes no token,
but could hide an overlapping real match that a window alone would apply; no input in the tests
or the benchmark corpus produced one.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

JOIN_CHARS = 100_000  # characters of texts whose windows are tokenized in one call
BATCH_SIZE = 256  # texts per nlp.pipe batch (pipelines with more than a sentencizer)
_SEPARATOR = "\n"
_LAST_SPACE = 0x3000  # no whitespace character lies above U+3000

Bounds = list[tuple[int, int]]


def sentence_bounds(nlp: Language, texts: Sequence[str], *,
                    join_chars: int = JOIN_CHARS) -> Iterator[Bounds]:
    """(start_char, end_char) of each text's sentences, text by text (see module docstring)."""
    if nlp.pipe_names != ["sentencizer"]:
        for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
            yield [(sent.start_char, sent.end_char) for sent in doc.sents]
        return
    rule = _rule(nlp)
    group: list[str] = []
    size = 0
    for text in texts:
        if not text or text[0].isspace() or text[-1].isspace() or _SEPARATOR in text:
            yield from rule.bounds(group)
            group, size = [], 0
            yield from rule.whole([text])
            continue
        group.append(text)
        size += len(text) + 1
        if size >= join_chars:
            yield from rule.bounds(group)
            group, size = [], 0
    yield from rule.bounds(group)


_RULES: dict[int, tuple[Any, _Rule]] = {}


def _rule(nlp: Language) -> _Rule:
    """The rule of a pipeline, built once (it holds the pipeline, so its id stays its own)."""
    held = _RULES.get(id(nlp))
    if held is None or held[0] is not nlp:
        held = _RULES[id(nlp)] = (nlp, _Rule(nlp))
    return held[1]


def _words_stay_in_windows(tokenizer: Any, chars: set[str]) -> bool:
    """Whether tokenizing windows alone gives the tokens of the whole text: spaCy's own
    tokenizer, whose special cases spanning several words (`Dr. rer. nat.`) have a
    sentence-ending character in every word but the last, so any match lies in one window."""
    from spacy.tokenizer import Tokenizer

    if type(tokenizer) is not Tokenizer:
        return False
    for key in tokenizer.rules:
        words = key.split()
        if len(words) > 1 and not all(chars.intersection(w) for w in words[:-1]):
            return False
    return True


def _window_pattern(chars: Sequence[str]) -> re.Pattern[str]:
    """From the first sentence-ending character of a word through the end of its window:
    more words holding one or beginning with neither a letter nor a digit, then one word."""
    stop = "".join(re.escape(c) for c in chars)
    holds_stop = rf"[^\s{stop}]*+[{stop}]\S*+"
    unsafe = r"(?:[^\w\s]|_)\S*+"
    return re.compile(rf"[{stop}]\S*+(?:[^\S\n]++(?:{holds_stop}|{unsafe}))*+(?:[^\S\n]++\S++)?")


class _Rule:
    """The sentencizer's rule for one pipeline, over the arrays of a tokenized join."""

    def __init__(self, nlp: Language) -> None:
        import numpy as np
        from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH

        self.np = np
        self.tokenizer = nlp.tokenizer
        self.attrs = [ORTH, IS_PUNCT, IDX, LENGTH]
        strings = nlp.vocab.strings
        chars = sorted(nlp.get_pipe("sentencizer").punct_chars)  # type: ignore[attr-defined]
        self.punct = np.array(sorted(strings.add(c) for c in chars), dtype=np.uint64)
        self.windows = _words_stay_in_windows(self.tokenizer, set(chars))
        self.astral = [c for c in chars if ord(c) > 0xFFFF]
        self.pattern = _window_pattern(chars)
        self.pattern_bmp = _window_pattern([c for c in chars if ord(c) <= 0xFFFF])
        self.space = np.array([chr(i).isspace() for i in range(_LAST_SPACE + 1)], dtype=bool)
        self.warmed: set[str] = set()
        self.cache_size = int(getattr(self.tokenizer, "max_cache_size", 10_000))

    def warm(self, text: str) -> None:
        """Tokenize each word of `text` not seen before alone, so that spaCy caches it (it
        caches nothing after a special case within one call); no more once the cache is full."""
        if len(self.warmed) >= self.cache_size:
            return
        new = set(text.split()) - self.warmed
        if new:
            self.warmed |= new
            tokenizer = self.tokenizer
            for word in new:
                tokenizer(word)

    def bounds(self, texts: list[str]) -> list[Bounds]:
        """Sentence bounds of texts without a line break or whitespace at either end."""
        return self.by_windows(texts) if self.windows else self.whole(texts)

    def _offsets(self, texts: list[str]) -> tuple[Any, Any]:
        """Each text's length and its start in the texts joined with the separator."""
        np = self.np
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        offsets = np.zeros(len(texts), dtype=np.int64)
        np.cumsum(lengths[:-1] + len(_SEPARATOR), out=offsets[1:])
        return lengths, offsets

    def _columns(self, texts: list[str]) -> tuple[Any, ...]:
        """Tokenize `texts` as one join: each token's window (text) number, ORTH hash,
        punctuation flag, offset in its window and length, separators left out."""
        np = self.np
        lengths, offsets = self._offsets(texts)
        joined = _SEPARATOR.join(texts)
        self.warm(joined)
        array: Any = self.tokenizer(joined).to_array(self.attrs)  # uint64 columns
        if len(array) == 0:
            return (np.zeros(0, dtype=np.int64),) * 5
        idx = array[:, 2].astype(np.int64)
        owner = np.searchsorted(offsets, idx, side="right") - 1
        keep = idx < offsets[owner] + lengths[owner]  # drops the separators
        array, idx, owner = array[keep], idx[keep], owner[keep]
        return (owner, array[:, 0], array[:, 1].astype(bool), idx - offsets[owner],
                array[:, 3].astype(np.int64))

    def _stops(self, orth: Any) -> Any:
        """Whether each token is one of the sentencizer's punct_chars."""
        np = self.np
        at = np.searchsorted(self.punct, orth).clip(max=len(self.punct) - 1)
        return self.punct[at] == orth

    def whole(self, texts: list[str]) -> list[Bounds]:
        """Sentence bounds of each of `texts`, every word tokenized."""
        np = self.np
        if not texts:
            return []
        owner, orth, is_punct, idx, length = self._columns(texts)
        n = len(idx)
        if n == 0:
            return [[] for _ in texts]
        in_punct = self._stops(orth)
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
        out: list[Bounds] = [[] for _ in texts]
        for text_no, a, b in zip(owner[starts].tolist(), idx[starts].tolist(),
                                 (idx[ends] + length[ends]).tolist(), strict=True):
            out[text_no].append((a, b))
        return out

    def _window_spans(self, joined: str) -> tuple[Any, Any]:
        """Start and end (in `joined`) of every window: from the start of its first word."""
        np = self.np
        pattern = self.pattern if any(c in joined for c in self.astral) else self.pattern_bmp
        found = [m.span() for m in pattern.finditer(joined)]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        spans = np.array(found, dtype=np.int64)
        code = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        space = np.zeros(len(code), dtype=bool)
        low = code <= _LAST_SPACE
        space[low] = self.space[code[low]]
        blanks = np.concatenate(([-1], np.flatnonzero(space)))  # separators are blanks too
        starts = blanks[np.searchsorted(blanks, spans[:, 0]) - 1] + 1
        return starts, spans[:, 1]

    def by_windows(self, texts: list[str]) -> list[Bounds]:
        """Sentence bounds of each of `texts`, only its windows tokenized."""
        np = self.np
        if not texts:
            return []
        lengths, offsets = self._offsets(texts)
        joined = _SEPARATOR.join(texts)
        w_start, w_end = self._window_spans(joined)
        out: list[Bounds] = [[] for _ in texts]
        if len(w_start):
            # every sentence start but a text's first lies in a window, after a punct_char
            window, orth, is_punct, idx, length = self._columns(
                [joined[a:b] for a, b in zip(w_start.tolist(), w_end.tolist(), strict=True)])
            in_punct = self._stops(orth)
            seen = np.concatenate(([0], np.cumsum(in_punct)))
            words = np.flatnonzero(~(in_punct | is_punct))
            first_token = np.searchsorted(window, window[words])  # the word's window's first
            after_last_word = np.empty(len(words), dtype=np.int64)
            after_last_word[:1] = first_token[:1]
            after_last_word[1:] = words[:-1] + 1
            since = np.maximum(after_last_word, first_token)  # same window only
            starts = words[seen[words] - seen[since] > 0]
            base = w_start[window[starts]]  # the token before a start is in its window
            begin = idx[starts] + base
            end = idx[starts - 1] + length[starts - 1] + base
            text_no = np.searchsorted(offsets, begin, side="right") - 1
            previous = [0] * len(texts)
            for t, a, b in zip(text_no.tolist(), (begin - offsets[text_no]).tolist(),
                               (end - offsets[text_no]).tolist(), strict=True):
                out[t].append((previous[t], b))
                previous[t] = a
        else:
            previous = [0] * len(texts)
        for t, n in enumerate(lengths.tolist()):
            out[t].append((previous[t], n))
        return out
