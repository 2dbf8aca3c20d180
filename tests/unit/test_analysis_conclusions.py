"""Verdicts, evidence, the verification checklist and the results report on the small project.

By hand (coders r1 and r2, a passage coded alike by both counts once):
T-1 + a1 a4 c1 d1 (4), − b1 b2 (2): codings 4/6 = 67 %; voices Zainal, Citra, the document
for, Budi against: 3/4 = 75 %; the lower of effective and not yet optimal: not yet optimal.
T-2 + a2 (a5 the same passage), − a3 b3, 0 c2: Zainal evenly split, Budi against, Citra
neutral: one voice takes a side, two are needed: no proposal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from analysis_small import Small, build_small

from qualcode.core.analysis.conclusions import CodeConclusion, build_report, checklist_display
from qualcode.core.analysis.verdicts import Level, propose_level, scale_levels
from qualcode.errors import QualcodeError

THREE = scale_levels([
    {"key": "not_effective", "value": 1, "label_id": "Tidak efektif", "label_en": "Not effective"},
    {"key": "effective", "value": 3, "label_id": "Efektif", "label_en": "Effective"},
    {"key": "not_yet_optimal", "value": 2, "label_id": "Belum optimal",
     "label_en": "Not yet optimal"}])
FOUR = [Level(k, v, k, k) for k, v in (("very_good", 4), ("good", 3), ("fair", 2), ("poor", 1))]


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Small]:
    built = build_small(tmp_path)
    yield built
    built.project.close()


def _key(n_plus: int, n_minus: int, levels: list[Level]) -> str | None:
    level = propose_level(n_plus, n_minus, levels)
    return level.key if level else None


def test_scale_is_sorted_best_first() -> None:
    assert [lv.key for lv in THREE] == ["effective", "not_yet_optimal", "not_effective"]


@pytest.mark.parametrize(("plus", "minus", "expected"), [
    (3, 1, "effective"),          # 0.75: the top threshold is inclusive
    (4, 0, "effective"),
    (5, 2, "not_yet_optimal"),    # 0.714
    (1, 1, "not_yet_optimal"),    # 0.5: the middle band is [0.5, 0.75)
    (4, 5, "not_effective"),      # 0.444
    (0, 3, "not_effective"),
    (0, 0, None),                 # no +/− codings: no proposal
])
def test_proposed_verdict_thresholds(plus: int, minus: int, expected: str | None) -> None:
    assert _key(plus, minus, THREE) == expected


def test_proposed_verdict_on_other_scales() -> None:
    # four levels: [0.625, 0.75) -> good, [0.5, 0.625) -> fair
    assert _key(5, 3, FOUR) == "good"        # 0.625
    assert _key(9, 7, FOUR) == "fair"        # 0.5625
    assert _key(3, 1, FOUR) == "very_good"
    assert _key(2, 3, FOUR) == "poor"
    two = [FOUR[0], FOUR[-1]]
    assert _key(2, 1, two) == "poor"         # 0.67: two levels have no middle
    assert _key(1, 5, [FOUR[1]]) == "good"   # a one-level scale always proposes it
    assert propose_level(3, 0, []) is None


def _section(small: Small, key: str, lang: str = "id") -> CodeConclusion:
    report = build_report(small.project, codebook="tiny", lang=lang)
    return next(s for s in report.sections if s.code_key == key)


def _checks(section: CodeConclusion) -> dict[str, tuple[bool, str]]:
    return {c.key: (c.ok, c.detail) for c in section.checklist}


def test_proposal_sets_the_direction_of_the_evidence(small: Small) -> None:
    sec = _section(small, "T-1", "en")
    assert (sec.n_plus, sec.n_minus, sec.n_neutral) == (4, 2, 0)
    # voices: Zainal (a1 a4), Citra (c1), the document (d1) for, Budi (b1 b2) against:
    # 3 / 4 = 75 % (effective); codings 4 / 6 = 67 % (not yet optimal): the lower
    assert sec.proposed_verdict_key == "not_yet_optimal" and sec.verdict_key is None
    assert (sec.voices_for, sec.voices_against) == (3, 1)
    assert sec.status == "tentative" and sec.statement.startswith("[DRAFT]")
    # below the top level: the shortfalls support it, the + codings contradict it
    assert [q.coding_id for q in sec.supporting] == [small.ids["b1"], small.ids["b2"]]
    assert {q.coding_id for q in sec.contradicting} <= {small.ids[k]
                                                         for k in ("a1", "a4", "c1", "d1")}
    assert len(sec.contradicting) == 3  # max_quotes
    assert sorted(sec.against_ids) == sorted(small.ids[k] for k in ("a1", "a4", "c1", "d1"))
    assert sec.supporting[0].role == "staff" and sec.supporting[0].informant == "Budi"
    # interviews are 2 for / 3 against, the document 0 / 1: no source kind is for it
    assert _checks(sec) == {
        "triangulation_informants": (False, "1 informant for the verdict (Budi (Staff)); "
                                            "2 against (Citra (Staff) and Zainal (Head))"),
        "triangulation_sources": (False, "source kinds for the verdict: —; against: Document "
                                         "and Interview"),
        "representativeness": (True, "roles heard: Head and Staff"),
        "negative_evidence": (False, "4 contradicting codings; 0 linked with an explanation"),
        "outliers": (False, "Citra (Staff): 0 for, 1 against; Zainal (Head): 0 for, 2 against; "
                            "laporan.txt (Document): 0 for, 1 against"),
        "weighting": (False, "1 informant or source gives the evidence for the verdict; the "
                             "largest part: "
                             "Budi (Staff), 2 of 2 codings (100 %); Interview 2"),
    }


def test_researcher_overrides_and_a_conceding_word_addresses_nothing(small: Small) -> None:
    row = small.project.set_conclusion(
        "T-1", verdict="effective", statement="Pegawai ahli, namun pegawai baru belum paham.",
        decided_by="Dr. Sari")
    assert row.proposed_verdict == "not_yet_optimal" and row.decided_by == "Dr. Sari"
    sec = _section(small, "T-1", "en")
    assert sec.verdict_key == "effective" and sec.verdict_label == "Effective"
    assert sec.statement.startswith("Pegawai ahli")
    # top-level verdict: + codings now support (Zainal 2, Citra 1, the document 1)
    checks = _checks(sec)
    assert checks["triangulation_informants"] == (
        True, "2 informants for the verdict (Citra (Staff) and Zainal (Head)); 1 against "
              "(Budi (Staff))")
    assert checks["triangulation_sources"] == (
        True, "source kinds for the verdict: Document and Interview; against: —")
    # 'namun' in the statement is no explanation of b1 b2
    assert checks["negative_evidence"] == (
        False, "2 contradicting codings; 0 linked with an explanation")
    assert checks["weighting"] == (
        True, "3 informants or sources give the evidence for the verdict; the largest part: "
              "Zainal (Head), "
              "2 of 4 codings (50 %); Document 1, Interview 3")


def test_checks_follow_the_verdict_in_force(small: Small) -> None:
    # T-2 (coders r1 and r2): Zainal a2 (+; r2's a5 is the same passage and code, counted
    # once) a3 (−): evenly split; Budi b3 (−); Citra c2 (0): one voice takes a side, no proposal
    sec = _section(small, "T-2", "en")
    assert sec.proposed_verdict_key is None
    assert sec.proposal_counts.endswith("No proposal: 1 informant or source takes a side, "
                                        "2 needed.")
    checks = _checks(sec)
    assert checks["outliers"] == (False, "no verdict or proposal to check yet")
    assert checks["representativeness"] == (True, "roles heard: Head and Staff")
    small.project.set_conclusion("T-2", verdict="effective")
    checks = _checks(_section(small, "T-2", "en"))
    # + supports: Zainal 1 for / 1 against, Budi 0 / 1: nobody has a + majority
    assert checks["triangulation_informants"] == (
        False, "0 informants for the verdict; 1 against (Budi (Staff))")
    assert checks["outliers"] == (False, "Budi (Staff): 0 for, 1 against")


def test_draft_statement_follows_the_verdict_until_the_researcher_writes_one(
        small: Small) -> None:
    small.project.set_conclusion("T-1", verdict="effective")
    assert _section(small, "T-1", "en").statement == (
        "[DRAFT] Expertise: 4 codings show it carried out well and 2 show shortfalls; "
        "verdict: Effective.")
    assert _section(small, "T-1", "id").statement == (
        "[DRAF] Ahli: 4 koding menunjukkan telah dilaksanakan dengan baik dan 2 menunjukkan "
        "kekurangan; penilaian: Efektif.")
    small.project.set_conclusion("T-1", statement="Pegawai ahli.")
    small.project.set_conclusion("T-1", verdict="not_effective")
    assert _section(small, "T-1", "en").statement == "Pegawai ahli."


def test_negative_evidence_is_explained_by_a_link_with_a_note_or_memo(small: Small) -> None:
    project = small.project
    project.set_conclusion("T-1", verdict="effective", statement="Pegawai ahli.")
    assert _checks(_section(small, "T-1"))["negative_evidence"][0] is False
    project.link_evidence("T-1", small.ids["b1"], "contradicts", note="Pegawai baru.")
    ok, detail = _checks(_section(small, "T-1"))["negative_evidence"]
    assert not ok and detail == "2 koding bertentangan; 1 ditautkan dengan penjelasan"
    # a memo on a coding that is not linked explains nothing; linked, it does
    project.add_memo("Pegawai baru; sedang dibimbing.", scope="coding", target=small.ids["b2"])
    assert _checks(_section(small, "T-1"))["negative_evidence"][0] is False
    project.link_evidence("T-1", small.ids["b2"], "contradicts")
    assert _checks(_section(small, "T-1"))["negative_evidence"][0] is True
    # a linked 'supports' coding is listed first even against the valence direction
    project.link_evidence("T-1", small.ids["b2"], "supports")
    sec = _section(small, "T-1")
    assert sec.supporting[0].coding_id == small.ids["b2"]
    assert small.ids["b1"] in [q.coding_id for q in sec.contradicting]


def test_representativeness_needs_every_role_of_the_study(small: Small) -> None:
    # T-2 with r2 only: a5 (Zainal, head); T-2 names no roles: the study's roles are expected
    report = build_report(small.project, codebook="tiny", coder="r2", lang="en")
    sec = next(s for s in report.sections if s.code_key == "T-2")
    assert _checks(sec)["representativeness"] == (False, "roles heard: Head; not heard: Staff")


def test_verified_needs_a_verdict_and_bad_values_are_refused(small: Small) -> None:
    with pytest.raises(QualcodeError, match="no verdict yet"):
        small.project.set_conclusion("T-2", status="verified")
    with pytest.raises(QualcodeError, match="verdict 'great' is not on the scale"):
        small.project.set_conclusion("T-2", verdict="great")
    with pytest.raises(QualcodeError, match="status 'done'"):
        small.project.set_conclusion("T-2", status="done")
    with pytest.raises(QualcodeError, match="stance 'maybe'"):
        small.project.link_evidence("T-2", small.ids["a2"], "maybe")
    with pytest.raises(QualcodeError, match="is not evidence for T-2"):
        small.project.set_evidence_note("T-2", small.ids["a2"], "x")
    assert small.project.get_conclusion("T-2") is None


def test_closing_summary(small: Small) -> None:
    report = build_report(small.project, codebook="tiny", lang="en")
    # a proposal is no verdict: nothing decided, both named as undecided
    assert report.closing_summary == (
        "2 characteristics have no decided verdict yet: Expertise and Autonomy.")
    assert report.coder_note.startswith("Codings of coders r1, r2;")
    small.project.set_conclusion("T-1", verdict="effective", status="verified")
    report = build_report(small.project, codebook="tiny", lang="id")
    assert report.closing_summary == (
        "Sejauh ini diputuskan: Ahli efektif. 1 karakteristik belum memiliki penilaian yang "
        "diputuskan: Mandiri.")
    small.project.set_conclusion("T-2", verdict="not_effective")
    report = build_report(small.project, codebook="tiny", lang="en")
    assert report.closing_summary == (
        "All characteristics were carried out well, except Autonomy (Not effective), which is "
        "not yet effective. 1 decided verdict is not yet verified: Autonomy.")
    assert report.title == "Results: Tiny codebook"
    small.project.set_conclusion("T-2", verdict="effective", status="verified")
    report = build_report(small.project, codebook="tiny", lang="en")
    assert report.closing_summary == "All characteristics were carried out well (effective)."


def test_checklist_display(small: Small) -> None:
    d = checklist_display(small.project, codebook="tiny", lang="en")
    row = d.frame.loc[("Tiny codebook", "Expertise")]
    assert row["Verdict"] == "undecided" and row["Proposed"] == "Not yet optimal"
    assert row["Informants for / against"] == "3 / 1" and row["+/−"] == "4+ / 2−"
    assert row["Outliers"] == ("✗ Citra (Staff): 0 for, 1 against; Zainal (Head): 0 for, "
                               "2 against; laporan.txt (Document): 0 for, 1 against")
    assert row["Representativeness (roles)"].startswith("✓")
    assert any(n.startswith("Rule: each informant") for n in d.notes)


def test_a_passage_coded_by_two_coders_is_quoted_once(project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from qualcode.core.analysis.conclusions import build_report

    path = tmp_path / "dup.txt"
    path.write_text("Informan: Pegawai menguasai pekerjaannya. Mereka paham seluk beluk tugas.\n",
                    encoding="utf-8")
    sid = project.import_files([path], overrides={"informant": "Bu A", "role": "staff"}
                               ).outcomes[0].source_id
    first, second = project.segments(sid)[:2]
    for coder in ("r1", "r2"):
        project.apply_code(sid, first.start, first.end, "SOB-1", coder=coder, valence="+")
    project.apply_code(sid, second.start, second.end, "SOB-1", coder="r1", valence="+")
    project.set_conclusion("SOB-1", verdict="effective")  # one informant: nothing proposed
    report = build_report(project, codebook="sobandi-2008", lang="en", coder="r1,r2")
    section = next(s for s in report.sections if s.code_key == "SOB-1")
    assert (section.n_plus, section.n_minus) == (2, 0)   # the shared passage counts once
    excerpts = [q.excerpt for q in section.supporting]
    assert sorted(excerpts) == ["Mereka paham seluk beluk tugas.",
                                "Pegawai menguasai pekerjaannya."]
