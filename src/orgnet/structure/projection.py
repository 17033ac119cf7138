"""Projection: communities linked by shared co-building partners."""

from __future__ import annotations

from datetime import date
from typing import Union

import pandas as pd

from .._params import check_choice, require
from ..errors import OrgnetParameterError
from ..network import OrgNetwork
from .graphs import as_objects, partner_edges, require_level

__all__ = ['two_mode_projection', 'projection']

#: what ``as_of`` accepts: a date, a Timestamp or an ISO string; None for the network's date
DateLike = Union[str, date, pd.Timestamp, None]


_WEIGHTINGS = ("count", "newman")


_MODES = ("community", "partner")


def two_mode_projection(edges: pd.DataFrame, left: str, right: str, weighting: str = "count") -> pd.DataFrame:
    """Project a two-mode (bipartite) edge list onto its ``left`` nodes.

    Two left nodes are linked when they share at least one right node.

    Parameters
    ----------
    edges : DataFrame
        One row per left–right tie, with columns ``left`` and ``right``;
        repeated rows and missing values are ignored.
    left, right : str
        Column names: the mode kept and the mode projected away.
    weighting : {"count", "newman"}, default "count"
        ``count``: the number of shared right nodes; ``newman``:
        Σ over shared right nodes p of 1 / (k_p − 1), k_p the number of left
        nodes tied to p (Newman 2001): a partner shared by two communities
        weighs 1, one shared by ten weighs 1/9 for each of the 45 pairs.

    Returns
    -------
    DataFrame
        One row per linked pair, sorted: ``a``, ``b`` (``a < b``), ``weight``,
        ``shared`` (number of shared right nodes).

    Notes
    -----
    Self-join on the right column: O(Σ_p k_p²).

    References
    ----------
    .. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II.
       Shortest paths, weighted networks, and centrality. Physical Review E
       64, 016132.

    Examples
    --------
    >>> import pandas as pd
    >>> from orgnet import structure
    >>> e = pd.DataFrame({"c": ["C1", "C2", "C3", "C1", "C2"], "p": ["U1", "U1", "U1", "U2", "U2"]})
    >>> structure.two_mode_projection(e, "c", "p", "newman").values.tolist()
    [['C1', 'C2', 1.5, 2], ['C1', 'C3', 0.5, 1], ['C2', 'C3', 0.5, 1]]
    """
    func = "two_mode_projection"
    if not isinstance(edges, pd.DataFrame) or left not in edges or right not in edges or left == right:
        raise OrgnetParameterError(
            f"The 'edges' parameter of {func} must be a DataFrame with two distinct columns {left!r} and "
            f"{right!r}. Got {type(edges).__name__} instead."
        )
    check_choice(weighting, "weighting", func, _WEIGHTINGS)
    e = pd.DataFrame({"l": as_objects(edges[left]), "r": as_objects(edges[right])})
    e = e[(e["l"].notna() & e["r"].notna()).to_numpy()].drop_duplicates()
    k = e.groupby("r").size()
    pairs = e.merge(e, on="r", suffixes=("_a", "_b"))
    pairs = pairs[(pairs["l_a"] < pairs["l_b"]).to_numpy()]
    cols = ["a", "b", "weight", "shared"]
    if pairs.empty:
        out = pd.DataFrame({"a": pd.Series(dtype=object), "b": pd.Series(dtype=object),
                            "weight": pd.Series(dtype=float), "shared": pd.Series(dtype=int)})
    else:
        kp = pairs["r"].map(k).to_numpy(dtype=float)
        pairs = pairs.assign(w=1.0 if weighting == "count" else 1.0 / (kp - 1.0))
        out = (pairs.groupby(["l_a", "l_b"], sort=True)
               .agg(weight=("w", "sum"), shared=("r", "size")).reset_index()
               .rename(columns={"l_a": "a", "l_b": "b"}))
        out["shared"] = out["shared"].astype(int)
        out["weight"] = out["weight"].astype(float)
    out = out[cols]
    out.attrs.update(func=func, left=left, right=right, weighting=weighting)
    return out


def projection(net: OrgNetwork, *, mode: str = "community", as_of: DateLike = None,
               weighting: str = "count") -> pd.DataFrame:
    """Communities linked by shared co-building partners (or partners by shared communities).

    The two-mode network is community × partner: a community is tied to each
    of its co-building partners as defined in :func:`what_if_remove` (the other
    ends of the active ``co_building`` ties of its territorial organisations).

    Parameters
    ----------
    net : OrgNetwork
    mode : {"community", "partner"}, default "community"
        ``community``: communities linked by shared partners (a unit co-building
        with two communities links them); ``partner``: partners linked by the
        communities they share.
    as_of : date-like, optional
        Default: the network's ``as_of``.
    weighting : {"count", "newman"}, default "count"
        See :func:`two_mode_projection`.

    Returns
    -------
    DataFrame
        One row per linked pair: ``a``, ``b`` (``a < b``), ``weight``, ``shared``.

    Raises
    ------
    OrgnetMissingDataError
        When the network has no ties or no community areas.

    See Also
    --------
    two_mode_projection : the projection of any two-mode edge list.

    Notes
    -----
    O(Σ_p k_p²) over the partners p (k_p: communities of p).

    References
    ----------
    .. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II.
       Shortest paths, weighted networks, and centrality. Physical Review E
       64, 016132.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> p = structure.projection(orgnet.datasets.load("demo"), mode="partner")
    >>> len(p), int(p["shared"].max())
    (8, 1)
    >>> p[["a", "b"]].iloc[0].tolist()
    ['OU01', 'OU06']
    """
    func = "projection"
    check_choice(mode, "mode", func, _MODES)
    check_choice(weighting, "weighting", func, _WEIGHTINGS)
    when = net.resolve_as_of(as_of)
    require(net, func, tables=["ties"])
    require_level(net, "community", func)
    e = partner_edges(net, when)[["community", "partner"]]
    left, right = ("community", "partner") if mode == "community" else ("partner", "community")
    out = two_mode_projection(e, left, right, weighting)
    out.attrs.update(func=func, as_of=when, mode=mode, weighting=weighting)
    return out
