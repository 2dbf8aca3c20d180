"""Agreement on a real project file: units as documented, checked against the libraries
fed by a plain per-segment / per-character reading of the same codings."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from qualcode.core.analysis.agreement import agreement
from qualcode.core.analysis.agreement_report import agreement_display, methods_sentence
from qualcode.core.store import Project
from qualcode.errors import QualcodeError

pytestmark = pytest.mark.usefixtures("english")  # these tests read English text

TEXT_A = ("Peneliti: Bagaimana keahlian pegawai di sini?\n\n"
          "Informan: Pegawai menguasai pekerjaannya. Mereka tahu seluk beluk tugas. "
          "Namun sebagian masih bergantung pada senior. Keputusan sering menunggu atasan. "
          "Disiplin kerja cukup baik. Mereka datang tepat waktu.\n")
TEXT_B = ("Peneliti: Bagaimana hubungan dengan masyarakat?\n\n"
          "Informan: Pelayanan ramah dan cepat. Keluhan dijawab pada hari yang sama. "
          "Ada inovasi antrean daring. Pegawai jujur dalam melayani.\n")


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    """Two interviews; ana and budi code the first, only ana codes the second."""
    for name, text, person in (("a.txt", TEXT_A, "Sari"), ("b.txt", TEXT_B, "Tono")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        project.import_files([tmp_path / name], overrides={"informant": person, "role": "staff"})
    a, b = (project.get_source(n) for n in ("a.txt", "b.txt"))
    seg_a = [s.id for s in project.segments(a.id) if not s.is_interviewer]
    seg_b = [s.id for s in project.segments(b.id) if not s.is_interviewer]
    plan = [("ana", [seg_a[0], seg_a[1]], "SOB-1"), ("budi", [seg_a[0]], "SOB-1"),
            ("ana", [seg_a[2], seg_a[3]], "SOB-2"), ("budi", [seg_a[3]], "SOB-2"),
            ("budi", [seg_a[4]], "SOB-4"), ("ana", [seg_a[4], seg_a[5]], "SOB-4"),
            ("ana", [seg_b[0]], "SOB-6"), ("ana", [seg_b[3]], "SOB-5")]
    for coder, ids, code in plan:
        project.apply_code_to_segments(ids, code, coder=coder)
    return project


def reliability(project: Project, code: str, coders: list[str], source: str) -> np.ndarray:
    """Coders x segments 0/1 read segment by segment from the store (the definition)."""
    src = project.get_source(source)
    segs = project.segments(src.id)
    rows = project.codings(source=source, codes=[code])
    return np.array([[int(any(r.coder == c and r.start < s.end and s.start < r.end
                                 for r in rows)) for s in segs] for c in coders])


def test_segment_statistics_match_the_libraries(coded: Project) -> None:
    from krippendorff import alpha
    from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

    result = agreement(coded, coders=["ana", "budi"], codebook="sobandi-2008", lang="en")
    row = {r.code: r for r in result.codes}["SOB-2"]
    data = reliability(coded, "SOB-2", ["ana", "budi"], "a.txt")
    # b.txt is coded by ana only: budi gave no value there, so only a.txt's segments count
    assert row.segments == data.shape[1] and result.complete_sources == 1
    table = np.zeros((2, 2))
    for x, y in data.T:
        table[x, y] += 1
    assert row.cohen == pytest.approx(cohens_kappa(table).kappa)
    assert row.fleiss == pytest.approx(fleiss_kappa(aggregate_raters(data.T)[0]))
    assert row.percent == pytest.approx((data[0] == data[1]).mean())
    # alpha also sees b.txt's segments, where only ana has values: not pairable, no change
    assert row.alpha == pytest.approx(alpha(reliability_data=data,
                                            level_of_measurement="nominal"))


def test_character_statistics_match_counting_characters(coded: Project) -> None:
    result = agreement(coded, coders=["ana", "budi"], codes=["SOB-4"], lang="en")
    row = result.codes[0]
    text = coded.get_source("a.txt").text
    chars = np.zeros((2, len(text)), dtype=int)
    for r in coded.codings(source="a.txt", codes=["SOB-4"]):
        chars[["ana", "budi"].index(r.coder), r.start:r.end] = 1
    assert row.characters == len(text)
    assert row.char_percent == pytest.approx((chars[0] == chars[1]).mean())
    both, first, second = (chars[0] & chars[1]).mean(), chars[0].mean(), chars[1].mean()
    p_o = (chars[0] == chars[1]).mean()
    p_e = first * second + (1 - first) * (1 - second)
    assert row.char_kappa == pytest.approx((p_o - p_e) / (1 - p_e))
    assert 0 < both < first


def test_identical_coding_agrees_perfectly_and_overall_pools_codes(coded: Project) -> None:
    for r in coded.codings(coder="ana"):
        coded.apply_code(r.source_id, r.start, r.end, r.code, coder="cici")
    same = agreement(coded, coders=["ana", "cici"], codes=["SOB-1"], lang="en").codes[0]
    assert (same.percent, same.cohen, same.alpha, same.char_kappa, same.u_alpha) == \
        (1.0, 1.0, 1.0, 1.0, 1.0)
    with pytest.raises(QualcodeError, match="at least two coders"):
        agreement(coded, coders=["ana", "ana"])   # a coder named twice counts once
    result = agreement(coded, coders=["ana", "budi"], codebook="sobandi-2008", lang="en")
    rows = {r.code: r for r in result.codes}
    assert result.overall.segments == sum(r.segments for r in result.codes)
    assert rows["SOB-3"].warnings == ["nobody used this code on these sources"]
    assert math.isnan(rows["SOB-3"].cohen) and math.isnan(rows["SOB-3"].u_alpha)
    assert any("fewer than" in w for w in rows["SOB-1"].warnings)


def test_one_coder_is_not_enough(coded: Project) -> None:
    with pytest.raises(QualcodeError, match="at least two coders"):
        agreement(coded, coders=["ana"])
    with pytest.raises(QualcodeError, match="no codings by coder 'zoe'"):
        agreement(coded, coders=["ana", "zoe"])


def test_suggester_and_consensus_are_left_out_unless_chosen(coded: Project) -> None:
    a = coded.get_source("a.txt")
    seg = next(s for s in coded.segments(a.id) if not s.is_interviewer)
    coded.apply_code(a.id, seg.start, seg.end, "SOB-1", coder="suggester")
    coded.apply_code(a.id, seg.start, seg.end, "SOB-1", coder="consensus")
    assert agreement(coded).coders == ("ana", "budi")
    assert agreement(coded, coders=["ana", "suggester"]).coders == ("ana", "suggester")


def test_table_and_sentence_in_both_languages(coded: Project, tmp_path: Path) -> None:
    from qualcode.core.export import export_displays

    for lang in ("en", "id"):
        result = agreement(coded, coders=["ana", "budi"], codebook="sobandi-2008", lang=lang)
        display = agreement_display(result)
        assert display.row_keys[-1] == "" and len(display.frame) == len(result.codes) + 1
        sentence = methods_sentence(result)
        assert "ana, budi" in sentence
        kappa = f"{result.overall.cohen:.2f}"
        assert (kappa.replace(".", ",") if lang == "id" else kappa) in sentence
        for suffix in ("csv", "xlsx", "docx", "tex", "md"):
            written = export_displays([display], tmp_path / f"agreement-{lang}.{suffix}")
            assert written[0].stat().st_size > 0
