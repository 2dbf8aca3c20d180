"""Sentence segmentation with spaCy, and the nlp helpers (pipelines, language detection)."""

from __future__ import annotations

import itertools

import pytest

from qualcode.core import nlp
from qualcode.core.ingest import ParsedSource, SegmentSpan, parse_text, segment_many, segment_source
from qualcode.core.ingest import segment as segment_module
from qualcode.errors import QualcodeError


def _sentences(parsed: ParsedSource, language: str = "id") -> list[tuple[str, str | None]]:
    return [(parsed.text[s.start : s.end], s.speaker) for s in segment_source(parsed, language)]


def test_sentences_per_turn_with_speakers_and_turn_index() -> None:
    parsed = parse_text(
        "Peneliti: Selamat pagi, Bu. Bagaimana kabarnya?\n"
        "Informan: Baik, Pak! Kami sibuk sekali.\nBanyak warga datang.\n"
    )
    spans = segment_source(parsed, "id")
    assert [(parsed.text[s.start : s.end], s.turn_index, s.speaker) for s in spans] == [
        ("Selamat pagi, Bu.", 0, "Peneliti"),
        ("Bagaimana kabarnya?", 0, "Peneliti"),
        ("Baik, Pak!", 1, "Informan"),
        ("Kami sibuk sekali.", 1, "Informan"),
        ("Banyak warga datang.", 1, "Informan"),
    ]


def test_blank_line_always_ends_a_sentence() -> None:
    parsed = parse_text("Informan: Poin pertama tanpa titik\n\nPoin kedua juga tanpa titik\n")
    assert _sentences(parsed) == [
        ("Poin pertama tanpa titik", "Informan"),
        ("Poin kedua juga tanpa titik", "Informan"),
    ]


def test_single_newline_does_not_split_a_wrapped_sentence() -> None:
    parsed = parse_text("Kalimat ini dibungkus\nke baris berikutnya. Lalu selesai.")
    assert _sentences(parsed) == [
        ("Kalimat ini dibungkus\nke baris berikutnya.", None),
        ("Lalu selesai.", None),
    ]


def test_segments_are_trimmed_exact_and_verbatim() -> None:
    text = "  Informan:\t  Ya\u00a0betul.   e\u0301 😀 bagus!  \t\n"
    parsed = parse_text(text)
    spans = segment_source(parsed, "id")
    assert [parsed.text[s.start : s.end] for s in spans] == ["Ya\u00a0betul.", "e\u0301 😀 bagus!"]


def test_english_pipeline_and_abbreviations() -> None:
    parsed = parse_text("Interviewer: How long have you worked here? Respondent: Ten years.", "txt")
    assert _sentences(parsed, "en") == [
        ("How long have you worked here?", "Interviewer"),
        ("Respondent: Ten years.", "Interviewer"),
    ]


def test_segment_many_matches_single_calls_and_mixes_languages() -> None:
    a = parse_text("P: Apa kabar? I: Baik.\nP: Oke.\nI: Ya. Tentu.")
    b = parse_text("The office opens at eight. Staff arrive early.")
    c = parse_text("Satu kalimat saja")
    many = segment_many([a, b, c], ["id", "en", "Indonesian"])
    assert many == [segment_source(a, "id"), segment_source(b, "en"), segment_source(c, "id")]
    assert [b.text[s.start : s.end] for s in many[1]] == [
        "The office opens at eight.",
        "Staff arrive early.",
    ]


def test_segment_many_checks_lengths() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        segment_many([parse_text("a")], [])


