"""Code suggestions from the codebooks' indicator phrases (lemma and surface matches)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from qualcode.core.nlp import get_pipeline
from qualcode.core.store import Project
from qualcode.core.suggest import suggest_for_source

INDONESIAN = """---
informant: Budi
role: staff
language: id
---
P: Bagaimana pegawai menguasai pekerjaan di sini?

I: Banyak pegawai belum menguasai pekerjaannya. Cuaca hari ini cerah sekali.
"""

ENGLISH = """---
informant: Anna
language: en
---
Q: Do people here have the expertise?

A: Most of them lack expertise in the new system. We had lunch at noon.
"""


def _import(project: Project, tmp_path: Path, name: str, text: str) -> int:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    outcome = project.import_files([path]).outcomes[0]
    assert outcome.status == "imported", outcome.message
    assert outcome.source_id is not None
    return outcome.source_id


def _segment(project: Project, source_id: int, contains: str) -> int:
    text = project.get_source(source_id).text
    seg = next(g for g in project.segments(source_id) if contains in text[g.start:g.end])
    assert seg.id is not None
    return seg.id


def test_lemma_table_maps_the_inflected_forms() -> None:
    lemmas = [t.lemma_ for t in get_pipeline("id")("menguasai pekerjaannya")]
    assert lemmas == ["kuasa", "kerja"]


def test_inflected_indonesian_phrase_suggests_its_code(project: Project, tmp_path: Path) -> None:
    sid = _import(project, tmp_path, "budi.md", INDONESIAN)
    target = _segment(project, sid, "belum menguasai pekerjaannya")
    found = [s for s in suggest_for_source(project, sid) if s.segment_id == target]
    sob1 = next(s for s in found if s.code_key == "SOB-1")
    assert sob1.phrase == "menguasai pekerjaan"  # matched through the lemmas kuasa + kerja
    assert sob1.matched_text == "menguasai pekerjaannya"
    assert sob1.indicator_key.startswith("SOB-1")
    source_text = project.get_source(sid).text
    assert sob1.matched_text in source_text[sob1.start:sob1.end]
    assert sob1.score >= 2
    assert all(b.score <= a.score for a, b in itertools.pairwise(found))


def test_neutral_sentence_gets_no_suggestion(project: Project, tmp_path: Path) -> None:
    sid = _import(project, tmp_path, "budi.md", INDONESIAN)
    weather = _segment(project, sid, "Cuaca")
    assert not [s for s in suggest_for_source(project, sid) if s.segment_id == weather]


def test_english_source_uses_english_phrases(project: Project, tmp_path: Path) -> None:
    sid = _import(project, tmp_path, "anna.md", ENGLISH)
    target = _segment(project, sid, "lack expertise")
    found = suggest_for_source(project, sid)
    assert any(s.segment_id == target and s.code_key == "SOB-1" and s.phrase == "expertise"
               for s in found)


def test_interviewer_turns_are_never_suggested(project: Project, tmp_path: Path) -> None:
    sid = _import(project, tmp_path, "budi.md", INDONESIAN)
    question = _segment(project, sid, "Bagaimana pegawai")
    assert project.get_segment(question).is_interviewer
    assert all(s.segment_id != question for s in suggest_for_source(project, sid))


def test_applied_code_is_not_suggested_again(project: Project, tmp_path: Path) -> None:
    sid = _import(project, tmp_path, "budi.md", INDONESIAN)
    target = _segment(project, sid, "belum menguasai")
    assert any(s.segment_id == target and s.code_key == "SOB-1"
               for s in suggest_for_source(project, sid))
    project.apply_code_to_segments([target], "SOB-1")
    assert not any(s.segment_id == target and s.code_key == "SOB-1"
                   for s in suggest_for_source(project, sid))
    # another coder has not coded it yet
    assert any(s.segment_id == target and s.code_key == "SOB-1"
               for s in suggest_for_source(project, sid, coder="rina"))


@pytest.mark.parametrize("limit", [0, 1])
def test_codes_filter_and_limit(project: Project, tmp_path: Path, limit: int) -> None:
    sid = _import(project, tmp_path, "budi.md", INDONESIAN)
    only = suggest_for_source(project, sid, codes=["sob-4"])
    assert all(s.code_key == "SOB-4" for s in only)
    limited = suggest_for_source(project, sid, limit_per_segment=limit)
    per_segment: dict[int, int] = {}
    for s in limited:
        per_segment[s.segment_id] = per_segment.get(s.segment_id, 0) + 1
    assert all(n <= limit for n in per_segment.values())
    assert bool(limited) == (limit > 0)


def test_one_word_phrases_need_a_surface_match() -> None:
    from qualcode.core.suggest import _match, _Phrase, _Words

    phrase = _Phrase("SOB-2", "SOB-2b", "pendirian", ("diri",), ("pendirian",))
    standing = _Words(("sisa", "diri"), ("sisanya", "berdiri"), ((0, 7), (8, 15)))
    stance = _Words(("punya", "diri", "teguh"), ("punya", "pendirian", "teguh"),
                    ((0, 5), (6, 15), (16, 21)))
    assert _match(phrase, standing) is None
    assert _match(phrase, stance) == (1, 2)
