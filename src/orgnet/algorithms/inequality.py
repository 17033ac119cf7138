"""Inequality of a distribution: the Gini coefficient and the Lorenz curve.

:func:`orgnet.sharing.realised` uses them for the spread of realised sharing
across areas; the plots draw the Lorenz curve.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._params import Constraint, validate_params

__all__ = ["gini", "lorenz_curve"]


class _Values(Constraint):
    """Numbers >= 0 in any array-like, passed on sorted as floats with missing values skipped."""

    def describe(self):
        return "numbers >= 0 (shift or drop negative values first)"

    def convert(self, value):
        if isinstance(value, (str, bytes)) or value is None:
            raise TypeError
        x = np.asarray(pd.Series(value, dtype=float).dropna(), dtype=float)  # TypeError/ValueError if not numbers
        if x.ndim != 1 or (x < 0).any():
            raise ValueError
        return np.sort(x)


@validate_params(values=_Values())
def gini(values) -> float:
    """Gini coefficient of non-negative values (0 = equal, → 1 = concentrated).

    Parameters
    ----------
    values : array-like or dict of numbers >= 0
        One value per member of the population (e.g. project value per area;
        a dict's values). Missing values are skipped.

    Returns
    -------
    float
        G in [0, 1 − 1/n]. NaN for no values and for values that are all zero
        (a zero total: nothing to be unequal about).

    Raises
    ------
    OrgnetParameterError
        If a value is negative (the Gini coefficient of shares of a total is
        undefined for negative values: shift or drop them first) or not a number.

    Notes
    -----
    The mean absolute difference over all ordered pairs, over twice the mean [1]_:

    .. math::

        G = \\frac{\\sum_i \\sum_j |x_i - x_j|}{2 n^2 \\bar{x}}
          = \\frac{2 \\sum_{i=1}^n i \\, x_{(i)}}{n \\sum_i x_i} - \\frac{n + 1}{n},

    with :math:`x_{(1)} \\le \\dots \\le x_{(n)}` the sorted values — twice the
    area between the Lorenz curve (:func:`lorenz_curve`) and the diagonal
    [2]_. The rank form costs O(n log n) (the sort) instead of O(n²). This is
    the population (not the bias-corrected ``n / (n − 1)``) coefficient, as
    in R's ``ineq::Gini`` [3]_.

    References
    ----------
    .. [1] Gini, C. (1912). *Variabilità e mutabilità*. Bologna: Cuppini.
    .. [2] Sen, A. (1973). *On Economic Inequality*. Oxford: Clarendon Press.
    .. [3] Zeileis, A. ineq: Measuring Inequality, Concentration, and Poverty.
       R package, https://CRAN.R-project.org/package=ineq.

    Examples
    --------
    Nine incomes of 10 and one of 100 (an example for ``ineq``: 0.4263158),
    all equal, all with one holder:

    >>> from orgnet.algorithms import gini
    >>> round(gini([10] * 9 + [100]), 7)
    0.4263158
    >>> gini([1, 1, 1, 1]), gini([0, 0, 0, 4]), gini([0, 1])
    (0.0, 0.75, 0.5)
    >>> gini([0, 0])
    nan
    """
    x = values  # sorted, missing values skipped
    n = len(x)
    if n == 0 or x.sum() == 0:
        return float("nan")
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * x).sum()) / (n * x.sum()) - (n + 1) / n)


@validate_params(values=_Values())
def lorenz_curve(values) -> pd.DataFrame:
    """Points of the Lorenz curve: cumulative share of the population vs share of the total.

    Parameters
    ----------
    values : array-like of numbers >= 0
        As in :func:`gini`; missing values are skipped.

    Returns
    -------
    DataFrame
        n + 1 rows, from (0, 0) to (1, 1): ``population_share`` (k / n, the k
        smallest values) and ``value_share`` (their share of the total; all
        zero when the total is zero). One row (0, 0) without values.

    Raises
    ------
    OrgnetParameterError
        If a value is negative or not a number.

    Notes
    -----
    The curve of Lorenz [1]_: sort, cumulate, divide by the total. O(n log n).

    References
    ----------
    .. [1] Lorenz, M. O. (1905). Methods of measuring the concentration of
       wealth. *Publications of the American Statistical Association*,
       9(70), 209–219.

    Examples
    --------
    >>> from orgnet.algorithms import lorenz_curve
    >>> lorenz_curve([1, 2, 3, 4])["value_share"].tolist()
    [0.0, 0.1, 0.3, 0.6, 1.0]
    >>> lorenz_curve([0, 0, 0, 4])["value_share"].tolist()
    [0.0, 0.0, 0.0, 0.0, 1.0]
    """
    x = values  # sorted, missing values skipped
    n = len(x)
    total = x.sum()
    cum = np.concatenate([[0.0], np.cumsum(x) / total if total > 0 else np.zeros(n)])
    return pd.DataFrame({"population_share": np.arange(n + 1) / max(n, 1), "value_share": cum})