def test_very_long_turns_are_chunked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segment_module, "MAX_CHUNK", 50)
    sentence = "kata " * 30  # 150 chars, no sentence end, no newline
    parsed = parse_text("Informan: " + sentence + "\nbaris kedua tanpa titik juga ya")
    spans = segment_source(parsed, "id")
    assert all(s.end - s.start <= 50 for s in spans)
    covered = "".join("".join(parsed.text[s.start : s.end].split()) for s in spans)
    assert covered == "kata" * 30 + "bariskeduatanpatitikjugaya"
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_chunks_prefer_newlines_then_whitespace() -> None:
    text = "aaaa bbbb\ncccc dddd eeee"
    assert segment_module._chunks(text, 0, len(text), limit=12) == [(0, 9), (9, 19), (19, 24)]
    assert segment_module._chunks("x" * 25, 0, 25, limit=10) == [(0, 10), (10, 20), (20, 25)]


def test_real_long_turn_over_the_limit() -> None:
    body = "Pegawai melayani warga dengan baik.\n" * 4000  # ~144k characters, one turn
    parsed = parse_text("Informan: " + body)
    spans = segment_source(parsed, "id")
    assert len(spans) == 4000
    assert {parsed.text[s.start : s.end] for s in spans} == {"Pegawai melayani warga dengan baik."}


def test_segment_span_is_frozen() -> None:
    span = SegmentSpan(0, 1, None, None)
    with pytest.raises(AttributeError):
        span.start = 3  # type: ignore[misc]


# --- nlp ------------------------------------------------------------------------------------


def test_pipeline_is_cached_and_has_sentencizer_and_lookup_lemmas() -> None:
    id_nlp = nlp.get_pipeline("id")
    assert nlp.get_pipeline("id") is id_nlp
    assert id_nlp.pipe_names == ["sentencizer", "lemmatizer"]
    assert [t.lemma_ for t in id_nlp("Pegawai bekerja")] == ["Pegawai", "kerja"]
    en_nlp = nlp.get_pipeline("en")
    assert [t.lemma_ for t in en_nlp("employees were working")] == ["employee", "be", "work"]


@pytest.mark.parametrize("language", ["fr", "xx", "", "jawa"])
def test_unsupported_language_is_a_qualcode_error(language: str) -> None:
    with pytest.raises(QualcodeError, match="unsupported language") as info:
        nlp.get_pipeline(language)
    assert info.value.hint


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("id", "id"),
        ("ID", "id"),
        ("id-ID", "id"),
        ("Indonesian", "id"),
        ("en_US", "en"),
        ("English", "en"),
    ],
)
def test_normalise_language(given: str, code: str) -> None:
    assert nlp.normalise_language(given) == code


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Saya bekerja di kantor dinas dan melayani masyarakat yang datang.", "id"),
        ("We work at the agency and serve the people who come to the office.", "en"),
        ("", "id"),
        ("12345 !!!", "id"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert nlp.detect_language(text) == language


def test_importing_ingest_does_not_import_spacy_or_python_docx() -> None:
    import subprocess
    import sys

    code = (
        "import sys, qualcode.core.ingest, qualcode.core.nlp;"
        "print(any(m == 'spacy' or m.startswith(('spacy.', 'docx')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_remembered_sentence_endings_give_the_same_verdicts() -> None:
    """`joins` remembers its verdict on a sentence's last two words; the next sentence is
    still read every time, and a longer sentence with the same ending gets the same answer."""
    from qualcode.core.ingest.abbreviations import abbreviations

    rules = abbreviations("id")
    for _ in range(2):  # the second round answers from what the first remembered
        assert rules.joins("Datanya ada di tabel 2.3.", "Jumlahnya naik.")
        assert rules.joins("Seperti terlihat pada tabel 2.3.", "Jumlahnya naik.")
        assert not rules.joins("Jumlahnya naik.", "Tabel berikut")
        assert rules.joins("Pangkatnya III Gol.", "b sekarang.")  # may end: lower case next
        assert not rules.joins("Pangkatnya III Gol.", "Kemudian beliau pindah.")
        assert rules.joins("Drs.", "Hartono datang.")  # one word, no space
        assert not rules.joins("Selesai", "Lalu")  # no period
    assert "tabel 2.3." in rules.memo and "III Gol." in rules.memo
