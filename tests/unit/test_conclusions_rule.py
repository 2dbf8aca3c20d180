"""The results report on a focus group whose verdicts, counts and checks are worked out by hand.

The focus group of tests/people_fixture.py (Sobandi and Siagian codebooks; Bu Rina = Informan 1
and Bu Sari = Informan 3 are section heads, Pak Dedi = Informan 2 and Mas Yoga = Informan 4
staff; the Moderator is the interviewer), one coder, plus six SOB-3 codings all in Mas Yoga's
turns and one emergent code EM-1 on Bu Sari's line. Sobandi's scale: effective from 75 %,
not yet optimal from 50 %, not effective below, 2 informants must take a side.

SOB-1  Informan 1 +, Informan 3 +                   voices 2 for / 0 against = 100 % (effective)
       codings 2+ / 0− = 100 % (effective)           -> proposed Effective
       checks: informants 2 for ✓; source kinds only interview ✗; roles expected head and
       secretary, heard section head ✗; no contradicting coding ✓; no outlier ✓;
       weighting 2 voices, the largest 1 of 2 = 50 % ✓
SOB-2  Informan 2 − −, Informan 4 +; the Moderator's + is not counted
       voices 1 for / 1 against = 50 % (not yet optimal); codings 1+ / 2− = 33 %
       (not effective); the lower                    -> proposed Not effective
       (counting the interviewer would give 2+ / 2− = 50 %: not yet optimal)
       checks against "not effective" (− supports): informants 1 for (Informan 2), 1 against
       (Informan 4) ✗; kinds: interview 2 − 1 = +1 for ✗ (one kind); negative evidence 1
       contradicting coding, 0 explained ✗; outlier Informan 4: 0 for, 1 against ✗;
       weighting 1 voice, Informan 2 2 of 2 = 100 % ✗
SOB-3  Informan 4: 4 + and 2 −: one voice, 2 needed  -> no proposal
SOB-4  Informan 1 +, Informan 3 −: 1 / 1 = 50 %, codings 1+ / 1− = 50 % -> Not yet optimal
EM-1   Informan 3 +: one voice                       -> no proposal
Sobandi SOB-5, SOB-6 and Siagian's 8 codes have no codings: no proposal.
Nothing decided: 15 characteristics have no decided verdict; the summary names no verdict.
"""

from __future__ import annotations

import pytest

from people_fixture import code_focus_group
from qualcode.core.analysis.conclusions import CodeConclusion, ResultsReport, build_report
from qualcode.core.store import Project

YOGA = ["Dari sisi staf", "kami merasa pelatihan itu membantu",
        "Sekarang saya bisa memeriksa kelengkapan berkas", "Kami menghubungi pemohon lewat telepon",
        "tanpa menunggu arahan", "supaya berkas cepat dilengkapi"]
SOBANDI = ["Expertise", "Autonomy", "Responsibility for the work", "Shows self as a professional",
           "Upholds professional ethics", "Maintains good relations with others"]


@pytest.fixture
def fgd(project: Project) -> tuple[Project, dict[str, int]]:
    ids = code_focus_group(project)
    sid = project.get_coding(next(iter(ids.values()))).source_id
    text = project.get_source(sid).text
    for phrase, valence in zip(YOGA, "++++--", strict=True):
        start = text.index(phrase)
        ids[phrase] = project.apply_code(sid, start, start + len(phrase), "SOB-3",
                                         valence=valence).id  # type: ignore[assignment]
    project.add_code("EM-1", "Belajar dari pelatihan", "Learning from training")
    start = text.index("Kami sudah mengadakan bimbingan teknis")
    project.apply_code(sid, start, start + 20, "EM-1", valence="+")
    return project, ids


def _sections(report: ResultsReport) -> dict[str, CodeConclusion]:
    return {s.code_key: s for s in report.sections}


def _checks(section: CodeConclusion) -> dict[str, tuple[bool, str]]:
    return {c.key: (c.ok, c.detail) for c in section.checklist}


