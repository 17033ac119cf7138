"""The graphs the structural measures share, built from an OrgNetwork: the tie network
(plus hierarchy) and the relation graph, coded as integers over sorted ids (see the package docstring).

:func:`tie_network` is public: build it once and pass it as ``graph=`` to
:func:`~orgnet.structure.centrality`, :func:`~orgnet.structure.constraint` and
:func:`~orgnet.structure.fragmentation`, which otherwise each build their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from .. import schema
from .._params import Bool, Date, Network, Options, Real, Weights, current_function, fail, validate_params
from ..algorithms.graph import Coded, from_arrays
from ..errors import OrgnetMissingDataError
from ..linkage import DEFAULT_WEIGHTS, tie_table
from ..network import OrgNetwork

__all__ = ['WEIGHT_CHOICES', 'EntityGraph', 'TieNetwork', 'as_objects', 'build_graph', 'locations',
           'entity_names', 'entity_info', 'hierarchy_pairs', 'tie_network', 'resolve_tie_network',
           'tie_kind_weights', 'TIE_NETWORK_PARAMS', 'require_level', 'RelationNetwork', 'relation_network',
           'resolve_relation_network', 'partner_edges']


WEIGHT_CHOICES = ("strength", None)


class EntityGraph(Coded):
    """An undirected simple graph on integer codes ``0 .. n-1`` of sorted ids.

    A :class:`orgnet.algorithms.graph.Coded` graph (``nodes``, ``u``, ``v``,
    ``w``, ``adjacency()``) that also keeps its node labels as a pandas Index,
    ``ids``; the algorithms of :mod:`orgnet.algorithms` accept it as it is.
    """

    __slots__ = ("ids",)

    def __init__(self, ids, u, v, w):
        ids = ids if isinstance(ids, pd.Index) else pd.Index(as_objects(list(ids)), dtype=object)
        super().__init__(ids, u, v, w)
        self.ids = ids

    def with_weights(self, w) -> "EntityGraph":
        """The same nodes and edges with other weights."""
        return EntityGraph(self.ids, self.u, self.v, w)


def as_objects(values) -> np.ndarray:
    return np.asarray(values, dtype=object)


def build_graph(ids: Iterable, a: np.ndarray, b: np.ndarray, w: np.ndarray | None = None) -> EntityGraph:
    """Code ids (sorted, so results do not depend on row order) and merge parallel
    edges (summing weights); self-loops are dropped."""
    a, b = as_objects(a), as_objects(b)
    allids = pd.Index(np.concatenate([as_objects(list(ids)), a, b]), dtype=object)
    index = pd.Index(np.sort(allids.unique().to_numpy(dtype=object)), dtype=object)
    g = from_arrays(index, index.get_indexer(a), index.get_indexer(b), w)
    return EntityGraph(index, g.u.astype(np.int64), g.v.astype(np.int64), g.w)


def locations(net: OrgNetwork, ids) -> pd.Series:
    """Located area of organisations, units and areas (an area locates itself)."""
    ids = pd.Index(as_objects(ids), dtype=object)
    out = pd.Series(net.entity_areas.reindex(ids).to_numpy(dtype=object), index=ids, dtype=object)
    return out.where(out.notna(), None)


def entity_names(net: OrgNetwork) -> pd.Series:
    s = pd.concat([net.organisations["name"].astype(object), net.units["name"].astype(object),
                   net.areas["name"].astype(object)])
    return s[~s.index.duplicated()]


def entity_info(net: OrgNetwork, ids) -> pd.DataFrame:
    """kind, name and located area of entities."""
    ids = pd.Index(as_objects(ids), dtype=object)
    return pd.DataFrame({
        "kind": net.entity_kinds.reindex(ids).to_numpy(dtype=object),
        "name": entity_names(net).reindex(ids).to_numpy(dtype=object),
        "area": locations(net, ids).to_numpy(dtype=object),
    }, index=ids)


def hierarchy_pairs(net: OrgNetwork, orgs: pd.DataFrame) -> pd.DataFrame:
    """Directed hierarchy edges among existing organisations: ``leads`` (parent →
    organisation) and ``belongs_to`` (unit organisation → its unit)."""
    parent = orgs["parent"].astype(object)
    has_parent = (parent.notna() & parent.isin(orgs.index)).to_numpy()
    unit = orgs["unit"].astype(object)
    has_unit = (unit.notna() & unit.isin(net.units.index)).to_numpy()
    return pd.DataFrame({
        "source": np.concatenate([parent.to_numpy(dtype=object)[has_parent],
                                  orgs.index.to_numpy(dtype=object)[has_unit]]),
        "target": np.concatenate([orgs.index.to_numpy(dtype=object)[has_parent],
                                  unit.to_numpy(dtype=object)[has_unit]]),
        "kind": ["leads"] * int(has_parent.sum()) + ["belongs_to"] * int(has_unit.sum()),
    })


# ---------------------------------------------------------------- the tie network


@dataclass(frozen=True, eq=False, repr=False)
class TieNetwork:
    """The undirected tie network (plus hierarchy) of one OrgNetwork at one date.

    Returned by :func:`tie_network`; pass it as ``graph=`` to
    :func:`~orgnet.structure.centrality`, :func:`~orgnet.structure.constraint`
    or :func:`~orgnet.structure.fragmentation` to build it once. It remembers
    what it was built with, and those functions refuse it (OrgnetParameterError)
    for another network, date or parameters. One built with
    ``weight="strength"`` also serves ``weight=None`` (same nodes and edges,
    every weight 1).

    Attributes
    ----------
    network : OrgNetwork
        The network it was built from (compared by identity).
    as_of : Timestamp
        The date of the active ties and existing organisations.
    weight : {"strength", None}
        Edge weights: the pair strength (hierarchy edges 1) or 1 on every edge.
    hierarchy : bool
        Whether the organisation hierarchy is included.
    kind_weights : dict
        The tie kind weights used (``linkage.DEFAULT_WEIGHTS`` updated by ``weights``).
    half_life_days : float
        The decay half-life of tie strength.
    graph : EntityGraph
        The coded graph: ``ids`` (sorted entity ids), ``u``, ``v``, ``w``.
    ties : int
        Ties scored at ``as_of``: the rows of :func:`orgnet.linkage.tie_table`
        (the ledger's active ties, and those read from cases and events).
    notes : tuple of str
        What is missing (e.g. no active tie), without a function name;
        :meth:`call_notes` prefixes the calling function's name.
    """

    network: OrgNetwork
    as_of: pd.Timestamp
    weight: str | None
    hierarchy: bool
    kind_weights: dict
    half_life_days: float
    graph: EntityGraph
    ties: int
    notes: tuple

    @property
    def nodes(self) -> int:
        return self.graph.n

    @property
    def edges(self) -> int:
        return self.graph.m

    def __repr__(self):
        return (f"TieNetwork(as_of='{self.as_of:%Y-%m-%d}', weight={self.weight!r}, "
                f"hierarchy={self.hierarchy!r}, nodes={self.nodes}, edges={self.edges})")

    def call_notes(self) -> list[str]:
        """The notes, each prefixed by the name of the public function being called."""
        name = current_function("tie_network")
        return [f"{name}: {n}" for n in self.notes]

    def differences(self, net: OrgNetwork, *, as_of: pd.Timestamp, weight, hierarchy: bool,
                    weights=None, half_life_days: float = 365.0) -> list[str]:
        """How this tie network differs from the one these arguments would build
        (empty when it serves them; ``as_of`` resolved)."""
        diff = []
        if self.network is not net:
            diff.append("another network")
        if self.as_of != as_of:
            diff.append(f"as_of {self.as_of:%Y-%m-%d} instead of {as_of:%Y-%m-%d}")
        if self.hierarchy != hierarchy:
            diff.append(f"hierarchy={self.hierarchy!r} instead of {hierarchy!r}")
        if weight is not None:  # strengths are needed: they must be the same strengths
            if self.weight != weight:
                diff.append(f"weight={self.weight!r} instead of {weight!r}")
            else:
                kinds = tie_kind_weights(weights)
                if self.kind_weights != kinds:
                    changed = sorted(k for k in kinds if kinds[k] != self.kind_weights.get(k))
                    diff.append("other tie kind weights (" + ", ".join(
                        f"{k}: {self.kind_weights.get(k)!r} instead of {kinds[k]!r}" for k in changed) + ")")
                if float(self.half_life_days) != float(half_life_days):
                    diff.append(f"half_life_days={self.half_life_days!r} instead of {half_life_days!r}")
        return diff

    def unweighted(self) -> "TieNetwork":
        """The same network with weight 1 on every edge (``weight=None``)."""
        if self.weight is None:
            return self
        return TieNetwork(self.network, self.as_of, None, self.hierarchy, self.kind_weights,
                          self.half_life_days, self.graph.with_weights(np.ones(self.graph.m)),
                          self.ties, self.notes)


def tie_kind_weights(weights) -> dict[str, float]:
    """The tie kind weights in force: ``linkage.DEFAULT_WEIGHTS`` updated by ``weights``."""
    return {**DEFAULT_WEIGHTS, **(weights or {})}


def _build(net: OrgNetwork, when: pd.Timestamp, weight, hierarchy: bool, weights,
           half_life_days: float) -> TieNetwork:
    t = tie_table(net, weights=weights, half_life_days=half_life_days, as_of=when)
    # pair strength = the sum of the pair's tie strengths, as in linkage.tie_strength
    a, b = t["a"].to_numpy(dtype=object), t["b"].to_numpy(dtype=object)
    w = t["strength"].to_numpy(dtype=float) if weight == "strength" else np.ones(len(t))
    notes = []
    if t.empty:
        notes.append(f"no tie is active at {when:%Y-%m-%d}"
                     + ("; only the organisation hierarchy is used" if hierarchy else ""))
    orgs = net.organisations_at(when)
    if hierarchy:
        h = hierarchy_pairs(net, orgs)
        a = np.concatenate([a, h["source"].to_numpy(dtype=object)])
        b = np.concatenate([b, h["target"].to_numpy(dtype=object)])
        w = np.concatenate([w, np.ones(len(h))])
    g = build_graph(np.concatenate([orgs.index.to_numpy(dtype=object), net.units.index.to_numpy(dtype=object)]),
                    a, b, w)
    if weight is None:  # a pair counts once, however many ties and hierarchy edges it has
        g = g.with_weights(np.ones(g.m))
    return TieNetwork(net, when, weight, hierarchy, tie_kind_weights(weights), float(half_life_days), g,
                      len(t), tuple(notes))


#: the constraints of the tie network's parameters, shared by the functions that take ``graph=``
TIE_NETWORK_PARAMS = dict(
    as_of=[Date(), None],
    weight=Options(*WEIGHT_CHOICES),
    hierarchy=Bool(),
    weights=[Weights(schema.TIE_KINDS, "tie kinds"), None],
    half_life_days=Real(0, exclusive=True),
)


@validate_params(net=Network(), **TIE_NETWORK_PARAMS)
def tie_network(net: OrgNetwork, *, as_of=None, weight: str | None = "strength", hierarchy: bool = True,
                weights: dict | None = None, half_life_days: float = 365.0) -> TieNetwork:
    """The undirected tie network (plus hierarchy) at ``as_of``, to build once and pass around.

    Nodes: every organisation established by ``as_of``, every unit, and every
    area named by a tie. Edges: the pairs of ends of the ties scored at
    ``as_of`` (direction ignored; the ledger's active ties, with the activity
    ties read from events and the whistle ties read from cases, as in
    :func:`orgnet.linkage.tie_table`), weighted by their pair strength (the
    sum of the pair's tie strengths); with
    ``hierarchy=True`` also each organisation ↔ its leading organisation and
    each unit organisation ↔ its unit, weight 1 (added to a tie between the
    same pair).

    Parameters
    ----------
    net : OrgNetwork
    as_of : date-like, optional
        Default: the network's ``as_of``.
    weight : {"strength", None}, default "strength"
        Pair strength, or 1 on every edge.
    hierarchy : bool, default True
        Add the organisation hierarchy.
    weights : dict, optional
        Tie kind -> weight, updating ``orgnet.linkage.DEFAULT_WEIGHTS``.
    half_life_days : float, default 365.0
        Half-life of tie strength decay.

    Returns
    -------
    TieNetwork
        The coded graph (``graph``: ``ids``, ``u``, ``v``, ``w``) with what it
        was built from (``network``, ``as_of``, ``weight``, ``hierarchy``,
        ``kind_weights``, ``half_life_days``), ``ties`` (ties scored, as in :func:`orgnet.linkage.tie_table`) and
        ``notes``.

    See Also
    --------
    orgnet.structure.centrality, orgnet.structure.constraint, orgnet.structure.fragmentation :
        take it as ``graph=``.

    Notes
    -----
    Ids are sorted before coding, so results do not depend on row order;
    parallel edges are merged (weights summed) and self-loops dropped:
    O(m log m) for m ties plus hierarchy edges.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> net = orgnet.datasets.load("demo")
    >>> tn = structure.tie_network(net)
    >>> tn
    TieNetwork(as_of='2025-06-30', weight='strength', hierarchy=True, nodes=79, edges=118)
    >>> tn.ties, tn.graph.ids[:3].tolist()
    (97, ['C21', 'O1', 'O11'])
    """
    when = net.as_of if as_of is None else as_of
    return _build(net, when, weight, hierarchy, weights, half_life_days)


def resolve_tie_network(graph: TieNetwork | None, net: OrgNetwork, *, as_of=None, weight="strength",
                        hierarchy: bool = True, weights=None, half_life_days: float = 365.0) -> TieNetwork:
    """The tie network a call asks for: ``graph`` when it serves these arguments
    (weighted as ``weight`` asks), else a new one when ``graph`` is None.

    Arguments are taken as checked by the calling function's ``@validate_params``
    (:data:`TIE_NETWORK_PARAMS`). A ``graph`` built for another network, date
    or parameters raises OrgnetParameterError naming the calling function.
    """
    when = net.as_of if as_of is None else as_of
    if graph is None:
        return _build(net, when, weight, hierarchy, weights, half_life_days)
    if not isinstance(graph, TieNetwork):
        fail("graph", "a tie network from orgnet.structure.tie_network(net, ...) or None", graph)
    diff = graph.differences(net, as_of=when, weight=weight, hierarchy=hierarchy, weights=weights,
                             half_life_days=half_life_days)
    if diff:
        fail("graph", "a tie network built for this network with this call's as_of, weight, hierarchy, "
             "weights and half_life_days (orgnet.structure.tie_network(net, as_of=..., weight=..., ...)); "
             "this one was built with " + "; ".join(diff), graph)
    return graph if weight is not None else graph.unweighted()


def require_level(net: OrgNetwork, level: str):
    """Raise OrgnetMissingDataError when the network has no area of ``level``
    (the message names the public function being called)."""
    if not (net.areas["level"] == level).any():
        raise OrgnetMissingDataError(
            f"{current_function()} needs areas of level {level!r} in the 'areas' table, "
            f"but the network has none. Add the {level} areas (with their parent) to areas.csv."
        )


@dataclass(frozen=True, eq=False, repr=False)
class RelationNetwork:
    """The relation graph at a date, built once and passed to the resilience measures.

    ``graph`` is the coded graph (ids sorted); ``anchor`` marks its anchors
    (areas and territorial organisations existing at ``as_of``); ``is_unit``
    its units. ``network`` and ``as_of`` say what it was built for.
    """

    network: OrgNetwork
    as_of: pd.Timestamp
    graph: EntityGraph
    anchor: np.ndarray
    is_unit: np.ndarray

    def __repr__(self):
        return (f"RelationNetwork(as_of='{self.as_of:%Y-%m-%d}', nodes={self.graph.n}, edges={self.graph.m}, "
                f"anchors={int(self.anchor.sum())}, units={int(self.is_unit.sum())})")


def _relations(net: OrgNetwork, when) -> RelationNetwork:
    orgs = net.organisations_at(when)
    own = orgs[((orgs["scope"] == "unit") & orgs["unit"].notna()).to_numpy()]
    t = net.active_ties(when)
    h = hierarchy_pairs(net, orgs)
    h = h[(h["kind"] == "leads").to_numpy()]
    a = np.concatenate([own.index.to_numpy(dtype=object), t["source"].to_numpy(dtype=object),
                        h["source"].to_numpy(dtype=object)])
    b = np.concatenate([own["unit"].to_numpy(dtype=object), t["target"].to_numpy(dtype=object),
                        h["target"].to_numpy(dtype=object)])
    g = build_graph(np.concatenate([orgs.index.to_numpy(dtype=object), net.units.index.to_numpy(dtype=object)]),
                    a, b)
    kinds = net.entity_kinds.reindex(g.ids).to_numpy(dtype=object)
    terr = orgs.index[(orgs["scope"] == "territorial").to_numpy()]
    anchor = (kinds == "area") | g.ids.isin(terr)
    return RelationNetwork(net, when, g, np.asarray(anchor, dtype=bool), kinds == "unit")


@validate_params(net=Network(), as_of=[Date(), None])
def relation_network(net: OrgNetwork, *, as_of=None) -> RelationNetwork:
    """The relation graph at ``as_of``, to build once and pass as ``graph=`` to
    :func:`~orgnet.structure.islands`, :func:`~orgnet.structure.key_entities`
    and :func:`~orgnet.structure.what_if_remove`.

    Nodes: every organisation established by ``as_of``, every unit, and every
    area an active tie names. Edges (undirected, each pair once): a unit ↔ its
    own organisation, the ends of every active tie of any kind, an
    organisation ↔ its leading organisation. Location alone is not a relation.

    Returns
    -------
    RelationNetwork

    Examples
    --------
    >>> import orgnet
    >>> orgnet.structure.relation_network(orgnet.datasets.load("demo"))
    RelationNetwork(as_of='2025-06-30', nodes=79, edges=97, anchors=32, units=33)
    """
    return _relations(net, net.as_of if as_of is None else as_of)


def resolve_relation_network(graph, net: OrgNetwork, *, as_of=None) -> RelationNetwork:
    """``graph`` when it was built for this network and date, a new one when it is None;
    anything else raises OrgnetParameterError naming the calling function."""
    when = net.as_of if as_of is None else as_of
    if graph is None:
        return _relations(net, when)
    if not isinstance(graph, RelationNetwork):
        fail("graph", "a relation network from orgnet.structure.relation_network(net, ...) or None", graph)
    diff = ([] if graph.network is net else ["another network"]) + \
        ([] if graph.as_of == when else [f"as_of {graph.as_of:%Y-%m-%d} instead of {when:%Y-%m-%d}"])
    if diff:
        fail("graph", "a relation network built for this network at this call's as_of "
             "(orgnet.structure.relation_network(net, as_of=...)); this one was built for " + "; ".join(diff), graph)
    return graph


def partner_edges(net: OrgNetwork, when) -> pd.DataFrame:
    """(community, own, partner) for every active co_building tie with a territorial
    organisation of the community's subtree at one end; partners that are territorial
    organisations of the same subtree are not partners."""
    orgs = net.organisations_at(when)
    terr = orgs[(orgs["scope"] == "territorial").to_numpy()]
    comm = terr["area"].astype(object).map(net.area_paths["community"])
    comm = comm[comm.notna()]
    co = net.active_ties(when, kinds="co_building")
    s, t = co["source"].to_numpy(dtype=object), co["target"].to_numpy(dtype=object)
    rows = []
    for own, other in ((s, t), (t, s)):
        c = pd.Series(own, dtype=object).map(comm)
        oc = pd.Series(other, dtype=object).map(comm)
        keep = (c.notna() & (c != oc)).to_numpy()
        rows.append(pd.DataFrame({"community": c[keep].to_numpy(dtype=object), "own": own[keep],
                                  "partner": other[keep]}))
    e = pd.concat(rows, ignore_index=True).drop_duplicates().reset_index(drop=True)
    return e.astype(object)

