"""Co-occurrence counts and the c-coefficient, by hand on the small project and on arrays."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from analysis_small import Small, build_small

from qualcode.core.analysis.cooccurrence import (
    Cooccurrence,
    cooccurrence,
    cooccurrence_network,
    sweep_pairs,
)

AHLI, MANDIRI = ("Buku kode kecil", "Ahli"), ("Buku kode kecil", "Mandiri")


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Small]:
    built = build_small(tmp_path)
    yield built
    built.project.close()


def test_sweep_pairs_finds_exactly_the_overlapping_intervals() -> None:
    # [0,10) [2,3) [5,12) [10,11): 0-1, 0-2, 2-3 overlap; 0-3 only touch at 10 (half-open)
    starts, ends = np.array([0, 2, 5, 10]), np.array([10, 3, 12, 11])
    i, j = sweep_pairs(starts, ends)
    assert sorted(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 1), (0, 2), (2, 3)]
    empty_i, _ = sweep_pairs(np.array([], dtype=np.int64), np.array([], dtype=np.int64))
    assert len(empty_i) == 0


def test_sweep_pairs_matches_brute_force_on_random_intervals() -> None:
    rng = np.random.default_rng(7)
    starts = np.sort(rng.integers(0, 500, 300))
    ends = starts + rng.integers(1, 40, 300)
    i, j = sweep_pairs(starts, ends)
    brute = {(a, b) for a in range(300) for b in range(a + 1, 300)
             if starts[a] < ends[b] and starts[b] < ends[a]}
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == brute


def test_overlap_counts_and_c(small: Small) -> None:
    # same coder, different codes, shared characters:
    #   r1: b2 (T-1) x b3 (T-2) in Budi's 2nd sentence. For the coders r1 and r2 together a5
    #   (r2, T-2) is a2's passage and code, kept once as r1's a2; a4 (r2) overlaps a2, but
    #   a2 is r1's: different coders never pair. One coder: r2 alone pairs a4 x a5.
    d = cooccurrence(small.project, codebook="tiny")
    assert d.frame.loc[AHLI].tolist() == [6, 1]  # diagonal: 6 codings of T-1
    assert d.frame.loc[MANDIRI].tolist() == [1, 4]
    assert cooccurrence(small.project, codebook="tiny", coder="r2").frame.loc[AHLI].tolist() \
        == [1, 1]
    c = cooccurrence(small.project, codebook="tiny", measure="c")
    # a = T-1 codings touching T-2 = {b2} = 1; b = {b3} = 1; n12 = 1
    # c = 1 / (6 + 4 - 1) = 0.111
    assert c.frame.loc[AHLI, "Mandiri"] == pytest.approx(round(1 / 9, 3))
    assert c.frame.loc[AHLI, "Ahli"] == 1.0
    assert c.cell_kind == "coefficient" and any("n12" in note for note in c.notes)


def test_segment_mode_adds_same_sentence_pairs(small: Small) -> None:
    # also c1 x c2 (Citra): different characters, same sentence -> 2 pairs
    d = cooccurrence(small.project, codebook="tiny", mode="segment")
    assert d.frame.loc[AHLI, "Mandiri"] == 2
    c = cooccurrence(small.project, codebook="tiny", mode="segment", measure="c")
    # a = {b2, c1} = 2, b = {b3, c2} = 2 -> c = 2 / (6 + 4 - 2) = 0.25
    assert c.frame.loc[MANDIRI, "Ahli"] == 0.25


def test_one_coder_only(small: Small) -> None:
    # r1 alone: T-1 = a1 b1 b2 c1 d1 (5), T-2 = a2 a3 b3 c2 (4); one pair b2 x b3
    d = cooccurrence(small.project, codebook="tiny", coder="r1")
    assert d.frame.loc[AHLI].tolist() == [5, 1]
    c = cooccurrence(small.project, codebook="tiny", coder="r1", measure="c")
    assert c.frame.loc[AHLI, "Mandiri"] == 0.125  # 1 / (5 + 4 - 1)


def test_c_never_exceeds_one_when_one_coding_overlaps_two() -> None:
    # one X coding overlaps two Y codings: 2 pairs, but every coding of both codes
    # co-occurs with the other code: a = 1, b = 2, n12 = 1.5, c = 1.5 / (1 + 2 - 1.5) = 1
    result = Cooccurrence([], np.array([1, 2]), np.array([[1, 2], [2, 2]]),
                          np.array([[0, 1], [2, 0]]))
    assert result.c_coefficient()[0, 1] == pytest.approx(1.0)
    # a third Y coding elsewhere: n12 = 1.5, c = 1.5 / (1 + 3 - 1.5) = 0.6
    result = Cooccurrence([], np.array([1, 3]), np.array([[1, 2], [2, 3]]),
                          np.array([[0, 1], [2, 0]]))
    assert result.c_coefficient()[1, 0] == pytest.approx(0.6)


def test_network(small: Small) -> None:
    net = cooccurrence_network(small.project, codebook="tiny", lang="en")
    assert [n["key"] for n in net.nodes] == ["T-1", "T-2"]
    assert [n["count"] for n in net.nodes] == [6, 4]
    assert net.edges == [{"source": "T-1", "target": "T-2", "count": 1, "c": 0.111}]
    assert cooccurrence_network(small.project, codebook="tiny", min_count=2).edges == []


def test_bad_mode(small: Small) -> None:
    from qualcode.errors import QualcodeError

    with pytest.raises(QualcodeError, match="mode 'paragraph'"):
        cooccurrence(small.project, mode="paragraph")
    with pytest.raises(QualcodeError, match="measure 'jaccard'"):
        cooccurrence(small.project, measure="jaccard")
