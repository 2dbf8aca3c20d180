"""Suggestions that read Indonesian: affixes, rare over common, structure, proper names."""

from __future__ import annotations

from pathlib import Path

import pytest
from suggest_samples import judged_suggestions, precision

from qualcode.core.stemmer import light_stem, stem
from qualcode.core.store import Project
from qualcode.core.suggest import _match, _Phrase, _weighted, _Words, suggest_for_source


@pytest.mark.parametrize(("word", "root"), [
    ("pelayanan", "layan"), ("melayani", "layan"), ("pekerjaannya", "kerja"),
    ("kedisiplinan", "disiplin"), ("indisipliner", "disiplin"), ("kompetensi", "kompeten"),
    ("memakai", "pakai"), ("menyapu", "sapu"), ("mengirim", "kirim"), ("belajar", "ajar"),
    ("kepemimpinan", "pimpin"), ("profesionalitas", "profesional"), ("industri", "industri"),
])
def test_stem_strips_affixes_to_a_known_root(word: str, root: str) -> None:
    assert stem(word) == root


def test_light_stem_keeps_native_derivation() -> None:
    assert light_stem("kompetensinya") == "kompeten"
    assert light_stem("indisipliner") == "disiplin"
    assert light_stem("penelitian") != light_stem("teliti")
    assert light_stem("terlambat") != light_stem("lambat")


def _words(*pairs: tuple[str, bool]) -> _Words:
    lower = tuple(w.lower() for w, _ in pairs)
    spans = tuple((i * 20, i * 20 + len(w)) for i, (w, _) in enumerate(pairs))
    return _Words(tuple(stem(w) for w in lower), lower, spans, tuple(stem(w) for w in lower),
                  tuple(light_stem(w) for w in lower), tuple(n for _, n in pairs))


def _phrase(text: str) -> _Phrase:
    lower = tuple(text.split())
    return _Phrase("C", "C1", text, tuple(stem(w) for w in lower), lower,
                   tuple(stem(w) for w in lower), tuple(light_stem(w) for w in lower))


def test_one_word_phrases_match_across_loan_affixes_not_native_derivation() -> None:
    segment = _words(("pegawai", False), ("indisipliner", False), ("dan", False),
                     ("kurang", False), ("kompeten", False))
    assert _match(_phrase("disiplin"), segment) == (1, 2)
    assert _match(_phrase("kompetensi"), segment) == (4, 5)
    research = _words(("penelitian", False), ("ini", False))
    assert _match(_phrase("teliti"), research) is None


def test_several_words_match_on_stems_and_not_inside_a_proper_name() -> None:
    segment = _words(("pegawai", False), ("belum", False), ("menguasai", False),
                     ("pekerjaannya", False))
    assert _match(_phrase("penguasaan pekerjaan"), segment) == (2, 4)
    company = _words(("oleh", False), ("PT.", False), ("Cipta", True), ("Mandiri", True))
    assert _match(_phrase("mandiri"), company) is None
    assert _match(_phrase("mandiri"), _words(("Mandiri", False), ("bekerja", False))) == (0, 1)


def test_common_phrase_weighs_less_and_cannot_trigger_alone() -> None:
    keys = [frozenset({"pelayanan", "layan"})] * 30 + [frozenset({"inovasi"})] * 2 + [
        frozenset({"lain"})] * 68
    common, rare = _weighted([_phrase("pelayanan"), _phrase("inovasi")], keys)
    assert common.common and not rare.common
    assert rare.weight > common.weight


def test_headings_and_table_rows_get_no_suggestions(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "laporan.txt"
    path.write_text("PENGEMBANGAN KOMPETENSI PEGAWAI\n\nNo\tKegiatan\n"
                    "1\tpengembangan kompetensi\n\n"
                    "Pada tahun ini pegawai mengikuti pengembangan kompetensi di kantor.\n",
                    encoding="utf-8")
    outcome = project.import_files([path], overrides={"kind": "document"}).outcomes[0]
    assert outcome.source_id is not None
    text = project.get_source(outcome.source_id).text
    suggested = {text[s.start:s.end] for s in suggest_for_source(project, outcome.source_id)}
    assert suggested == {"Pada tahun ini pegawai mengikuti pengembangan kompetensi di kantor."}


def test_word_hyphenated_at_a_line_end_is_matched_whole(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "artikel.txt"
    path.write_text("Banyak pegawai di kantor ini ternyata belum menguasai peker-\njaannya dengan "
                    "baik karena pelatihan yang kurang.\n", encoding="utf-8")
    outcome = project.import_files([path], overrides={"kind": "document"}).outcomes[0]
    assert outcome.source_id is not None
    found = [s for s in suggest_for_source(project, outcome.source_id) if s.code_key == "SOB-1"]
    assert [s.matched_text for s in found] == ["menguasai peker-\njaannya"]


def test_precision_on_the_judged_labelled_files(tmp_path: Path) -> None:
    """Hand-judged suggestions (tests/data/suggestions); unjudged ones count as wrong."""
    rows = judged_suggestions(tmp_path)
    assert len(rows) >= 40
    assert precision(rows) >= 0.72, [r for r in rows if r["verdict"] != 1]