def test_report_covers_every_active_codebook_and_the_emergent_codes(fgd) -> None:  # type: ignore[no-untyped-def]
    project, _ids = fgd
    report = build_report(project, lang="en")
    books = [b.key for b in report.codebooks]
    assert books == ["sobandi-2008", "siagian-2014", "emergent"]
    assert len(report.sections) == 6 + 8 + 1
    assert report.covers.startswith("This chapter covers: ")
    assert "(sobandi-2008)" in report.covers and "(emergent)" not in report.covers
    assert report.codebooks[-1].title in report.covers   # the emergent codes: no key to cite
    narrowed = build_report(project, codebook="sobandi-2008", lang="en")
    assert [s.code_key for s in narrowed.sections] == [f"SOB-{n}" for n in range(1, 7)]
    assert narrowed.codebook_key == "sobandi-2008"


def test_proposals_from_informants_and_codings(fgd) -> None:  # type: ignore[no-untyped-def]
    project, _ids = fgd
    sec = _sections(build_report(project, lang="en"))
    assert sec["SOB-1"].proposed_verdict_key == "effective"
    assert sec["SOB-1"].proposal_counts == (
        "Carried out well according to 2: Informan 1 (Section head) and Informan 3 (Section "
        "head); shortfalls according to 0: —; codings 2+ / 0−. Share carried out well: "
        "informants (and sources without one) 100 % (Effective), codings 100 % (Effective); "
        "proposed: Effective.")
    # the interviewer's + is not counted: 1+ / 2−
    assert (sec["SOB-2"].n_plus, sec["SOB-2"].n_minus) == (1, 2)
    assert sec["SOB-2"].proposed_verdict_key == "not_effective"
    assert sec["SOB-2"].proposal_counts == (
        "Carried out well according to 1: Informan 4 (Staff); shortfalls according to 1: "
        "Informan 2 (Staff); codings 1+ / 2−. Share carried out well: informants (and sources "
        "without one) 50 % (Not yet optimal), codings 33 % (Not effective); proposed: Not "
        "effective.")
    # 4 + and 2 − codings by one informant propose nothing
    assert (sec["SOB-3"].n_plus, sec["SOB-3"].n_minus) == (4, 2)
    assert sec["SOB-3"].proposed_verdict_key is None
    assert sec["SOB-3"].proposal_counts == (
        "Carried out well according to 1: Informan 4 (Staff); shortfalls according to 0: —; "
        "codings 4+ / 2−. No proposal: 1 informant or source takes a side, 2 needed.")
    assert sec["SOB-4"].proposed_verdict_key == "not_yet_optimal"
    assert sec["EM-1"].proposed_verdict_key is None
    assert sec["SOB-1"].proposal_rule == (
        "Rule: each informant (or source without an informant) counts once, on the side most "
        "of its codings take; the share for the characteristic among them and among the "
        "codings sets the level, the lower of the two (Effective from 75 %; Not yet optimal "
        "from 50 %; Not effective below); at least 2 must take a side.")
    # the store keeps the same proposal beside the researcher's verdict
    assert project.set_conclusion("SOB-2", statement="x").proposed_verdict == "not_effective"


def test_checks_from_the_data(fgd) -> None:  # type: ignore[no-untyped-def]
    project, _ids = fgd
    sec = _sections(build_report(project, lang="en"))
    assert _checks(sec["SOB-1"]) == {
        "triangulation_informants": (True, "2 informants for the verdict (Informan 1 (Section "
                                           "head) and Informan 3 (Section head)); 0 against"),
        "triangulation_sources": (False, "source kinds for the verdict: Interview; against: —"),
        "representativeness": (False, "roles heard: Section head; not heard: Head and "
                                      "Secretary"),
        "negative_evidence": (True, "no contradicting coding"),
        "outliers": (True, "none"),
        "weighting": (True, "2 informants or sources give the evidence for the verdict; the "
                            "largest part: "
                            "Informan 1 (Section head), 1 of 2 codings (50 %); Interview 2"),
    }
    assert _checks(sec["SOB-2"]) == {
        "triangulation_informants": (False, "1 informant for the verdict (Informan 2 "
                                            "(Staff)); 1 against (Informan 4 (Staff))"),
        "triangulation_sources": (False, "source kinds for the verdict: Interview; against: —"),
        "representativeness": (False, "roles heard: Staff; not heard: Head and Secretary"),
        "negative_evidence": (False, "1 contradicting coding; 0 linked with an explanation"),
        "outliers": (False, "Informan 4 (Staff): 0 for, 1 against"),
        "weighting": (False, "1 informant or source gives the evidence for the verdict; the "
                             "largest part: "
                             "Informan 2 (Staff), 2 of 2 codings (100 %); Interview 2"),
    }


