"""Resilience: islands no organisation reaches, key entities, what-if removal.

The graph measures are :mod:`orgnet.algorithms.resilience`'s
(:func:`~orgnet.algorithms.cut_off`, :func:`~orgnet.algorithms.articulation_cut`,
:func:`~orgnet.algorithms.what_if_remove`) on the relation graph, with the
territorial organisations and the areas named by ties as anchors; the
co-building partners of communities are table work (group-bys over the
``co_building`` ties).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from .._params import Date, Ids, Instance, Integer, Network, current_function, require, validate_params
from ..algorithms.resilience import articulation_cut, cut_off
from ..algorithms.resilience import what_if_remove as removal_cut_off
from ..errors import OrgnetParameterError
from ..network import OrgNetwork
from .graphs import (RelationNetwork, as_objects, entity_info, partner_edges, require_level,
                     resolve_relation_network)

__all__ = ['islands', 'what_if_remove', 'key_entities']

#: ``graph=``: the relation graph built once (orgnet.structure.relation_network), or None to build it
_GRAPH = [Instance(RelationNetwork, "a relation network from orgnet.structure.relation_network(net, ...)"), None]


def _area_columns(net: OrgNetwork, area: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"area": area.to_numpy(dtype=object),
                         "street": net.ancestor(area, "street").to_numpy(dtype=object),
                         "community": net.ancestor(area, "community").to_numpy(dtype=object)},
                        index=area.index)


@validate_params(net=Network(), as_of=[Date(), None], graph=_GRAPH)
def islands(net: OrgNetwork, *, as_of=None, graph=None) -> pd.DataFrame:
    """Units with no path to any territorial organisation through organisational relations (孤岛).

    The relations are: a unit ↔ its own organisation (established by
    ``as_of``), every tie active at ``as_of`` (of any kind), and each
    organisation ↔ its leading organisation. A unit is an island when its
    connected component holds no territorial organisation and no area (an area
    named by a tie counts as reached territory). Being located in a community
    is not a relation.

    Parameters
    ----------
    net : OrgNetwork
    as_of : date-like, optional
        Default: the network's ``as_of``.
    graph : RelationNetwork, optional
        The relation graph built once with :func:`orgnet.structure.relation_network`
        for this network and ``as_of`` (e.g. by the report); default: built here.

    Returns
    -------
    DataFrame
        Indexed by the island units' ids (sorted): ``name``, ``type``,
        ``area``, ``street``, ``community``, ``component_size`` (entities in
        its component, itself included).

    Raises
    ------
    OrgnetMissingDataError
        When the network has no units.

    See Also
    --------
    key_entities : which organisations' loss would create new islands.

    Notes
    -----
    :func:`orgnet.algorithms.cut_off` on the relation graph with the
    territorial organisations and areas as anchors: connected components,
    O(n + m).

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> isl = structure.islands(orgnet.datasets.load("demo"))
    >>> isl.index.tolist()
    ['U32', 'U33']
    >>> isl["community"].tolist()
    ['C23', 'C13']
    """
    when = net.resolve_as_of(as_of)
    require(net, tables=["units"])
    rn = resolve_relation_network(graph, net, as_of=when)
    g, anchor, is_unit = rn.graph, rn.anchor, rn.is_unit
    cut = cut_off(g, anchor)  # id -> component size, in id order
    units = set(g.ids[is_unit])
    ids = pd.Index([x for x in cut if x in units], dtype=object)
    u = net.units
    out = pd.DataFrame({"name": u["name"].reindex(ids).to_numpy(dtype=object),
                        "type": u["type"].reindex(ids).to_numpy(dtype=object)}, index=ids)
    out = out.join(_area_columns(net, u["area"].astype(object).reindex(ids)))
    out["component_size"] = np.array([cut[x] for x in ids], dtype=int)
    out.index.name = "id"
    out.attrs.update(func="islands", as_of=when, units=len(u))
    return out


def _killers(net: OrgNetwork, ids: np.ndarray) -> pd.DataFrame:
    """(entity, killer): removing ``killer`` removes ``entity`` — itself, and for a
    unit organisation also its unit."""
    o = net.organisations
    unit_of = o["unit"].astype(object).where((o["scope"] == "unit").to_numpy())
    ids = as_objects(ids)
    u = pd.Series(ids, dtype=object).map(unit_of)
    has = u.notna().to_numpy()
    return pd.DataFrame({"entity": np.concatenate([ids, ids[has]]),
                         "killer": np.concatenate([ids, u[has].to_numpy(dtype=object)])})


def _known_ids(net: OrgNetwork, ids: list) -> list:
    """``ids`` (checked by ``Ids``) when every one is an organisation or a unit."""
    known = net.organisations.index.union(net.units.index)
    for i in ids:
        if i not in known:
            raise OrgnetParameterError(
                f"The 'ids' parameter of {current_function()} must list organisation or unit ids. "
                f"Got {i!r} instead."
            )
    return ids


def _expand_removed(net: OrgNetwork, ids: list) -> list:
    """The given ids plus the organisations of scope 'unit' naming a removed unit."""
    o = net.organisations
    own = o.index[((o["scope"] == "unit") & o["unit"].astype(object).isin(ids)).to_numpy()]
    return sorted(set(ids) | set(own))


@validate_params(net=Network(), ids=Ids(), as_of=[Date(), None], graph=_GRAPH)
def what_if_remove(net: OrgNetwork, ids: str | Iterable[str], *, as_of=None, graph=None) -> pd.DataFrame:
    """Communities whose co-building partners change if given units or organisations disappear.

    A community's partners are the other ends of the ``co_building`` ties
    active at ``as_of`` whose one end is a territorial organisation seated in
    the community (or any area in it); territorial organisations of the same
    community are not its partners. Removing an entity removes its ties;
    removing a unit also removes the organisations of scope ``unit`` naming it.

    Parameters
    ----------
    net : OrgNetwork
    ids : str or iterable of str
        Organisation and unit ids to remove.
    as_of : date-like, optional
        Default: the network's ``as_of``.
    graph : RelationNetwork, optional
        The relation graph built once with :func:`orgnet.structure.relation_network`
        for this network and ``as_of`` (e.g. by the report); default: built here.

    Returns
    -------
    DataFrame
        Indexed by the ids of the communities whose partner set changes
        (sorted): ``name``, ``partners_before``, ``partners_after``, ``lost``
        (had at least one partner, now none), ``partners_removed`` (the former
        partners, comma-separated). ``attrs["removed"]`` lists every entity
        removed (with the unit organisations); ``attrs["units_cut"]`` the units
        that become islands (see :func:`islands`) through the removal.

    Raises
    ------
    OrgnetParameterError
        When ``ids`` is empty or an id is not an organisation or unit.
    OrgnetMissingDataError
        When the network has no ties or no community areas.

    See Also
    --------
    key_entities : every single removal at once.
    orgnet.algorithms.what_if_remove : the nodes a removal cuts off, on any graph.

    Notes
    -----
    Table filters for the partners; ``units_cut`` is
    :func:`orgnet.algorithms.what_if_remove` on the relation graph (two
    connected-components passes): O(n + m).

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> net = orgnet.datasets.load("demo")
    >>> w = structure.what_if_remove(net, ["U10"])
    >>> int(w.loc["C11", "partners_before"]), int(w.loc["C11", "partners_after"]), bool(w.loc["C11", "lost"])
    (3, 2, False)
    >>> w.attrs["removed"]
    ['OU10', 'U10']
    >>> structure.what_if_remove(net, ["U02", "OU05"])["lost"].to_dict()
    {'C12': True}
    """
    ids = _known_ids(net, ids)
    when = net.resolve_as_of(as_of)
    require(net, tables=["ties"])
    require_level(net, "community")
    removed = _expand_removed(net, ids)
    e = partner_edges(net, when)
    gone = e["own"].isin(removed) | e["partner"].isin(removed)
    before = e.groupby("community")["partner"].agg(lambda v: set(v))
    after = e[~gone.to_numpy()].groupby("community")["partner"].agg(lambda v: set(v))
    comms = net.areas.index[(net.areas["level"] == "community").to_numpy()]
    b = before.reindex(comms).apply(lambda x: x if isinstance(x, set) else set())
    a = after.reindex(comms).apply(lambda x: x if isinstance(x, set) else set())
    changed = sorted(c for c in comms if b[c] != a[c])
    out = pd.DataFrame({
        "name": net.areas["name"].reindex(changed).to_numpy(dtype=object),
        "partners_before": [len(b[c]) for c in changed],
        "partners_after": [len(a[c]) for c in changed],
        "partners_removed": [",".join(sorted(b[c] - a[c])) for c in changed],
    }, index=pd.Index(changed, dtype=object, name="community"))
    out.insert(3, "lost", (out["partners_before"] > 0) & (out["partners_after"] == 0))
    out["partners_before"] = out["partners_before"].astype(int)
    out["partners_after"] = out["partners_after"].astype(int)

    rn = resolve_relation_network(graph, net, as_of=when)
    g, anchor, is_unit = rn.graph, rn.anchor, rn.is_unit
    newly = removal_cut_off(g, g.ids.isin(removed), anchor)
    units = set(g.ids[is_unit])
    out.attrs.update(func="what_if_remove", as_of=when, ids=list(ids), removed=removed,
                     units_cut=sorted(x for x in newly if x in units))
    return out


@validate_params(net=Network(), as_of=[Date(), None], top=[Integer(1), None], graph=_GRAPH)
def key_entities(net: OrgNetwork, *, as_of=None, top: int | None = None, graph=None) -> pd.DataFrame:
    """Organisations and units whose single removal cuts units or communities off.

    Parameters
    ----------
    net : OrgNetwork
    as_of : date-like, optional
        Default: the network's ``as_of``.
    top : int, optional
        Keep only the first ``top`` rows.
    graph : RelationNetwork, optional
        The relation graph built once with :func:`orgnet.structure.relation_network`
        for this network and ``as_of`` (e.g. by the report); default: built here.

    Returns
    -------
    DataFrame
        Indexed by organisation and unit id: ``kind``, ``name``,
        ``units_cut`` — units that lose every path to a territorial
        organisation or area in the relation graph of :func:`islands` when the
        entity alone is removed (units already islands are not counted);
        ``communities_cut`` — communities with a co-building partner that are
        left with none when it is removed (as in :func:`what_if_remove`:
        removing a unit also removes its organisation; a community's own
        committee counts when it holds all the community's agreements).
        Sorted by ``units_cut + communities_cut`` (descending), then id; rows
        where both are 0 are dropped.

    See Also
    --------
    what_if_remove : the effect of removing a chosen set.
    islands : units already cut off.
    orgnet.algorithms.articulation_cut : the same count on any graph.

    Notes
    -----
    ``units_cut`` is :func:`orgnet.algorithms.articulation_cut` on the
    relation graph with the units as targets: one iterative depth-first
    search (Tarjan's lowpoints) from a virtual root joined to every
    territorial organisation and area, O(n + m), instead of removing each
    entity and recomputing. ``communities_cut``: a community is lost with
    entity x when x (or the unit of x) is an end of every one of its
    agreements; one group-by over (community, agreement, remover), O(m).

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> k = structure.key_entities(orgnet.datasets.load("demo"), top=3)
    >>> k.index.tolist()
    ['O22', 'OS1', 'O12']
    >>> k[["units_cut", "communities_cut"]].values.tolist()
    [[3, 1], [3, 0], [1, 1]]
    """
    when = net.resolve_as_of(as_of)
    notes = []
    rn = resolve_relation_network(graph, net, as_of=when)
    g, anchor, is_unit = rn.graph, rn.anchor, rn.is_unit
    cut = articulation_cut(g, anchor, targets=is_unit)  # every id, in id order
    units_cut = pd.Series(np.fromiter(cut.values(), dtype=np.int64, count=len(cut)), index=g.ids)

    e = partner_edges(net, when) if len(net.ties) else pd.DataFrame(columns=["community", "own", "partner"])
    if len(net.ties) == 0:
        notes.append(f"{current_function()}: the network has no ties, so communities_cut is 0 for every entity")
    comm_cut = pd.Series(0, index=g.ids, dtype=np.int64)
    if len(e):  # a community is lost with x when x removes an end of each of its agreements
        e = e.reset_index(drop=True)
        e["edge"] = np.arange(len(e))
        long = []
        for end in ("own", "partner"):
            kill = _killers(net, e[end].unique()).drop_duplicates()
            long.append(pd.DataFrame({"entity": e[end].to_numpy(dtype=object), "edge": e["edge"].to_numpy()})
                        .merge(kill, on="entity"))
        kl = pd.concat(long, ignore_index=True)
        kl["community"] = e["community"].to_numpy(dtype=object)[kl["edge"].to_numpy()]
        kl = kl[["community", "edge", "killer"]].drop_duplicates()
        hits = kl.groupby(["community", "killer"]).size()
        n_edges = e.groupby("community").size()
        lost = hits[hits.to_numpy() == n_edges.reindex(hits.index.get_level_values(0)).to_numpy()]
        per = lost.groupby(level="killer").size()
        comm_cut = per.reindex(g.ids, fill_value=0).astype(np.int64)

    info = entity_info(net, g.ids)
    out = info[["kind", "name"]].assign(units_cut=units_cut.to_numpy(dtype=np.int64),
                                        communities_cut=comm_cut.reindex(g.ids).to_numpy(dtype=np.int64))
    out = out[out["kind"].isin(["organisation", "unit"]).to_numpy()]
    out = out[((out["units_cut"] > 0) | (out["communities_cut"] > 0)).to_numpy()]
    score = out["units_cut"] + out["communities_cut"]
    order = np.lexsort((out.index.to_numpy(dtype=object).astype(str), -score.to_numpy()))
    out = out.iloc[order]
    if top is not None:
        out = out.iloc[: int(top)]
    out.index.name = "id"
    out.attrs.update(func="key_entities", as_of=when, top=top, notes=notes)
    return out
