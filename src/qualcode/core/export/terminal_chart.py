"""A text bar chart of code frequencies by valence, for the CLI and the TUI.

Each code gets one line: its label, a bar stacked + / 0 / − and the counts. The three parts
use different block characters (█ + , ░ 0, ▓ −) so the chart reads without colour too; with
rich, the parts are also coloured green, grey and red.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualcode.core.export.labels import word

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType

BLOCKS = {"+": "█", "0": "░", "−": "▓"}
STYLES = {"+": "green", "0": "grey50", "−": "red"}
LABEL_WIDTH = 28


def _rows(counts: pd.DataFrame) -> list[tuple[str, dict[str, int]]]:
    rows = []
    for label, values in counts.iterrows():
        parts = {v: int(values.get(v, values.get("-", 0) if v == "−" else 0) or 0)
                 for v in BLOCKS}
        rows.append((str(label), parts))
    return rows


def _scaled(parts: dict[str, int], scale: float) -> dict[str, int]:
    """Cells per part; a non-zero part always gets at least one cell."""
    return {v: (max(1, round(n * scale)) if n else 0) for v, n in parts.items()}


def _fit(label: str, width: int) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _counts_text(parts: dict[str, int]) -> str:
    return f"+{parts['+']} 0:{parts['0']} −{parts['−']}"


def chart_lines(counts: pd.DataFrame, *, width: int = 40, label_width: int = LABEL_WIDTH,
                lang: str = "id") -> list[str]:
    """The chart as plain text lines (legend last); `counts` is codes x (+, 0, −)."""
    rows = _rows(counts)
    if not rows:
        return [word("no_data", lang)]
    biggest = max(sum(p.values()) for _, p in rows) or 1
    lines = []
    for label, parts in rows:
        cells = _scaled(parts, width / biggest)
        bar = "".join(BLOCKS[v] * cells[v] for v in BLOCKS)
        lines.append(f"{_fit(label, label_width):<{label_width}} {bar} {_counts_text(parts)}")
    lines.append(legend(lang))
    return lines


def legend(lang: str = "id") -> str:
    """What the three block characters mean."""
    return "   ".join(f"{BLOCKS[v]} {word(k, lang)}"
                      for v, k in (("+", "positive"), ("0", "neutral"), ("−", "negative")))


def rich_chart(counts: pd.DataFrame, *, width: int = 40, title: str = "",
               lang: str = "id") -> RenderableType:
    """The chart as a coloured rich renderable (a grid: label, bar, counts)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    rows = _rows(counts)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, max_width=LABEL_WIDTH)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, justify="right")
    biggest = max((sum(p.values()) for _, p in rows), default=0) or 1
    for label, parts in rows:
        cells = _scaled(parts, width / biggest)
        bar = Text()
        for v in BLOCKS:
            bar.append(BLOCKS[v] * cells[v], style=STYLES[v])
        grid.add_row(Text(_fit(label, LABEL_WIDTH)), bar, Text(_counts_text(parts), style="dim"))
    head = Text(title or word("valence_chart", lang), style="bold")
    if not rows:
        return Group(head, Text(word("no_data", lang)))
    key = Text()
    for v, k in (("+", "positive"), ("0", "neutral"), ("−", "negative")):
        key.append(f"{BLOCKS[v]} ", style=STYLES[v])
        key.append(f"{word(k, lang)}   ", style="dim")
    return Group(head, grid, key)
