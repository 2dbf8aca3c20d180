"""Every registered display builds a non-empty table from the bundled sample project."""

from __future__ import annotations

import pytest

from qualcode.core.analysis.base import Display
from qualcode.core.analysis.conclusions import build_report
from qualcode.core.analysis.display import DISPLAYS
from qualcode.core.store import Project


@pytest.mark.parametrize("name", sorted(DISPLAYS))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_display_builds_from_the_sample(sample_project: Project, name: str,
                                              lang: str) -> None:
    display = DISPLAYS[name](sample_project, lang=lang)
    assert isinstance(display, Display)
    assert not display.frame.empty
    assert display.lang == lang and display.title
    assert len(display.row_keys) == len(display.frame.index)
    assert len(display.col_keys) == len(display.frame.columns)


def test_sample_has_codings_in_the_matrices(sample_project: Project) -> None:
    counts = DISPLAYS["clustered"](sample_project, codebook="sobandi-2008").frame
    assert int(counts.to_numpy().sum()) > 0
    assert len(counts.index) == 6  # the six Sobandi characteristics


def test_sample_report(sample_project: Project) -> None:
    report = build_report(sample_project, codebook="sobandi-2008", lang="en")
    assert [s.code_key for s in report.sections] == [f"SOB-{i}" for i in range(1, 7)]
    assert report.closing_summary
    assert any(s.supporting for s in report.sections)
