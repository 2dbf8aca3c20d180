"""What the analysis screens use from the core (qualcode.core.analysis.catalogue)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qualcode.core.analysis.catalogue import (
    ALL_DISPLAYS,
    CHOICES_BY_KEY,
    DISPLAY_CHOICES,
    Filters,
    all_displays,
    analysis_progress,
    build_choice,
    cell_filters,
    chart_display,
    coders,
    export_folder,
    has_valence,
    retrieval_listing,
)
from qualcode.core.analysis.query import retrieve
from qualcode.core.store import Project


def test_every_choice_builds_and_all_displays_are_choices(sample_project: Project) -> None:
    assert len(CHOICES_BY_KEY) == len(DISPLAY_CHOICES)
    assert set(ALL_DISPLAYS) <= set(CHOICES_BY_KEY)
    for choice in DISPLAY_CHOICES:
        display = build_choice(sample_project, choice.key, lang="en",
                               filters=Filters(valence="+"))
        assert display.title and display.lang == "en"
        assert choice.label("id") and choice.label("en")
    assert len(all_displays(sample_project, codebook="sobandi-2008")) == len(ALL_DISPLAYS)


def test_filters_reach_the_builders(sample_project: Project) -> None:
    only = build_choice(sample_project, "frequency:code", codebook="sobandi-2008",
                        filters=Filters(informants=("Rudi Hermawan",), valence="-"))
    row = only.row_keys.index("SOB-1")
    n = len(retrieve(sample_project, codes=["SOB-1"], informants=["Rudi Hermawan"],
                     valence="-"))
    assert n > 0 and only.frame.iat[row, 0] == n


def test_cell_filters_point_to_the_cell_codings(sample_project: Project) -> None:
    matrix = build_choice(sample_project, "clustered:counts", codebook="sobandi-2008")
    row = matrix.row_keys.index("SOB-2")
    person = cell_filters(matrix, row, matrix.col_keys.index("i:Sri Wahyuni"))
    assert person == Filters(codes=("SOB-2",), informants=("Sri Wahyuni",))
    kinds = [k for k in matrix.col_keys if k.startswith("k:")]
    assert kinds
    kind = cell_filters(matrix, row, matrix.col_keys.index(kinds[0]))
    assert kind == Filters(codes=("SOB-2",), kinds=(kinds[0][2:],))
    assert cell_filters(matrix, row, None) == Filters(codes=("SOB-2",))
    assert cell_filters(matrix, len(matrix.row_keys), 0) is None
    pairs = build_choice(sample_project, "cooccurrence:count", codebook="sobandi-2008")
    assert cell_filters(pairs, 0, 1) == Filters(codes=(pairs.row_keys[0], pairs.row_keys[1]))


def test_chart_display_falls_back_to_frequencies_by_valence(sample_project: Project) -> None:
    counts = build_choice(sample_project, "clustered:counts")
    valence = build_choice(sample_project, "role:valence")
    assert not has_valence(counts) and has_valence(valence)
    assert chart_display(sample_project, valence) is valence
    assert chart_display(sample_project, counts).key == "frequency_valence"


def test_retrieval_listing_with_several_coders(sample_project: Project) -> None:
    names = coders(sample_project)
    assert len(names) >= 2
    listing = retrieval_listing(sample_project, Filters(codes=("SOB-1",), coders=tuple(names)))
    assert len(listing.frame) == len(retrieve(sample_project, codes=["SOB-1"],
                                              coders=[",".join(names)]))
    one = retrieval_listing(sample_project, Filters(codes=("SOB-1",), coders=(names[0],)))
    assert len(one.frame) == len(retrieve(sample_project, codes=["SOB-1"], coders=[names[0]]))


def test_progress_counts_summaries_and_conclusions(sample_project: Project) -> None:
    before = analysis_progress(sample_project)
    assert before.codings == len(sample_project.codings())   # work done, every coder
    sample_project.set_summary("SOB-1", "Rudi Hermawan", "Masters SIASN only partly.")
    sample_project.set_conclusion("SOB-1", verdict="effective", decided_by="ani")
    after = analysis_progress(sample_project)
    assert (after.summaries_accepted, after.conclusions_tentative) == (
        before.summaries_accepted + 1, before.conclusions_tentative + 1)


def test_exports_go_to_the_current_folder_else_beside_the_project(
        sample_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert export_folder(sample_project) == work
    real_access = os.access  # a current folder the researcher cannot write to:
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != work and real_access(p, mode))
    assert export_folder(sample_project) == Path(sample_project.url.removeprefix("sqlite:///")).resolve().parent
