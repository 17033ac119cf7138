"""Projection: communities linked by shared co-building partners.

The projection itself is :mod:`orgnet.algorithms.projection`'s; this module
builds the community × partner edge list from an OrgNetwork.
"""

from __future__ import annotations

import pandas as pd

from .._params import Date, Network, Options, fail, require, validate_params
from ..algorithms.projection import PROJECTION_WEIGHTINGS, projection_edges
from ..network import OrgNetwork
from .graphs import partner_edges, require_level

__all__ = ['two_mode_projection', 'projection']

_MODES = ("community", "partner")


@validate_params(weighting=Options(*PROJECTION_WEIGHTINGS))
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

    Raises
    ------
    OrgnetParameterError
        When ``edges`` is not a DataFrame with the two distinct columns, or
        ``weighting`` is unknown.

    See Also
    --------
    orgnet.algorithms.projection_edges : the same on two arrays of tie ends.
    orgnet.algorithms.weighted_projection : the same on a bipartite networkx graph.

    Notes
    -----
    :func:`orgnet.algorithms.projection_edges`, a self-join on the right
    column: O(Σ_p k_p²).

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
    if not isinstance(edges, pd.DataFrame) or left not in edges or right not in edges or left == right:
        fail("edges", f"a DataFrame with two distinct columns {left!r} and {right!r}",
             edges if not isinstance(edges, pd.DataFrame) else f"DataFrame with columns {list(edges.columns)}")
    out = projection_edges(edges[left], edges[right], weighting=weighting)
    out.attrs.update(func="two_mode_projection", left=left, right=right, weighting=weighting)
    return out


@validate_params(net=Network(), mode=Options(*_MODES), as_of=[Date(), None],
                 weighting=Options(*PROJECTION_WEIGHTINGS))
def projection(net: OrgNetwork, *, mode: str = "community", as_of=None, weighting: str = "count") -> pd.DataFrame:
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
    when = net.resolve_as_of(as_of)
    require(net, tables=["ties"])
    require_level(net, "community")
    e = partner_edges(net, when)[["community", "partner"]]
    left, right = ("community", "partner") if mode == "community" else ("partner", "community")
    out = two_mode_projection(e, left, right, weighting)
    out.attrs.update(func="projection", as_of=when, mode=mode, weighting=weighting)
    return out
