"""Cohesion: components, density, modularity and the Borgatti–Everett core per street.

The measures are :mod:`orgnet.algorithms.cohesion`'s (:func:`core_periphery`
and its result :class:`CorePeriphery` are re-exported here); this module cuts
the tie network into areas and tabulates them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._params import Bool, Date, Instance, Level, Network, Seed, validate_params
from ..algorithms.cohesion import CorePeriphery, component_summary, core_periphery, modularity
from ..algorithms.graph import Coded
from ..network import OrgNetwork
from .graphs import TieNetwork, locations, resolve_tie_network

__all__ = ['CorePeriphery', 'core_periphery', 'fragmentation']


def _summarise(sub: Coded, is_unit: np.ndarray, group: np.ndarray, seed) -> dict:
    """One row of :func:`fragmentation`: the algorithms' measures of an area's subgraph."""
    s = component_summary(sub, members=is_unit)
    cp = core_periphery(sub, seed=seed)
    return dict(
        nodes=s["nodes"], edges=s["edges"], components=s["components"],
        main_component_share=s["main_component_share"], density=s["density"],
        modularity=modularity(sub, group),
        core_share=len(cp.core) / sub.n if cp.core else np.nan,
        core_fit=cp.fit, core_method=cp.method,
    )


@validate_params(net=Network(), by=Level(), as_of=[Date(), None], hierarchy=Bool(), modularity_level=Level(),
                 seed=Seed(), graph=[Instance(TieNetwork, "a tie network from orgnet.structure.tie_network"), None])
def fragmentation(net: OrgNetwork, *, by: str = "street", as_of=None, hierarchy: bool = True,
                  modularity_level: str = "community", seed=0, graph: TieNetwork | None = None) -> pd.DataFrame:
    """Fragmentation (碎片化) of the tie network per area and for the whole network.

    For each area of level ``by``, the subgraph of the tie network (unweighted,
    plus the hierarchy) on the entities located in the area: organisations by
    their seated area (else their unit's area), units by their area, areas
    named by ties by themselves.

    Parameters
    ----------
    net : OrgNetwork
    by : str, default "street"
        An area level; one row per area of that level, and a last row ``all``
        for the whole network.
    as_of : date-like, optional
        Default: the network's ``as_of``.
    hierarchy : bool, default True
        Include the organisation hierarchy, as in :func:`centrality`.
    modularity_level : str, default "community"
        Modularity is of the partition of nodes by their area at this level
        (nodes located above it form one group per located area).
    seed : int or numpy.random.Generator, default 0
        Seed of the core/periphery local search (areas of more than 20 nodes);
        an integer seeds each area's search afresh.
    graph : TieNetwork, optional
        A tie network from :func:`~orgnet.structure.tie_network` built for
        ``net`` with this ``as_of`` and ``hierarchy`` (any ``weight``: the
        weights are not used), so that a report builds it once; by default
        it is built here.

    Returns
    -------
    DataFrame
        Indexed by area id (then ``all``): ``name``, ``nodes``, ``edges``,
        ``components`` (isolated entities count), ``main_component_share``
        (share of the area's units in the largest component; among equally
        large ones, the one holding most units; NaN without units),
        ``density`` (2m / (n (n − 1))), ``modularity`` (NaN without edges;
        0 when the partition has one group), ``core_share`` (share of nodes in
        the core of :func:`core_periphery`; NaN when undefined).
        ``attrs["outside"]``: nodes located in no area of level ``by`` (in the
        ``all`` row only); ``attrs["core_method"]`` and ``attrs["core_fit"]``:
        per row, ``"exact"`` or ``"local"`` and the core's correlation r.

    Raises
    ------
    OrgnetParameterError
        An unknown level, or a ``graph`` built for another network, date or
        hierarchy.

    See Also
    --------
    orgnet.algorithms.modularity, orgnet.algorithms.component_summary,
    orgnet.algorithms.core_periphery : the measures per area, on any graph.

    Notes
    -----
    Modularity [1]_: Q = Σ_c [L_c / m − (d_c / 2m)²] with L_c the edges inside
    group c and d_c the sum of its degrees. Core share: the discrete
    core/periphery model [2]_ (correlation between the adjacency and the ideal
    pattern, core–core pairs 1, periphery–periphery pairs 0, core–periphery
    pairs ignored) fitted by :func:`core_periphery` with ``method="auto"``:
    the optimum over all 2^n partitions for areas of at most 20 nodes
    (O(2^n)), a seeded local search with 20 restarts above (O(n) per move,
    not guaranteed optimal; ties by id order). Components via scipy:
    O(n + m) per area.

    References
    ----------
    .. [1] Newman, M. E. J. (2006). Modularity and community structure in
       networks. PNAS 103(23), 8577–8582.
    .. [2] Borgatti, S. P. & Everett, M. G. (1999). Models of core/periphery
       structures. Social Networks 21(4), 375–395.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> f = structure.fragmentation(orgnet.datasets.load("demo"))
    >>> f.index.tolist()
    ['S1', 'S2', 'all']
    >>> f["components"].tolist()
    [3, 3, 3]
    >>> f["main_component_share"].round(3).tolist()
    [0.875, 0.882, 0.939]

    Every street has more than 20 nodes, so its core comes from the local search:

    >>> f["core_share"].round(3).tolist(), f.attrs["core_method"]["S1"]
    ([0.237, 0.231, 0.228], 'local')
    """
    tn = resolve_tie_network(graph, net, as_of=as_of, weight=None, hierarchy=hierarchy)
    g, when = tn.graph, tn.as_of
    loc = locations(net, g.ids)
    paths = net.area_paths
    key = loc.map(paths[by]).to_numpy(dtype=object)
    mgroup = loc.map(paths[modularity_level])
    mgroup = mgroup.where(mgroup.notna(), loc).fillna("(none)")
    gcode = pd.factorize(mgroup.to_numpy(dtype=object))[0]
    kinds = net.entity_kinds.reindex(g.ids).to_numpy(dtype=object)
    is_unit = kinds == "unit"

    index = net.areas.index[(net.areas["level"] == by).to_numpy()]
    rows = {}
    kcode = pd.Index(index).get_indexer(key)
    same = (kcode[g.u] == kcode[g.v]) & (kcode[g.u] >= 0)
    for i, area in enumerate(index):
        nodes = np.flatnonzero(kcode == i)
        local = np.full(g.n, -1)
        local[nodes] = np.arange(len(nodes))
        e = same & (kcode[g.u] == i)
        sub = Coded(range(len(nodes)), local[g.u[e]], local[g.v[e]], np.ones(int(e.sum())))
        rows[area] = _summarise(sub, is_unit[nodes], pd.factorize(gcode[nodes])[0], seed)
    rows["all"] = _summarise(Coded(range(g.n), g.u, g.v, np.ones(g.m)), is_unit, gcode, seed)
    out = pd.DataFrame.from_dict(rows, orient="index")
    core_method = out.pop("core_method").to_dict()
    core_fit = out.pop("core_fit").to_dict()
    out.insert(0, "name", list(net.areas["name"].reindex(index).to_numpy(dtype=object)) + [net.name or "all"])
    for c in ("nodes", "edges", "components"):
        out[c] = out[c].astype(int)
    out.index.name = by
    out.attrs.update(func="fragmentation", as_of=when, by=by, hierarchy=hierarchy,
                     modularity_level=modularity_level, outside=int((kcode < 0).sum()), seed=seed,
                     core_method=core_method, core_fit=core_fit, notes=tn.call_notes())
    return out
