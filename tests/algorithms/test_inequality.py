"""algorithms.inequality: the Gini coefficient against the brute-force mean absolute
difference, published values (R's ineq), closed forms and the Lorenz-curve area."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet.algorithms import gini, lorenz_curve
from orgnet import sharing

RANDOM_STATE = 12345


def mean_difference_gini(x):
    """Σ_i Σ_j |x_i − x_j| / (2 n² mean), over every ordered pair (O(n²))."""
    x = [float(v) for v in x]
    n = len(x)
    return sum(abs(a - b) for a in x for b in x) / (2 * n * n * (sum(x) / n))


@pytest.mark.parametrize("seed", range(8))
def test_equals_the_mean_absolute_difference(seed):
    rng = np.random.default_rng(RANDOM_STATE + seed)
    n = int(rng.integers(1, 40))
    x = rng.integers(0, 50, n).astype(float) * rng.choice([1.0, 0.37], n)  # ties and zeros
    if x.sum() == 0:
        x[0] = 1.0
    assert gini(x) == pytest.approx(mean_difference_gini(x), abs=1e-12)


def test_published_values_of_r_ineq():
    # ineq(rep(c(10, 100), times = c(9, 1))) = 0.4263158 (nine incomes of 10, one of 100)
    assert round(gini([10] * 9 + [100]), 7) == 0.4263158
    # Gini(c(1, 3, 2, 1, 1, 1, 4)) = 0.3076923 (the ineq algorithm, as documented in phylotools)
    assert round(gini([1, 3, 2, 1, 1, 1, 4]), 7) == 0.3076923
    assert gini([1, 3, 2, 1, 1, 1, 4]) == pytest.approx(4 / 13)  # hand: 56 / (2 * 49 * 13 / 7)


@pytest.mark.parametrize("n", [1, 2, 5, 10, 100])
def test_closed_forms(n):
    assert gini(np.arange(1, n + 1)) == pytest.approx((n - 1) / (3 * n), abs=1e-12)  # 1, 2, ..., n
    assert gini([0] * (n - 1) + [7]) == pytest.approx((n - 1) / n, abs=1e-12)  # one holder of all
    assert gini([3.5] * n) == pytest.approx(0.0, abs=1e-12)


def test_invariances():
    rng = np.random.default_rng(RANDOM_STATE)
    x = rng.random(25)
    g = gini(x)
    assert gini(rng.permutation(x)) == pytest.approx(g, abs=1e-12)
    assert gini(1000 * x) == pytest.approx(g, abs=1e-12)  # scale invariant
    assert gini(x + 1) < g  # adding the same amount to everyone lowers inequality
    assert gini(np.r_[x, 0.0]) > g  # a member with nothing raises it


def test_gini_is_twice_the_area_between_the_lorenz_curve_and_the_diagonal():
    rng = np.random.default_rng(RANDOM_STATE + 1)
    x = rng.integers(0, 100, 30)
    lc = lorenz_curve(x)
    p, L = lc["population_share"].to_numpy(), lc["value_share"].to_numpy()
    area = np.sum(np.diff(p) * (L[1:] + L[:-1]) / 2)  # trapezoids: exact for a piecewise-linear curve
    assert gini(x) == pytest.approx(1 - 2 * area, abs=1e-12)


def test_lorenz_curve_points():
    lc = lorenz_curve([4, 1, 3, 2])
    assert lc["population_share"].tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    assert lc["value_share"].tolist() == pytest.approx([0, 0.1, 0.3, 0.6, 1.0])
    assert lorenz_curve([0, 0])["value_share"].tolist() == [0.0, 0.0, 0.0]  # zero total
    empty = lorenz_curve([])
    assert empty.values.tolist() == [[0.0, 0.0]]


def test_missing_empty_zero_and_refused_values():
    assert gini([1, np.nan, 3]) == gini([1, 3])  # missing values skipped
    assert gini(pd.Series([1.0, None, 3.0])) == gini([1, 3])
    assert gini({"C1": 1, "C2": 3}) == gini([1, 3])  # a dict: its values
    assert np.isnan(gini([])) and np.isnan(gini([0, 0, 0])) and np.isnan(gini([np.nan]))
    for f in (gini, lorenz_curve):
        for bad in ([-1, 2], [-1e-12, 0, 5], "abc", ["a", 1], [[1, 2], [3, 4]], None):
            with pytest.raises(orgnet.OrgnetParameterError,
                               match=rf"'values' parameter of {f.__name__} must be numbers >= 0"):
                f(bad)


def test_sharing_re_exports_the_same_functions():
    assert sharing.gini is gini and sharing.lorenz_curve is lorenz_curve
