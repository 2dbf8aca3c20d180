"""Speaker-turn recognition: every label style, and lines that must not become turns."""

from __future__ import annotations

import pytest

from qualcode.core.ingest import parse_text
from qualcode.core.ingest.turns import classify_label, find_turns, is_interviewer_label


def _turns(text: str, fmt: str = "txt") -> list[tuple[str | None, bool, str]]:
    parsed = parse_text(text, fmt)
    return [(t.speaker, t.is_interviewer, parsed.text[t.start : t.end]) for t in parsed.turns]


@pytest.mark.parametrize(
    ("interviewer", "informant"),
    [
        ("Peneliti", "Informan"),
        ("P", "I"),
        ("Pewawancara", "Narasumber"),
        ("Interviewer", "Respondent"),
        ("Q", "A"),
        ("Researcher", "R"),
        ("Moderator", "Informan 2"),
        ("P1", "Narasumber B"),
    ],
)
def test_known_label_pairs(interviewer: str, informant: str) -> None:
    text = f"{interviewer}: Apa tugas Anda?\n{informant}: Melayani warga.\n"
    assert _turns(text) == [
        (interviewer, True, "Apa tugas Anda?"),
        (informant, False, "Melayani warga."),
    ]


def test_known_labels_count_even_once_and_ignore_case() -> None:
    assert _turns("PENELITI: Satu pertanyaan saja.") == [
        ("PENELITI", True, "Satu pertanyaan saja.")
    ]


def test_label_start_and_content_offsets() -> None:
    parsed = parse_text("  Peneliti:\tApa kabar?\nInforman:   Baik.\n")
    first, second = parsed.turns
    assert parsed.text[first.label_start : first.start] == "Peneliti:\t"
    assert first.label_start == 2
    assert parsed.text[second.label_start : second.start] == "Informan:   "


def test_bracket_labels_with_and_without_colon() -> None:
    text = "[Budi] Selamat pagi.\n[Sari]: Pagi juga.\n[Budi]: Mari mulai.\n[Sari] Baik.\n"
    assert _turns(text) == [
        ("Budi", False, "Selamat pagi."),
        ("Sari", False, "Pagi juga."),
        ("Budi", False, "Mari mulai."),
        ("Sari", False, "Baik."),
    ]


def test_bracketed_stage_directions_are_not_speakers() -> None:
    text = "[Peneliti] Ada kendala?\n[tertawa] Banyak.\n[Inaudible] lalu selesai.\n"
    assert _turns(text) == [
        ("Peneliti", True, "Ada kendala?\n[tertawa] Banyak.\n[Inaudible] lalu selesai.")
    ]


def test_names_with_titles_need_two_occurrences() -> None:
    text = (
        "Drs. Ahmad Fauzi, M.Si.: Kami rapat setiap Senin.\n"
        "Bu Sari: Saya mencatat hasilnya.\n"
        "Drs. Ahmad Fauzi, M.Si.: Lalu dibagikan.\n"
        "Bu Sari: Betul.\n"
        "Mrs Smith: Sekali saja, jadi ini bukan label.\n"
    )
    assert _turns(text) == [
        ("Drs. Ahmad Fauzi, M.Si.", False, "Kami rapat setiap Senin."),
        ("Bu Sari", False, "Saya mencatat hasilnya."),
        ("Drs. Ahmad Fauzi, M.Si.", False, "Lalu dibagikan."),
        ("Bu Sari", False, "Betul.\nMrs Smith: Sekali saja, jadi ini bukan label."),
    ]


def test_observation_note_lines_are_not_turns() -> None:
    text = (
        "Tanggal: 6 Maret 2024\nLokasi: Loket pelayanan\n\n"
        "Catatan: antrean panjang.\nPetugas datang pukul 08.00.\n\n"
        "Kesimpulan sementara: pelayanan cukup cepat.\n"
    )
    turns = _turns(text)
    assert all(speaker is None for speaker, _, _ in turns)
    assert [t for _, _, t in turns] == [
        "Tanggal: 6 Maret 2024\nLokasi: Loket pelayanan",
        "Catatan: antrean panjang.\nPetugas datang pukul 08.00.",
        "Kesimpulan sementara: pelayanan cukup cepat.",
    ]


def test_repeated_metadata_words_never_become_speakers() -> None:
    text = "Catatan: satu.\nCatatan: dua.\n"
    assert [s for s, _, _ in _turns(text)] == [None]


