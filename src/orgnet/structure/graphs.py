"""The graphs the structural measures share, built from an OrgNetwork: the tie network
(plus hierarchy) and the relation graph, coded as integers over sorted ids (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from ..errors import OrgnetMissingDataError, OrgnetParameterError
from ..network import OrgNetwork
from ..linkage import tie_table

__all__ = ['WEIGHT_CHOICES', 'EntityGraph', 'as_objects', 'build_graph', 'locations', 'entity_names', 'entity_info', 'hierarchy_pairs', 'tie_network', 'check_weight', 'require_level', 'relation_graph', 'partner_edges']


WEIGHT_CHOICES = ("strength", None)


@dataclass(frozen=True)
class EntityGraph:
    """An undirected simple graph on integer codes ``0 .. n-1`` of sorted ids."""

    ids: pd.Index  # sorted entity ids (object dtype)
    u: np.ndarray  # edge ends, u < v, each pair once
    v: np.ndarray
    w: np.ndarray  # edge weights (1.0 when unweighted)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.u)

    def adjacency(self, weighted: bool = True):
        """Symmetric CSR adjacency (weights, or 1 for every edge)."""
        from scipy import sparse

        data = self.w if weighted else np.ones(self.m)
        rows = np.concatenate([self.u, self.v])
        cols = np.concatenate([self.v, self.u])
        return sparse.csr_matrix((np.concatenate([data, data]).astype(float), (rows, cols)),
                                 shape=(self.n, self.n))


def as_objects(values) -> np.ndarray:
    return np.asarray(values, dtype=object)


def build_graph(ids: Iterable, a: np.ndarray, b: np.ndarray, w: np.ndarray | None = None) -> EntityGraph:
    """Code ids (sorted, so results do not depend on row order) and merge parallel
    edges (summing weights); self-loops are dropped."""
    a, b = as_objects(a), as_objects(b)
    w = np.ones(len(a)) if w is None else np.asarray(w, dtype=float)
    allids = pd.Index(np.concatenate([as_objects(list(ids)), a, b]), dtype=object)
    index = pd.Index(np.sort(allids.unique().to_numpy(dtype=object)), dtype=object)
    ca, cb = index.get_indexer(a), index.get_indexer(b)
    keep = ca != cb
    lo, hi = np.minimum(ca, cb)[keep], np.maximum(ca, cb)[keep]
    if len(lo):
        key = lo.astype(np.int64) * len(index) + hi
        uniq, inv = np.unique(key, return_inverse=True)
        wsum = np.bincount(inv, weights=w[keep], minlength=len(uniq))
        u, v = uniq // len(index), uniq % len(index)
    else:
        u = v = np.zeros(0, dtype=np.int64)
        wsum = np.zeros(0)
    return EntityGraph(index, u.astype(np.int64), v.astype(np.int64), wsum)


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


def tie_network(net: OrgNetwork, when: pd.Timestamp, *, weight, hierarchy: bool, weights,
                 half_life_days, func: str) -> tuple[EntityGraph, list[str]]:
    """The undirected tie network (plus hierarchy) at ``when``; notes on what is missing."""
    notes = []
    t = tie_table(net, weights=weights, half_life_days=half_life_days, as_of=when, func=func)
    # pair strength = the sum of the pair's tie strengths, as in linkage.tie_strength
    a, b = t["a"].to_numpy(dtype=object), t["b"].to_numpy(dtype=object)
    w = t["strength"].to_numpy(dtype=float) if weight == "strength" else np.ones(len(t))
    if t.empty:
        notes.append(f"{func}: no tie is active at {when:%Y-%m-%d}"
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
        g = EntityGraph(g.ids, g.u, g.v, np.ones(g.m))
    return g, notes


def check_weight(weight, func):
    if weight not in WEIGHT_CHOICES:
        raise OrgnetParameterError(
            f"The 'weight' parameter of {func} must be one of 'strength', None. Got {weight!r} instead."
        )
    return weight


def require_level(net: OrgNetwork, level: str, func: str):
    if not (net.areas["level"] == level).any():
        raise OrgnetMissingDataError(
            f"{func} needs areas of level {level!r} in the 'areas' table, but the network has none. "
            f"Add the {level} areas (with their parent) to areas.csv."
        )


def relation_graph(net: OrgNetwork, when) -> tuple[EntityGraph, np.ndarray, np.ndarray]:
    """The relation graph, a mask of its anchors (existing territorial organisations and
    areas) and a mask of its units."""
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
    return g, np.asarray(anchor, dtype=bool), kinds == "unit"


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
