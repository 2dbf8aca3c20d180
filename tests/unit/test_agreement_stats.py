"""Agreement coefficients against published worked examples (values as printed there)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.core.analysis.agreement_stats import (
    alpha_band,
    cohen_kappa,
    confusion_from_pairs,
    fleiss_kappa,
    kappa_band,
    krippendorff_nominal,
    patterns,
    percent_agreement,
)

# Fleiss (1971), Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses (1 depression,
# 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other); the diagnoses per patient.
FLEISS_1971 = [
    (4, 4, 4, 4, 4, 4), (2, 2, 2, 5, 5, 5), (2, 3, 3, 3, 3, 5), (5, 5, 5, 5, 5, 5),
    (2, 2, 2, 4, 4, 4), (1, 1, 3, 3, 3, 3), (3, 3, 3, 3, 5, 5), (1, 1, 3, 3, 3, 4),
    (1, 1, 4, 4, 4, 4), (5, 5, 5, 5, 5, 5), (1, 4, 4, 4, 4, 4), (1, 2, 4, 4, 4, 4),
    (2, 2, 2, 3, 3, 3), (1, 4, 4, 4, 4, 4), (2, 2, 4, 4, 4, 5), (3, 3, 3, 3, 3, 5),
    (1, 1, 1, 4, 5, 5), (1, 1, 1, 1, 1, 2), (2, 2, 4, 4, 4, 4), (1, 3, 3, 5, 5, 5),
    (5, 5, 5, 5, 5, 5), (2, 4, 4, 4, 4, 4), (2, 2, 4, 5, 5, 5), (1, 1, 4, 4, 4, 4),
    (1, 4, 4, 4, 4, 5), (2, 2, 2, 2, 2, 4), (1, 1, 1, 1, 5, 5), (2, 2, 4, 4, 4, 4),
    (1, 3, 3, 3, 3, 3), (5, 5, 5, 5, 5, 5),
]

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers
# x 12 units, values 1-5, None = missing.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def value_counts(rows: list[list[int | None]] | list[tuple[int, ...]], categories: int,
                 by_unit: bool) -> np.ndarray:
    """Units x categories counts from per-unit ratings (or per-coder rows)."""
    units = rows if by_unit else list(zip(*rows, strict=True))
    table = np.zeros((len(units), categories))
    for u, ratings in enumerate(units):
        for value in ratings:
            if value is not None:
                table[u, value - 1] += 1
    return table


def test_fleiss_kappa_reproduces_fleiss_1971() -> None:
    """Fleiss (1971: 381), psychiatric diagnoses of 30 patients by 6 raters: kappa = .430."""
    table = value_counts(FLEISS_1971, 5, by_unit=True)
    assert round(fleiss_kappa(table), 3) == 0.430


def test_fleiss_kappa_matches_statsmodels_and_weights_equal_repeated_rows() -> None:
    """Weighted rows stand for repeated units (how the character figures use it)."""
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    table = value_counts(FLEISS_1971, 5, by_unit=True)
    assert fleiss_kappa(table) == pytest.approx(sm_fleiss(table), abs=1e-12)
    weights = np.arange(1, 31)
    repeated = np.repeat(table, weights, axis=0)
    assert fleiss_kappa(table, weights) == pytest.approx(sm_fleiss(repeated), abs=1e-12)


def test_krippendorff_nominal_reproduces_krippendorff_2011() -> None:
    """Krippendorff (2011), 4 observers x 12 units with missing data: nominal alpha = .743."""
    table = value_counts(KRIPPENDORFF_2011, 5, by_unit=False)
    assert round(krippendorff_nominal(table), 3) == 0.743


def test_cohen_kappa_reproduces_cohen_1960() -> None:
    """Cohen (1960: 38, Table 1), two judges, 200 units, 3 categories, proportions:
    p_o = .70, p_c = .41, kappa = .492."""
    proportions = np.array([[.44, .07, .09], [.05, .20, .05], [.01, .03, .06]])
    assert round(cohen_kappa(proportions * 200), 3) == 0.492


def test_cohen_chance_agreement_is_a_sum_not_a_product() -> None:
    """Chance agreement is sum_k p_A(k) p_B(k): on Cohen's (1960) table
    .60 x .50 + .30 x .30 + .10 x .20 = .41 (his p_c), not a product over categories."""
    from statsmodels.stats.inter_rater import cohens_kappa

    table = np.array([[88, 14, 18], [10, 40, 10], [2, 6, 12]])
    assert cohen_kappa(table) == pytest.approx(cohens_kappa(table).kappa, abs=1e-12)
    assert cohen_kappa(table) == pytest.approx((0.70 - 0.41) / (1 - 0.41), abs=1e-12)


def test_cohen_kappa_from_pairs_with_weights() -> None:
    """Weighted pairs (interval lengths) give the same table as the repeated pairs."""
    a, b, w = [0, 1, 1, 0], [0, 1, 0, 1], [5, 3, 2, 1]
    table = confusion_from_pairs(a, b, 2, w)
    assert table.tolist() == [[5, 1], [2, 3]]
    repeated = confusion_from_pairs(np.repeat(a, w), np.repeat(b, w), 2)
    assert cohen_kappa(table) == cohen_kappa(repeated)


def test_undefined_coefficients_are_nan_not_numbers() -> None:
    """Both coders never used the code: chance agreement is 1 and kappa/alpha undefined."""
    table = np.array([[2, 0]] * 10)
    assert math.isnan(fleiss_kappa(table))
    assert math.isnan(krippendorff_nominal(table))
    assert math.isnan(cohen_kappa([[10, 0], [0, 0]]))
    assert percent_agreement(table) == 1.0


def test_percent_agreement_counts_units_where_all_coders_agree() -> None:
    table = [[3, 0], [2, 1], [0, 3], [1, 0]]   # the last unit has one coder: not pairable
    assert percent_agreement(table) == pytest.approx(2 / 3)
    assert percent_agreement(table, [1, 1, 2, 9]) == pytest.approx(3 / 4)


def test_fleiss_refuses_units_with_different_numbers_of_coders() -> None:
    with pytest.raises(ValueError):
        fleiss_kappa([[2, 0], [1, 2]])


@pytest.mark.parametrize(("value", "band"), [
    (-0.1, "poor"), (0.0, "slight"), (0.20, "slight"), (0.21, "fair"), (0.40, "fair"),
    (0.55, "moderate"), (0.61, "substantial"), (0.80, "substantial"), (0.81, "almost perfect"),
    (1.0, "almost perfect"), (float("nan"), "")])
def test_landis_koch_bands(value: float, band: str) -> None:
    assert kappa_band(value, "en") == band


@pytest.mark.parametrize(("value", "band"), [
    (0.5, "unreliable"), (0.666, "unreliable"), (0.667, "tentative"), (0.799, "tentative"),
    (0.800, "reliable"), (float("nan"), "")])
def test_krippendorff_bands(value: float, band: str) -> None:
    assert alpha_band(value, "en") == band


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.integers(1, 3)), min_size=3, max_size=3),
                min_size=2, max_size=25))
def test_krippendorff_nominal_equals_the_krippendorff_package(units: list[list[int | None]]
                                                              ) -> None:
    """Random reliability data with missing values: same alpha as the `krippendorff`
    package; a pattern with a weight equals the pattern repeated."""
    import krippendorff

    table = value_counts(units, 3, by_unit=True)
    ours = krippendorff_nominal(table)
    pairable = table[table.sum(axis=1) >= 2]
    if len(pairable) == 0 or np.count_nonzero(pairable.sum(axis=0)) < 2:
        assert math.isnan(ours)
        return
    assert ours == pytest.approx(krippendorff.alpha(
        value_counts=table, level_of_measurement="nominal"), abs=1e-9)
    rows, weights = patterns(table)
    assert krippendorff_nominal(rows, weights) == pytest.approx(ours, abs=1e-9)
