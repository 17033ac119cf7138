"""Structural holes: Burt's constraint, effective size and efficiency."""

from __future__ import annotations

from datetime import date
from typing import Union

import numpy as np
import pandas as pd

from .._params import check_bool
from ..errors import OrgnetParameterError
from ..network import OrgNetwork
from .graphs import EntityGraph, as_objects, build_graph, check_weight, entity_info, tie_network

__all__ = ['structural_holes', 'constraint']

#: what ``as_of`` accepts: a date, a Timestamp or an ISO string; None for the network's date
DateLike = Union[str, date, pd.Timestamp, None]


def _masked_product(x, y, mask, chunk_cells: int = 20_000_000):
    """(x @ y) kept only on the pattern of ``mask`` (CSR), by row blocks to bound memory."""
    from scipy import sparse

    n = x.shape[0]
    if n == 0:
        return sparse.csr_matrix(mask.shape)
    ynnz = np.diff(y.tocsr().indptr)
    xb = x.tocsr(copy=True)
    xb.data = np.ones_like(xb.data)
    per_row = np.asarray(xb @ ynnz).ravel() + 1
    blocks = []
    start = 0
    cum = np.cumsum(per_row)
    while start < n:
        base = cum[start - 1] if start else 0
        stop = int(np.searchsorted(cum, base + chunk_cells, side="right"))
        stop = max(stop, start + 1)
        blocks.append((x[start:stop] @ y).multiply(mask[start:stop]).tocsr())
        start = stop
    return sparse.vstack(blocks).tocsr()


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
    n − 2t / n, t the ties among the n neighbours). Computed as masked sparse
    products (P P and A M on the pattern of A), in row blocks:
    O(Σ_q deg(q)²) time.

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
    func = "structural_holes"
    if not isinstance(edges, pd.DataFrame) or a not in edges or b not in edges:
        raise OrgnetParameterError(
            f"The 'edges' parameter of {func} must be a DataFrame with columns {a!r} and {b!r}. "
            f"Got {type(edges).__name__} instead."
        )
    if weight is not None and weight not in edges:
        raise OrgnetParameterError(
            f"The 'weight' parameter of {func} must name a column of edges or be None. Got {weight!r} instead."
        )
    w = None if weight is None else edges[weight].to_numpy(dtype=float)
    if w is not None and (np.isnan(w).any() or (w < 0).any()):
        raise OrgnetParameterError(
            f"The 'weight' parameter of {func} must name a column of numbers >= 0. "
            f"Got {weight!r} with missing or negative values instead."
        )
    g = build_graph([], as_objects(edges[a]), as_objects(edges[b]), w)
    return _holes(g, g.ids)


def _holes(g: EntityGraph, ids: pd.Index) -> pd.DataFrame:
    from scipy import sparse

    n = g.n
    pattern = g.adjacency(weighted=False)
    wmat = g.adjacency(weighted=True)
    deg = np.asarray(pattern.sum(axis=1)).ravel()
    rowsum = np.asarray(wmat.sum(axis=1)).ravel()
    rowmax = np.asarray(wmat.max(axis=1).toarray()).ravel() if n else np.zeros(0)
    inv_sum = np.divide(1.0, rowsum, out=np.zeros(n), where=rowsum > 0)
    inv_max = np.divide(1.0, rowmax, out=np.zeros(n), where=rowmax > 0)
    p = sparse.diags(inv_sum) @ wmat
    mnorm = sparse.diags(inv_max) @ wmat
    indirect = _masked_product(p, p, pattern)
    total = (p + indirect).tocsr()
    cons = np.asarray(total.multiply(total).sum(axis=1)).ravel()
    redundancy = np.asarray(_masked_product(pattern, mnorm, pattern).multiply(p).sum(axis=1)).ravel()
    eff = deg - redundancy
    iso = deg == 0
    cons = np.where(iso, np.nan, cons)
    eff = np.where(iso, np.nan, eff)
    with np.errstate(invalid="ignore", divide="ignore"):
        efficiency = np.where(iso, np.nan, eff / np.where(iso, 1, deg))
    out = pd.DataFrame({"degree": deg.astype(int), "constraint": cons, "effective_size": eff,
                        "efficiency": efficiency}, index=g.ids)
    out.index.name = "node"
    return out.reindex(ids)


def constraint(
    net: OrgNetwork,
    *,
    as_of: DateLike = None,
    weight: str | None = "strength",
    hierarchy: bool = True,
    weights: dict | None = None,
    half_life_days: float = 365.0,
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
    Masked sparse products, O(Σ_q deg(q)²); see :func:`structural_holes`.

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
    (9.909, 0.136)
    """
    func = "constraint"
    check_weight(weight, func)
    hierarchy = check_bool(hierarchy, "hierarchy", func)
    when = net.resolve_as_of(as_of)
    g, notes = tie_network(net, when, weight=weight, hierarchy=hierarchy, weights=weights,
                            half_life_days=half_life_days, func=func)
    h = _holes(g, g.ids)
    info = entity_info(net, g.ids)
    out = pd.concat([info[["kind", "name"]], h], axis=1)
    out = out[out["kind"].isin(["organisation", "unit"]).to_numpy()]
    out.index.name = "id"
    out.attrs.update(func=func, as_of=when, weight=weight, hierarchy=hierarchy, notes=notes)
    return out