def test_turn_continues_over_lines_and_paragraphs_until_next_label() -> None:
    text = "Informan: Baris satu.\nBaris dua.\n\nParagraf baru.\nPeneliti: Lalu?\n"
    assert _turns(text) == [
        ("Informan", False, "Baris satu.\nBaris dua.\n\nParagraf baru."),
        ("Peneliti", True, "Lalu?"),
    ]


def test_preamble_before_first_label_becomes_paragraph_turns() -> None:
    text = "Wawancara 3\n5 Maret 2024\n\nLokasi kantor\nP: Mulai?\nI: Ya.\n"
    assert _turns(text) == [
        (None, False, "Wawancara 3\n5 Maret 2024"),
        (None, False, "Lokasi kantor"),
        ("P", True, "Mulai?"),
        ("I", False, "Ya."),
    ]


def test_text_without_labels_is_split_into_paragraphs() -> None:
    text = "\n\nParagraf pertama.\nMasih pertama.\n \t\nParagraf kedua.  \n\n\n"
    parsed = parse_text(text)
    assert [(t.speaker, t.label_start) for t in parsed.turns] == [(None, None), (None, None)]
    assert [text[t.start : t.end] for t in parsed.turns] == [
        "Paragraf pertama.\nMasih pertama.",
        "Paragraf kedua.",
    ]


def test_timestamp_prefix_before_label() -> None:
    parsed = parse_text("[00:01:05] Peneliti: Mulai.\n(00:01:09) Informan: Siap.\n")
    assert [(t.speaker, parsed.text[t.label_start : t.start]) for t in parsed.turns] == [
        ("Peneliti", "[00:01:05] Peneliti: "),
        ("Informan", "(00:01:09) Informan: "),
    ]


def test_markdown_bold_labels_and_headings() -> None:
    text = "# Judul\n**Peneliti:** Apa?\n**Informan**: Ini.\nLanjut.\n## Bagian dua\nTeks biasa.\n"
    assert _turns(text, "md") == [
        (None, False, "# Judul"),
        ("Peneliti", True, "Apa?"),
        ("Informan", False, "Ini.\nLanjut."),
        (None, False, "## Bagian dua"),
        (None, False, "Teks biasa."),
    ]


def test_empty_labels_produce_no_turn() -> None:
    assert _turns("Peneliti:\nInforman: Jawaban.\n") == [("Informan", False, "Jawaban.")]


def test_label_alone_on_its_line_takes_the_following_lines() -> None:
    assert _turns("Peneliti:\n  Pertanyaan panjang\n  dua baris.\n") == [
        ("Peneliti", True, "Pertanyaan panjang\n  dua baris.")
    ]


@pytest.mark.parametrize(
    "line",
    [
        "A:B adalah rasio.",
        "https://contoh.go.id/laporan",
        "Jam 10:30 rapat dimulai.",
        "kata beliau: tidak apa-apa.",
        "Menurut kami semua: cukup.",
    ],
)
def test_lines_that_are_not_labels(line: str) -> None:
    text = f"{line}\n{line}\n"
    assert [s for s, _, _ in _turns(text)] == [None]


def test_glued_known_label_is_accepted() -> None:
    assert _turns("Peneliti:Apa kabar?") == [("Peneliti", True, "Apa kabar?")]


def test_parenthetical_role_is_kept_in_the_speaker() -> None:
    text = "Budi (Kasubag Umum): Ya.\nPeneliti: Oke.\nBudi (Kasubag Umum): Sudah.\n"
    assert [s for s, _, _ in _turns(text)] == [
        "Budi (Kasubag Umum)",
        "Peneliti",
        "Budi (Kasubag Umum)",
    ]


def test_classify_and_interviewer_helpers() -> None:
    assert classify_label("Peneliti") == ("Peneliti", "known")
    assert classify_label("Pak  Hadi") == ("Pak Hadi", "generic")
    assert classify_label("Catatan") is None
    assert classify_label("tertawa", bracketed=True) is None
    assert classify_label("Satu Dua Tiga Empat Lima") is None
    assert is_interviewer_label("Moderator")
    assert is_interviewer_label("Peneliti (Dewi)")
    assert not is_interviewer_label("Informan")
    assert not is_interviewer_label("Pak Hadi")


def test_find_turns_on_empty_string() -> None:
    assert find_turns("") == ()