def test_negative_evidence_needs_a_link_with_an_explanation_not_a_word(fgd) -> None:  # type: ignore[no-untyped-def]
    project, ids = fgd
    dedi = [ids["Saya setuju, tetapi pegawai baru masih sering bertanya"],
            ids["Mereka masih bergantung pada senior untuk kasus yang tidak biasa."]]
    # the statement concedes with "tetapi": that is no evidence anything was addressed
    project.set_conclusion("SOB-2", verdict="effective",
                           statement="Pegawai mandiri, tetapi pegawai baru masih bertanya.")

    def negative() -> tuple[bool, str]:
        return _checks(_sections(build_report(project, codebook="sobandi-2008", lang="en"))
                       ["SOB-2"])["negative_evidence"]

    assert negative() == (False, "2 contradicting codings; 0 linked with an explanation")
    project.link_evidence("SOB-2", dedi[0], "contradicts")     # linked, no explanation
    assert negative() == (False, "2 contradicting codings; 0 linked with an explanation")
    project.set_evidence_note("SOB-2", dedi[0], "Pegawai baru; masa orientasi tiga bulan.")
    assert negative() == (False, "2 contradicting codings; 1 linked with an explanation")
    project.link_evidence("SOB-2", dedi[1], "contradicts", note="Kasus tidak biasa, jarang.")
    assert negative() == (True, "2 contradicting codings; 2 linked with an explanation")
    sec = _sections(build_report(project, codebook="sobandi-2008", lang="en"))["SOB-2"]
    assert {q.coding_id: q.explanation for q in sec.contradicting} == {
        dedi[0]: "Pegawai baru; masa orientasi tiga bulan.",
        dedi[1]: "Kasus tidak biasa, jarang."}
    outliers = _checks(sec)["outliers"]
    assert outliers == (True, "Informan 2 (Staff): 0 for, 2 against (explained)")
    project.undo()  # the second link with its note goes; the first note stays
    assert negative() == (False, "2 contradicting codings; 1 linked with an explanation")


def test_closing_summary_only_from_decided_verdicts(fgd) -> None:  # type: ignore[no-untyped-def]
    project, _ids = fgd
    report = build_report(project, codebook="sobandi-2008", lang="en")
    # two proposals, nothing decided: no claim about any characteristic
    assert report.closing_summary == (
        "6 characteristics have no decided verdict yet: " + ", ".join(SOBANDI[:-1])
        + ", and " + SOBANDI[-1] + ".")
    project.set_conclusion("SOB-1", verdict="effective", status="verified")
    project.set_conclusion("SOB-2", verdict="not_yet_optimal")
    report = build_report(project, codebook="sobandi-2008", lang="en")
    assert report.closing_summary == (
        "Decided so far: Expertise is effective; not yet effective: Autonomy (Not yet optimal). "
        "4 characteristics have no decided verdict yet: Responsibility for the work, Shows self "
        "as a professional, Upholds professional ethics, and Maintains good relations with "
        "others. 1 decided verdict is not yet verified: Autonomy.")
    for key in ("SOB-3", "SOB-4", "SOB-5", "SOB-6"):
        project.set_conclusion(key, verdict="effective", status="verified")
    project.set_conclusion("SOB-2", status="verified")
    report = build_report(project, codebook="sobandi-2008", lang="id")
    assert report.closing_summary == (
        "Semua karakteristik telah dilaksanakan dengan baik, kecuali Mampu mandiri "
        "(Belum optimal), yang belum efektif.")


def test_methods_paragraph(fgd) -> None:  # type: ignore[no-untyped-def]
    project, _ids = fgd
    report = build_report(project, lang="en")
    # one source (the focus group, kind interview); four informants: 2 section heads, 2 staff
    assert report.methods.startswith(
        "The material is 1 source (Interview 1) with 4 informants (Section head 2, Staff 2). "
        "Codings of coder ")
    assert "Codebooks: Sobandi" in report.methods and "Siagian" in report.methods
    assert "Emergent codes are included beside them." in report.methods
    assert report.methods.endswith("at least 2 must take a side.")


