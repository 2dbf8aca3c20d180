"""Property test: segments of random labelled transcripts are exact, trimmed and complete."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qualcode.core.ingest import (
    ParsedSource,
    SegmentSpan,
    parse_text,
    segment_many,
    segment_source,
)
from qualcode.core.nlp import get_pipeline

# fmt: off
LABELS = [
    "", "", "Peneliti: ", "P: ", "Pewawancara:", "Interviewer: ", "Q: ", "Informan: ", "I: ",
    "Narasumber 2: ", "A:\t", "R: ", "[Budi] ", "[Budi]: ", "Bu Sari: ", "Drs. Ahmad: ",
    "**Peneliti:** ", "  Informan:  ", "[00:01:05] P: ", "Catatan: ", "# Judul ",
]
WORDS = [
    "pegawai", "melayani", "masyarakat", "dengan", "baik", "Bu", "Pak", "Dr.", "dll.", "yg",
    "sudah", "belum", "makan-makan", "kantor", "dinas", "ASN", "BerAKHLAK", "e\u0301", "😀",
    "naïve", "“kutipan”", "(catatan)", "10:30", "3.5", "Peneliti:", "[tertawa]", "—",
]
# fmt: on
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from([" ", " ", " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", "\u00a0", "\u3000"]),
    st.sampled_from([".", "!", "?", "...", ",", ";", ":", "?!", '."', "'"]),
    st.text(max_size=4),
)
CONTENT = st.lists(PIECES, max_size=25).map("".join)
LINE = st.tuples(st.sampled_from(LABELS), CONTENT).map("".join)
TRANSCRIPT = st.tuples(
    st.lists(LINE, min_size=1, max_size=8), st.sampled_from(["\n", "\r\n", "\n\n", "\r"])
).map(lambda parts: parts[1].join(parts[0]))


@pytest.fixture(scope="module", autouse=True)
def _loaded_pipeline() -> None:
    """Build the spaCy pipeline once, outside the timed examples."""
    get_pipeline("id")


def _check(parsed: ParsedSource, spans: list[SegmentSpan]) -> None:
    text = parsed.text
    assert "\r" not in text
    previous_end = 0
    for turn in parsed.turns:
        assert previous_end <= turn.start < turn.end <= len(text)
        assert text[turn.start : turn.end] == text[turn.start : turn.end].strip()
        if turn.label_start is not None:
            assert turn.label_start < turn.start
        previous_end = turn.end
    covered = bytearray(len(text))
    previous_end = 0
    for span in spans:
        piece = text[span.start : span.end]
        assert piece and piece == piece.strip()
        assert previous_end <= span.start < span.end
        previous_end = span.end
        assert span.turn_index is not None
        turn = parsed.turns[span.turn_index]
        assert turn.start <= span.start and span.end <= turn.end
        assert span.speaker == turn.speaker
        covered[span.start : span.end] = b"\x01" * (span.end - span.start)
    for turn in parsed.turns:
        for i in range(turn.start, turn.end):
            assert covered[i] or text[i].isspace(), (i, text[i])


@settings(max_examples=200, deadline=None)
@given(raw=TRANSCRIPT, fmt=st.sampled_from(["txt", "md"]))
def test_segments_cover_turns_exactly(raw: str, fmt: str) -> None:
    normalised = raw.replace("\r\n", "\n").replace("\r", "\n")
    assume(normalised.strip())
    assume(fmt == "txt" or normalised.split("\n", 1)[0].rstrip() != "---")
    parsed = parse_text(raw, fmt)
    assert parsed.text == normalised
    spans = segment_source(parsed, "id")
    _check(parsed, spans)
    assert segment_many([parsed, parsed], ["id", "id"]) == [spans, spans]


@settings(max_examples=50, deadline=None)
@given(raw=st.lists(CONTENT, min_size=1, max_size=6).map("\n".join))
def test_text_without_labels_is_all_inside_paragraph_turns(raw: str) -> None:
    assume(raw.strip() and ":" not in raw and "[" not in raw)
    parsed = parse_text(raw)
    assert all(t.speaker is None and t.label_start is None for t in parsed.turns)
    inside = "".join(parsed.text[t.start : t.end] for t in parsed.turns)
    assert "".join(inside.split()) == "".join(parsed.text.split())
