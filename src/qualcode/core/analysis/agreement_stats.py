"""Inter-coder agreement coefficients on count tables, and how to read them.

Every function takes a *value-count table*: one row per unit, one column per category, each
cell the number of coders who gave the unit that category (Fleiss 1971's layout). Rows may
carry weights (a row standing for many identical units, e.g. a stretch of characters), so the
character-level figures are computed over intervals instead of characters.

- percent agreement: the share of units on which every coder gave the same category;
- Cohen's kappa (two coders) from their contingency table, chance agreement = the SUM over
  categories of the products of the two coders' marginal proportions (Cohen 1960);
- Fleiss' kappa (Fleiss 1971), units with the same number of coders;
- Krippendorff's alpha, nominal, missing values allowed (Krippendorff 2011).
Bands: Landis & Koch (1977) for kappa, Krippendorff (2004) .667 / .800 for alpha.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from qualcode.i18n import N_, _

NAN = float("nan")


def _weights(table: np.ndarray, weights: Sequence[float] | np.ndarray | None) -> np.ndarray:
    if weights is None:
        return np.ones(len(table), dtype=float)
    w = np.asarray(weights, dtype=float)
    if w.shape != (len(table),):
        raise ValueError("one weight per row of the table")
    return w


def percent_agreement(table: Any, weights: Any = None) -> float:
    """Share of (weighted) units with at least two coders on which all coders agree."""
    counts = np.asarray(table, dtype=float)
    w = _weights(counts, weights)
    n = counts.sum(axis=1)
    pairable = n >= 2
    if not (w * pairable).sum():
        return NAN
    agree = (counts.max(axis=1) == n) & pairable
    return float((w * agree).sum() / (w * pairable).sum())


def cohen_kappa(confusion: Any) -> float:
    """Cohen's (1960) kappa from a k x k contingency table (rows: coder A, columns: coder B).

    p_o is the diagonal share; p_e = sum over categories of p_A(k) * p_B(k). NaN when p_e = 1
    (both coders used one and the same category throughout: kappa is undefined)."""
    table = np.asarray(confusion, dtype=float)
    total = table.sum()
    if table.ndim != 2 or table.shape[0] != table.shape[1]:
        raise ValueError("Cohen's kappa needs a square contingency table")
    if total <= 0:
        return NAN
    p_o = np.trace(table) / total
    p_e = float((table.sum(axis=1) / total) @ (table.sum(axis=0) / total))
    return NAN if math.isclose(p_e, 1.0) else float((p_o - p_e) / (1.0 - p_e))


def fleiss_kappa(table: Any, weights: Any = None) -> float:
    """Fleiss' (1971) kappa; every unit must have the same number of coders (>= 2).

    P_i = (sum_j n_ij^2 - n) / (n (n - 1)), P-bar their (weighted) mean, p_j the category
    shares, P_e = sum_j p_j^2, kappa = (P-bar - P_e) / (1 - P_e)."""
    counts = np.asarray(table, dtype=float)
    w = _weights(counts, weights)
    keep = w > 0
    counts, w = counts[keep], w[keep]
    if not len(counts):
        return NAN
    raters = counts.sum(axis=1)
    n = raters[0]
    if n < 2 or not np.all(raters == n):
        raise ValueError("Fleiss' kappa needs the same number (>= 2) of coders on every unit")
    total = w.sum()
    p_i = ((counts ** 2).sum(axis=1) - n) / (n * (n - 1))
    p_bar = float((w * p_i).sum() / total)
    p_j = (w[:, None] * counts).sum(axis=0) / (total * n)
    p_e = float((p_j ** 2).sum())
    return NAN if math.isclose(p_e, 1.0) else (p_bar - p_e) / (1.0 - p_e)


def krippendorff_nominal(table: Any, weights: Any = None) -> float:
    """Krippendorff's alpha, nominal, from (weighted) value counts; units with fewer than two
    values (missing data) are not pairable and drop out. NaN when only one value occurs.

    Coincidences o_ck = sum_u w_u n_uc (n_uk - [c = k]) / (n_u - 1), n_c = sum_k o_ck, and
    alpha = 1 - (n - 1) (n - sum_c o_cc) / (n^2 - sum_c n_c^2) (Krippendorff 2011). Written
    out (and checked against the `krippendorff` package) because the package takes no
    weights, and a project's units are millions of repeats of a few patterns."""
    counts = np.asarray(table, dtype=float)
    w = _weights(counts, weights)
    n_u = counts.sum(axis=1)
    keep = (n_u >= 2) & (w > 0)
    counts, w, n_u = counts[keep], w[keep], n_u[keep]
    if not len(counts):
        return NAN
    scale = w / (n_u - 1.0)
    coincidences = (counts * scale[:, None]).T @ counts
    coincidences -= np.diag((counts * scale[:, None]).sum(axis=0))
    n_c = coincidences.sum(axis=1)
    n = n_c.sum()
    expected = n * n - float((n_c ** 2).sum())
    if expected <= 0:
        return NAN
    return float(1.0 - (n - 1.0) * (n - np.trace(coincidences)) / expected)