def _expected_level(n_for: int, n_against: int, n_plus: int, n_minus: int) -> str | None:
    """The rule with the bundled scales' numbers, written out again: 75 % / 50 %, the lower
    of the voices' and the codings' level, at least 2 voices taking a side."""
    def level(a: int, b: int) -> int:
        share = a / (a + b)
        return 3 if share >= 0.75 else 2 if share >= 0.5 else 1

    if n_for + n_against < 2 or n_plus + n_minus == 0:
        return None
    value = min(level(n_for, n_against), level(n_plus, n_minus))
    return {3: "effective", 2: "not_yet_optimal", 1: "not_effective"}[value]


def test_report_on_the_sample_project_agrees_with_the_codings_listing(
        sample_project_file) -> None:  # type: ignore[no-untyped-def]
    """Every number of the report, recounted from the streamed codings listing (a second SQL
    path): + / − codings, informants (or sources) for and against, the proposal, the methods
    sentence's sources by kind and informants by role."""
    from collections import Counter

    from qualcode.core.store import Project
    from qualcode.core.store.listing import (
        CodingFilter,
        informant_rows,
        iter_coding_rows,
        open_reader,
        source_rows,
    )

    with open_reader(sample_project_file) as reader:  # the report counts the default coder's
        rows = [r for r in iter_coding_rows(reader, CodingFilter(coder="peneliti"))
                if not r.interviewer]
        sources, people = source_rows(reader), informant_rows(reader)
    project = Project.open(sample_project_file)
    try:
        report = build_report(project, lang="en")
    finally:
        project.close()
    assert report.coder_note == "Codings of coder peneliti."
    coded = {s.code_key for s in report.sections if s.n_plus + s.n_minus + s.n_neutral}
    assert coded == {r.code for r in rows}
    for sec in report.sections:
        mine = [r for r in rows if r.code == sec.code_key]
        n_plus = sum(r.valence == "+" for r in mine)
        n_minus = sum(r.valence == "-" for r in mine)
        assert (sec.n_plus, sec.n_minus) == (n_plus, n_minus), sec.code_key
        tally: dict[str, int] = Counter()
        for r in mine:
            tally[r.informant or r.source] += {"+": 1, "-": -1}.get(r.valence, 0)
        n_for = sum(1 for v in tally.values() if v > 0)
        n_against = sum(1 for v in tally.values() if v < 0)
        assert sec.proposal_counts.startswith(f"Carried out well according to {n_for}: ")
        assert f"; shortfalls according to {n_against}: " in sec.proposal_counts
        assert f"codings {n_plus}+ / {n_minus}−." in sec.proposal_counts
        assert sec.proposed_verdict_key == _expected_level(n_for, n_against, n_plus, n_minus)
    kinds = Counter(s.kind for s in sources)
    roles = Counter(p.role for p in people if p.sources)
    assert report.methods.startswith(
        f"The material is {len(sources)} sources (Interview {kinds['interview']}, Observation "
        f"{kinds['observation']}, Document {kinds['document']}) with {sum(roles.values())} "
        f"informants (Head {roles['head']}, Secretary {roles['secretary']}, Section head "
        f"{roles['section_head']}, Staff {roles['staff']}, Public {roles['public']}). "
        "Codings of coder peneliti.")
    undecided = [s for s in report.sections if not s.decided]
    assert len(undecided) == len(report.sections)  # the sample decides no verdict
    assert report.closing_summary == (
        f"{len(undecided)} characteristics have no decided verdict yet: "
        + ", ".join(s.code_label for s in undecided[:-1]) + f", and {undecided[-1].code_label}.")


def test_checklist_sheet_covers_every_codebook_without_repeating_a_parent(fgd) -> None:  # type: ignore[no-untyped-def]
    from qualcode.core.analysis.conclusions import checklist_display

    project, _ids = fgd
    display = checklist_display(project, lang="en")
    groups = list(dict.fromkeys(display.frame.index.get_level_values(0)))
    labels = list(display.frame.index.get_level_values(1))
    parent = next(s for s in build_report(project, lang="en").sections
                  if s.code_key == "SIA-F").code_label
    # Sobandi, Siagian, the parent's own group, emergent codes; 15 codes in all
    assert len(groups) == 4 and len(labels) == 15 and parent in groups
    rows = [label for group, label in display.frame.index if group == parent]
    assert rows[0] == parent and len(rows) == 5  # its row ("(in general)" in writers), 4 subs
    row = display.frame.loc[(groups[0], "Autonomy")]
    assert row["Informants for / against"] == "1 / 1" and row["Proposed"] == "Not effective"
    assert row["Verdict"] == "undecided"
