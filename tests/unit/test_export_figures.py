"""Figures (PNG, SVG) and the terminal chart of code frequencies by valence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from defusedxml import ElementTree
from export_samples import (
    clustered,
    cooccurrence,
    frequency_by_valence,
    frequency_valence,
    valence,
)

from qualcode.core.export import ExportError, export_chart
from qualcode.core.export.figures import circle_layout, valence_counts
from qualcode.core.export.terminal_chart import chart_lines, legend, rich_chart

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_valence_counts_from_valence_columns() -> None:
    counts = valence_counts(frequency_valence())
    assert list(counts.columns) == ["+", "0", "−"]
    assert counts.loc["Mampu mandiri"].tolist() == [1, 0, 4]


def test_valence_counts_from_the_frequency_table_uses_codings_not_informants() -> None:
    counts = valence_counts(frequency_by_valence())
    assert counts.to_dict("index") == {"Harus ahli": {"+": 3, "0": 0, "−": 1},
                                       "Mampu mandiri": {"+": 0, "0": 1, "−": 4}}


def test_valence_counts_parsed_from_matrix_cells() -> None:
    counts = valence_counts(valence())
    assert counts.iloc[0].tolist() == [4, 0, 1]        # "3+ / 1−" and "1+ / 0−"
    assert counts.iloc[1].tolist() == [0, 0, 2]


def test_valence_counts_from_transposed_frame() -> None:
    display = frequency_valence()
    display.frame = display.frame.T
    assert valence_counts(display).loc["Harus ahli"].tolist() == [3, 1, 2]


def test_bar_chart_png_and_svg(tmp_path: Path) -> None:
    png = export_chart(frequency_valence(), tmp_path / "v.png")
    assert png.read_bytes()[:8] == PNG_SIGNATURE
    svg = export_chart(frequency_valence(), tmp_path / "v.svg")
    root = ElementTree.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert "Harus ahli" in svg.read_text("utf-8") or "<path" in svg.read_text("utf-8")


def test_network_figure_from_cooccurrence(tmp_path: Path) -> None:
    png = export_chart(cooccurrence(), tmp_path / "net.png")
    assert png.read_bytes()[:8] == PNG_SIGNATURE
    svg = export_chart(cooccurrence(), tmp_path / "net.svg", kind="network")
    assert ElementTree.parse(svg).getroot().tag.endswith("svg")


def test_empty_chart_still_writes_a_figure(tmp_path: Path) -> None:
    display = frequency_valence()
    display.frame = display.frame.iloc[0:0]
    assert export_chart(display, tmp_path / "e.png").read_bytes()[:8] == PNG_SIGNATURE


def test_chart_bad_suffix_and_kind(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        export_chart(frequency_valence(), tmp_path / "v.jpg")
    with pytest.raises(ExportError, match="chart kind"):
        export_chart(frequency_valence(), tmp_path / "v.png", kind="pie")


def test_circle_layout_is_on_the_unit_circle() -> None:
    points = circle_layout(6)
    assert points[0] == pytest.approx((0.0, 1.0))
    assert all(x * x + y * y == pytest.approx(1.0) for x, y in points)


def test_terminal_chart_scales_bars_and_shows_counts() -> None:
    counts = pd.DataFrame({"+": [3, 1], "0": [1, 0], "−": [2, 4]}, index=["Harus ahli", "Inovasi"])
    lines = chart_lines(counts, width=12, lang="en")
    assert lines[0].startswith("Harus ahli")
    assert "█" * 6 + "░" * 2 + "▓" * 4 in lines[0]          # total 6 = full width 12
    assert lines[0].endswith("+3 0:1 −2")
    assert "██" in lines[1] and "▓" * 8 in lines[1] and "░" not in lines[1]
    assert lines[-1] == legend("en") and "shortfall" in lines[-1]


def test_terminal_chart_small_counts_stay_visible() -> None:
    counts = pd.DataFrame({"+": [100], "0": [0], "−": [1]}, index=["x"])
    assert "▓" in chart_lines(counts, width=10)[0]


def test_terminal_chart_renders_with_rich() -> None:
    from rich.console import Console

    console = Console(record=True, width=100)
    console.print(rich_chart(frequency_valence().frame.rename(columns={"-": "−"}), lang="id"))
    text = console.export_text()
    assert "Frekuensi kode menurut valensi" in text
    assert "Mampu mandiri" in text and "kekurangan" in text
    assert chart_lines(clustered().frame.iloc[0:0]) == ["Belum ada coding untuk ditampilkan."]
