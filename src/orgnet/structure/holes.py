"""Structural holes: Burt's constraint, effective size and efficiency."""

from __future__ import annotations

from datetime import date
from typing import Union

import numpy as np
import pandas as pd

from .._params import Instance, Network, Text, current_function, validate_params
from ..algorithms import burt
from ..errors import OrgnetParameterError
from ..network import OrgNetwork
from .graphs import (TIE_NETWORK_PARAMS, EntityGraph, TieNetwork, as_objects, build_graph, entity_info,
                     resolve_tie_network)

__all__ = ['structural_holes', 'constraint']

#: what ``as_of`` accepts: a date, a Timestamp or an ISO string; None for the network's date
DateLike = Union[str, date, pd.Timestamp, None]


@validate_params(edges=Instance(pd.DataFrame, "a DataFrame of edges"), weight=[Text(), None], a=Text(), b=Text())
def structural_holes(edges: pd.DataFrame, *, weight: str | None = None, a: str = "a",
                     b: str = "b") -> pd.DataFrame:
    """Burt's constraint, effective size and efficiency on a plain undirected edge list.

    Parameters
    ----------
    edges : DataFrame
        One row per undirected edge, columns ``a`` and ``b`` (names
        configurable); repeated pairs add their weights, self-loops are ignored.
    weight : str, optional
        Column of edge weights (non-negative); None for 1 on every edge.
    a, b : str
        Column names of the two ends.

    Returns
    -------
    DataFrame
        Indexed by node (sorted): ``degree``, ``constraint``,
        ``effective_size``, ``efficiency`` (effective size / degree); NaN for
        nodes without neighbours.

    Notes
    -----
    With w_ij the weight of the pair (0 if none), N(i) the neighbours of i,
    p_ij = (w_ij + w_ji) / Σ_k (w_ik + w_ki) the proportional tie strength and
    m_ij = (w_ij + w_ji) / max_k (w_ik + w_ki) [1]_:

    - constraint_i = Σ_{j ∈ N(i)} (p_ij + Σ_{q ∈ N(i)} p_iq p_qj)²
    - effective_size_i = Σ_{j ∈ N(i)} (1 − Σ_{q ∈ N(i)} p_iq m_jq)

    the definitions of networkx's ``constraint`` and ``effective_size``
    (with ``weight=None`` effective size reduces to Borgatti's
    n − 2t / n, t the ties among the n neighbours). Computed by
    :func:`orgnet.algorithms.burt` (as :func:`orgnet.algorithms.constraint`,
    :func:`~orgnet.algorithms.effective_size` and
    :func:`~orgnet.algorithms.efficiency` on a networkx graph): masked sparse
    products (P P and A M on the pattern of A), in row blocks, O(Σ_q deg(q)²) time.

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of
       Competition. Harvard University Press.

    Examples
    --------
    >>> import pandas as pd
    >>> from orgnet import structure
    >>> e = pd.DataFrame({"a": ["x", "x"], "b": ["y", "z"]})
    >>> structure.structural_holes(e).loc["x", ["constraint", "effective_size"]].tolist()
    [0.5, 2.0]
    """
    if a not in edges or b not in edges:
        raise OrgnetParameterError(
            f"The 'edges' parameter of {current_function()} must be a DataFrame with columns {a!r} and {b!r}. "
            f"Got columns {list(edges.columns)!r} instead."
        )
    if weight is not None and weight not in edges:
        raise OrgnetParameterError(
            f"The 'weight' parameter of {current_function()} must name a column of edges or be None. "
            f"Got {weight!r} instead."
        )
    w = None if weight is None else pd.to_numeric(edges[weight], errors="coerce").to_numpy(dtype=float)
    if w is not None and (np.isnan(w).any() or (w < 0).any()):
        raise OrgnetParameterError(
            f"The 'weight' parameter of {current_function()} must name a column of numbers >= 0. "
            f"Got {weight!r} with missing or negative values instead."
        )
    g = build_graph([], as_objects(edges[a]), as_objects(edges[b]), w)
    return _holes(g)


def _holes(g: EntityGraph) -> pd.DataFrame:
    deg, cons, eff = burt(g)
    with np.errstate(invalid="ignore", divide="ignore"):
        efficiency = np.where(deg == 0, np.nan, eff / np.where(deg == 0, 1, deg))
    out = pd.DataFrame({"degree": deg.astype(int), "constraint": cons, "effective_size": eff,
                        "efficiency": efficiency}, index=g.ids)
    out.index.name = "node"
    return out


@validate_params(net=Network(), graph=[Instance(TieNetwork, "a tie network from orgnet.structure.tie_network"), None],
                 **TIE_NETWORK_PARAMS)
def constraint(
    net: OrgNetwork,
    *,
    as_of: DateLike = None,
    weight: str | None = "strength",
    hierarchy: bool = True,
    weights: dict | None = None,
    half_life_days: float = 365.0,
    graph: TieNetwork | None = None,
) -> pd.DataFrame:
    """Burt's constraint, effective size and efficiency of organisations and units.

    Structural holes (结构洞) on the same network as :func:`centrality`: low
    constraint and high effective size mean contacts that do not know each
    other — room to broker between them.

    Parameters
    ----------
    net : OrgNetwork
    as_of : date-like, optional
        Default: the network's ``as_of``.
    weight : {"strength", None}, default "strength"
        Pair strength (:func:`orgnet.linkage.tie_strength`; hierarchy edges 1)
        or None for unweighted.
    hierarchy : bool, default True
        Add the organisation hierarchy, as in :func:`centrality`.
    weights, half_life_days
        Passed to :func:`orgnet.linkage.tie_table`.
    graph : TieNetwork, optional
        The tie network from :func:`orgnet.structure.tie_network`, built for
        ``net`` with the same ``as_of``, ``hierarchy`` and (with
        ``weight="strength"``) ``weights`` and ``half_life_days``, else
        OrgnetParameterError. Default: built here.

    Returns
    -------
    DataFrame
        Indexed by organisation and unit id: ``kind``, ``name``, ``degree``,
        ``constraint``, ``effective_size``, ``efficiency``; NaN for entities
        without neighbours.

    See Also
    --------
    structural_holes : the formulas, on a plain edge list.

    Notes
    -----
    Thin over :func:`orgnet.algorithms.burt` (the kernel of
    :func:`orgnet.algorithms.constraint` and
    :func:`orgnet.algorithms.effective_size`) on the coded tie network:
    masked sparse products, O(Σ_q deg(q)²); see :func:`structural_holes`.

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of
       Competition. Harvard University Press.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> c = structure.constraint(orgnet.datasets.load("demo"), weight=None)
    >>> c.sort_values("effective_size", ascending=False).index[:2].tolist()
    ['O3', 'O22']
    >>> round(float(c.loc["O3", "effective_size"]), 3), round(float(c.loc["O3", "constraint"]), 3)
    (8.818, 0.172)
    """
    when = net.as_of if as_of is None else as_of
    tn = resolve_tie_network(graph, net, as_of=when, weight=weight, hierarchy=hierarchy, weights=weights,
                             half_life_days=half_life_days)
    g, notes = tn.graph, tn.call_notes()
    h = _holes(g)
    info = entity_info(net, g.ids)
    out = pd.concat([info[["kind", "name"]], h], axis=1)
    out = out[out["kind"].isin(["organisation", "unit"]).to_numpy()]
    out.index.name = "id"
    out.attrs.update(func="constraint", as_of=when, weight=weight, hierarchy=hierarchy, notes=notes)
    return out
