"""Agreement over character spans, computed on intervals (never character by character).

Several sources are laid end to end on one axis (`bounds`: the start and end of each source on
it); a coder's spans of one code are merged where they overlap (adjacent spans stay two units,
as in Krippendorff's unitizing). The axis is cut at every span and source boundary into
elementary intervals, inside which nothing changes; each interval is one weighted row.

- `coverage`: per elementary interval, how many coders coded it: the character-level
  (NVivo-style) percent agreement and kappa are computed from these weighted rows;
- `unitized_alpha`: Krippendorff's unitized alpha (uα; Krippendorff 1995, 2004: 251-256,
  2019 ch. 12) for one code, binary (the code's units against the gaps between them), gaps
  never crossing a source boundary, every coder unitizing the whole axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Spans = tuple[np.ndarray, np.ndarray]  # (starts, ends), int64


def merge_spans(starts: Sequence[int] | np.ndarray, ends: Sequence[int] | np.ndarray) -> Spans:
    """Sorted spans with overlapping ones merged (touching spans are kept apart)."""
    s = np.asarray(starts, dtype=np.int64)
    e = np.asarray(ends, dtype=np.int64)
    if not len(s):
        return s, e
    order = np.lexsort((e, s))
    s, e = s[order], e[order]
    reach = np.maximum.accumulate(e)
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] >= reach[:-1]
    first = np.flatnonzero(new)
    return s[first], np.maximum.reduceat(e, first)


def _covered(spans: Spans, points: np.ndarray) -> np.ndarray:
    """For each point, whether a (merged) span contains it."""
    starts, ends = spans
    if not len(starts):
        return np.zeros(len(points), dtype=bool)
    idx = np.searchsorted(starts, points, side="right") - 1
    return (idx >= 0) & (ends[np.maximum(idx, 0)] > points)


def elementary(bounds: np.ndarray, spans: Sequence[Spans]) -> tuple[np.ndarray, np.ndarray]:
    """Starts and lengths of the elementary intervals of the axis [bounds[0], bounds[-1])."""
    cuts = np.unique(np.concatenate([bounds, *(x for s in spans for x in s)]))
    cuts = cuts[(cuts >= bounds[0]) & (cuts <= bounds[-1])]
    return cuts[:-1], np.diff(cuts)


def coverage(bounds: np.ndarray, spans: Sequence[Spans]) -> tuple[np.ndarray, np.ndarray]:
    """(coded, lengths): a boolean (intervals x coders) matrix and each interval's length."""
    starts, lengths = elementary(bounds, spans)
    coded = np.column_stack([_covered(s, starts) for s in spans]) if spans else \
        np.zeros((len(starts), 0), dtype=bool)
    return coded, lengths


# ---- Krippendorff's unitized alpha -----------------------------------------------------------
@dataclass(frozen=True)
class Pieces:
    """One coder's partition of the axis into units (True) and gaps (False)."""

    start: np.ndarray
    end: np.ndarray
    unit: np.ndarray


def pieces(bounds: np.ndarray, spans: Spans) -> Pieces:
    """Units and the gaps between them; a gap ends at every source boundary."""
    cuts = np.unique(np.concatenate([bounds, spans[0], spans[1]]))
    start, end = cuts[:-1], cuts[1:]
    return Pieces(start, end, _covered(spans, start))


def _pair_sum(a: Pieces, b: Pieces) -> float:
    """Sum of Krippendorff's squared distances over the overlapping pieces of two coders:
    two units: (b_g - b_h)^2 + (e_g - e_h)^2; a unit inside the other's gap: its length^2."""
    points = np.unique(np.concatenate([a.start, b.start]))
    g = np.searchsorted(a.start, points, side="right") - 1
    h = np.searchsorted(b.start, points, side="right") - 1
    bg, eg, ug = a.start[g].astype(float), a.end[g].astype(float), a.unit[g]
    bh, eh, uh = b.start[h].astype(float), b.end[h].astype(float), b.unit[h]
    both = ug & uh
    total = float((((bg - bh) ** 2 + (eg - eh) ** 2) * both).sum())
    inside_h = ug & ~uh & (bh <= bg) & (eg <= eh)
    inside_g = uh & ~ug & (bg <= bh) & (eh <= eg)
    total += float((((eg - bg) ** 2) * inside_h).sum() + (((eh - bh) ** 2) * inside_g).sum())
    return total


def unitized_disagreements(bounds: Sequence[int] | np.ndarray,
                           spans: Sequence[Spans]) -> tuple[float, float]:
    """(observed, expected) disagreement of Krippendorff's uα for one category.

    D_o = 2 * sum over coder pairs i < j of the distances, / (m (m - 1) L^2);
    D_e = (2 / L) * sum over all units g of [(N - 1)(2 l^3 - 3 l^2 + l) / 3
          + l^2 * sum over all gaps h with l_h >= l of (l_h - l + 1)]
          / (m L (m L - 1) - sum over units of l (l - 1)),
    with m coders, L the axis length, N the number of units of all coders."""
    edges = np.asarray(bounds, dtype=np.int64)
    m, length = len(spans), float(edges[-1] - edges[0])
    if m < 2 or length <= 0:
        return float("nan"), float("nan")
    parts = [pieces(edges, merge_spans(*s)) for s in spans]
    observed = sum(_pair_sum(parts[i], parts[j]) for i in range(m) for j in range(i + 1, m))
    d_o = 2.0 * observed / (m * (m - 1) * length ** 2)
    units = np.concatenate([(p.end - p.start)[p.unit] for p in parts]).astype(float)
    gaps = np.sort(np.concatenate([(p.end - p.start)[~p.unit] for p in parts]).astype(float))
    if not len(units):
        return d_o, 0.0
    # sum over gaps with l_h >= l of (l_h - l + 1), for every unit length l at once
    tail = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0.0]])
    first = np.searchsorted(gaps, units, side="left")
    count = len(gaps) - first
    fits = tail[first] - (units - 1.0) * count
    n_units = len(units)
    within = (n_units - 1.0) * (2 * units ** 3 - 3 * units ** 2 + units) / 3.0
    numerator = (2.0 / length) * float((within + units ** 2 * fits).sum())
    denominator = m * length * (m * length - 1.0) - float((units * (units - 1.0)).sum())
    return d_o, numerator / denominator


def unitized_alpha(bounds: Sequence[int] | np.ndarray, spans: Sequence[Spans]) -> float:
    """Krippendorff's uα for one category: 1 - D_o / D_e (NaN when nobody used it)."""
    d_o, d_e = unitized_disagreements(bounds, spans)
    return float("nan") if not d_e or np.isnan(d_e) else 1.0 - d_o / d_e
