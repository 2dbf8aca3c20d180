"""`sentence_bounds` gives exactly the sentences of spaCy's own pipeline (`nlp.pipe` + `.sents`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.core.ingest.sentences import JOIN_CHARS, _rule, sentence_bounds
from qualcode.core.nlp import get_pipeline, get_segmenter

DATA = Path(__file__).resolve().parents[1] / "data" / "segmentation"

# fmt: off
EDGES = [
    "", " ", "  ", ".", "...", "!?", "Halo.", "... Lalu dia pergi. Ya!", "Sudah.  Belum? Nanti",
    " Diawali spasi. Lagi.", "Diakhiri spasi. Lagi. ", "Ada\nbaris. Baru.", "“Kutip.” Lalu.",
    "Dr. Hartono datang. dll. dsb. Tk. I, NIP. 1980.", "(1) Satu. (2) Dua.", "A. PENDAHULUAN",
    "I don't know. It's fine! Mr. Smith's car.", "3.5 persen. 10:30 WIB.", "😀. naïve e\u0301. —",
    "Tanda tanya?!... lalu; titik: koma, selesai", "tab\tdi tengah.\tLagi.", "؟ ۔ 。 ！",
    "Kalimat tanpa titik", ".Awal titik", "' . '", "a . b . c", "[tertawa]. (catatan).",
]
WORDS = [
    "pegawai", "melayani", "masyarakat", "Dr.", "dll.", "Tk.", "makan-makan", "ASN", "e\u0301",
    "😀", "“kutipan”", "(catatan)", "10:30", "3.5", "Peneliti:", "[tertawa]", "—", "don't", ".",
    "?", "!", "...", ";", ",", "\"", "'", "Mr.", "U.S.", "it's", "\t", "  ", "。", "…",
    "Dr", "med", "rer.", "nat.", "iur.", "dll", "(dll.)", "Rp.", "No.", "\xa0", "؟", "_x", "$5",
    "—.", "a.m.", "Drs.", ".med", "“", "”", ")", "(", ":)", "e.g.", "3.", "!)", "\u3000", "𑁇",
]
# fmt: on


def spacy_bounds(lang: str, texts: list[str]) -> list[list[tuple[int, int]]]:
    docs = get_segmenter(lang).pipe(texts, batch_size=64)
    return [[(s.start_char, s.end_char) for s in doc.sents] for doc in docs]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_edge_cases_match_spacy(lang: str) -> None:
    texts = EDGES * 3  # several joins, with texts that must be tokenized alone in between
    got = list(sentence_bounds(get_segmenter(lang), texts))
    assert got == spacy_bounds(lang, texts)
    # a second space is a token of its own that starts the next sentence (trimmed later)
    assert got[EDGES.index("Sudah.  Belum? Nanti")] == [(0, 6), (7, 14), (15, 20)]


def test_labelled_files_match_spacy() -> None:
    paragraphs = [p.replace("\n", " ").strip()
                  for f in sorted(DATA.rglob("*.txt"))
                  for p in f.read_text(encoding="utf-8").replace("‖", "").replace("¦", "")
                  .split("\n\n")]
    texts = [p for p in paragraphs if p]
    assert sum(map(len, texts)) > 4 * 2000  # several joins
    for join_chars in (2000, JOIN_CHARS):
        assert list(sentence_bounds(get_segmenter("id"), texts, join_chars=join_chars)
                    ) == spacy_bounds("id", texts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join), max_size=40),
       st.sampled_from(["id", "en"]))
def test_random_texts_match_spacy(texts: list[str], lang: str) -> None:
    assert list(sentence_bounds(get_segmenter(lang), texts, join_chars=300)
                ) == spacy_bounds(lang, texts)


CHARS = [*"abcXYZ019 .!?…,;:'\"“”‘’()[]{}-—–_/\\$%&*+=@#~^`|<>\t\u00a0\u3000؟।。！？｡\r\x0b",
         *"\u200bäé😀𑁇", "Dr.", "dll.", "e.g.", "...", ":)", "www.x.com", "3.5", "med", "rer."]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.sampled_from(CHARS), max_size=40).map("".join), max_size=30),
       st.sampled_from(["id", "en"]))
def test_random_characters_match_spacy(texts: list[str], lang: str) -> None:
    """Any mix of whitespace, punctuation, quotes and symbols, not only whole words."""
    assert list(sentence_bounds(get_segmenter(lang), texts, join_chars=200)
                ) == spacy_bounds(lang, texts)


def test_window_and_whole_tokenization_agree_on_long_text() -> None:
    """The window way and the whole way give spaCy's bounds on a long generated text."""
    import random

    rng = random.Random(7)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 60))).strip() or "x"
             for _ in range(600)]
    nlp = get_segmenter("id")
    rule = _rule(nlp)
    assert rule.windows  # the bundled pipelines' special cases stay inside windows
    expected = spacy_bounds("id", texts)
    joinable = [t for t in texts if "\n" not in t]
    assert rule.by_windows(joinable) == rule.whole(joinable) == [
        b for t, b in zip(texts, expected, strict=True) if "\n" not in t]


def test_special_case_across_words_tokenizes_whole_texts() -> None:
    """A special case spanning words without a sentence end in each could reach outside a
    window: such a tokenizer has every word tokenized, and still gives spaCy's bounds."""
    import spacy

    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    nlp.tokenizer.add_special_case("kata kunci", [{"ORTH": "kata"}, {"ORTH": " "},
                                                  {"ORTH": "kunci"}])
    assert not _rule(nlp).windows
    texts = ["Ini kata kunci. Lalu kata kunci lagi! Ya.", "kata kunci", "Satu. Dua"]
    expected = [[(s.start_char, s.end_char) for s in doc.sents] for doc in nlp.pipe(texts)]
    assert list(sentence_bounds(nlp, texts)) == expected


def test_other_pipelines_go_through_spacy() -> None:
    """A pipeline with more than a sentencizer (lemmas) is run as spaCy runs it."""
    texts = ["Pegawai melayani. Masyarakat senang.", "Satu"]
    docs = get_pipeline("id").pipe(texts)
    expected = [[(s.start_char, s.end_char) for s in doc.sents] for doc in docs]
    assert list(sentence_bounds(get_pipeline("id"), texts)) == expected == [[(0, 17), (18, 36)],
                                                                            [(0, 4)]]