def patterns(table: Any, weights: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a count table and their summed weights (all the coefficients
    here depend on a table only through these)."""
    counts = np.asarray(table, dtype=np.int64)
    w = _weights(counts, weights)
    if not len(counts):
        return counts.reshape(0, counts.shape[1] if counts.ndim == 2 else 0), w
    base = int(counts.max()) + 1
    key = counts @ (base ** np.arange(counts.shape[1], dtype=np.int64))
    unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return counts[first], np.bincount(inverse.ravel(), weights=w, minlength=len(unique))


def binary_patterns(n: np.ndarray, coded: np.ndarray, m: int,
                    weights: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """`patterns` of the table [n - coded, coded] (n <= m coders per unit), by counting."""
    key = np.asarray(n, dtype=np.int64) * (m + 1) + np.asarray(coded, dtype=np.int64)
    w = np.bincount(key, weights=weights, minlength=(m + 1) ** 2)
    found = np.flatnonzero(w)
    totals, yes = found // (m + 1), found % (m + 1)
    return np.column_stack([totals - yes, yes]), w[found].astype(float)


def confusion_from_pairs(a: Any, b: Any, categories: int, weights: Any = None) -> np.ndarray:
    """The k x k contingency table of two coders' category indexes (weighted)."""
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    w = _weights(a, weights)
    out = np.zeros(categories * categories, dtype=float)
    np.add.at(out, a * categories + b, w)
    return out.reshape(categories, categories)


# ---- reading the figures ---------------------------------------------------------------------
KAPPA_BANDS = ((0.20, N_("slight")), (0.40, N_("fair")), (0.60, N_("moderate")),
               (0.80, N_("substantial")))


def kappa_band(value: float, lang: str | None = None) -> str:
    """Landis & Koch (1977): < 0 poor, .00-.20 slight, .21-.40 fair, .41-.60 moderate,
    .61-.80 substantial, .81-1 almost perfect ('' for NaN)."""
    if value is None or math.isnan(value):
        return ""
    if value < 0:
        return _("poor", lang=lang)
    for upper, name in KAPPA_BANDS:
        if value <= upper:
            return _(name, lang=lang)
    return _("almost perfect", lang=lang)


def alpha_band(value: float, lang: str | None = None) -> str:
    """Krippendorff (2004: 241): alpha >= .800 reliable; .667 <= alpha < .800 only for
    tentative conclusions; below .667 unreliable ('' for NaN)."""
    if value is None or math.isnan(value):
        return ""
    if value >= 0.800:
        return _("reliable", lang=lang)
    if value >= 0.667:
        return _("tentative", lang=lang)
    return _("unreliable", lang=lang)
