"""Brokerage: Gould–Fernandez roles by level, scope or type."""

from __future__ import annotations

from datetime import date
from typing import Hashable, Mapping, Union

import numpy as np
import pandas as pd

from .._params import Bool, Date, Instance, Network, Options, Text, current_function, require, validate_params
from ..algorithms import ROLES, role_counts
from ..errors import OrgnetParameterError
from ..network import OrgNetwork
from .graphs import as_objects, entity_info, hierarchy_pairs

__all__ = ['ROLES', 'brokerage_roles', 'brokerage']

#: what ``as_of`` accepts: a date, a Timestamp or an ISO string; None for the network's date
DateLike = Union[str, date, pd.Timestamp, None]

_PARTITIONS = ("level", "scope", "type")


@validate_params(edges=Instance(pd.DataFrame, "a DataFrame of directed ties"),
                 groups=Instance((pd.Series, Mapping), "a Series or dict node -> group"),
                 source=Text(), target=Text())
def brokerage_roles(edges: pd.DataFrame, groups: pd.Series | Mapping[Hashable, Hashable], *,
                    source: str = "source", target: str = "target") -> pd.DataFrame:
    """Gould–Fernandez brokerage role counts on a plain directed edge list.

    Parameters
    ----------
    edges : DataFrame
        One row per directed tie, columns ``source`` and ``target`` (names
        configurable); repeated ties count once, self-loops are ignored.
    groups : Series or dict
        Group label of every node appearing in ``edges`` (more nodes may be given;
        they get zero counts).
    source, target : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by node (sorted): ``group``, one column per role in
        :data:`ROLES` and ``total`` (open two-paths through the node).

    See Also
    --------
    orgnet.algorithms.gould_fernandez : the same on a networkx graph, with the
        partition as a dict, Series or node attribute.

    Notes
    -----
    An open two-path is a → b → c with a ≠ c and no tie a → c; b is the
    broker. With G(x) the group of x [1]_:

    ==============  ==============================
    role            groups
    ==============  ==============================
    coordinator     G(a) = G(b) = G(c)
    gatekeeper      G(a) ≠ G(b) = G(c)
    representative  G(a) = G(b) ≠ G(c)
    consultant      G(a) = G(c) ≠ G(b) (itinerant)
    liaison         G(a), G(b), G(c) all differ
    ==============  ==============================

    Thin over :func:`orgnet.algorithms.role_counts` (the kernel of
    :func:`orgnet.algorithms.gould_fernandez`): the two-paths are enumerated
    by a self-join of the edge table on the middle node, then an anti-join
    with the closing ties: O(Σ_b in(b) out(b)).

    References
    ----------
    .. [1] Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a
       formal approach to brokerage in transaction networks. Sociological
       Methodology 19, 89–126.

    Examples
    --------
    >>> import pandas as pd
    >>> from orgnet import structure
    >>> e = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    >>> r = structure.brokerage_roles(e, {"a": 1, "b": 2, "c": 1})
    >>> int(r.loc["b", "consultant"]), int(r.loc["b", "total"])
    (1, 1)
    """
    if source not in edges or target not in edges:
        raise OrgnetParameterError(
            f"The 'edges' parameter of {current_function()} must be a DataFrame with columns {source!r} and "
            f"{target!r}. Got columns {list(edges.columns)!r} instead."
        )
    groups = pd.Series(groups, dtype=object) if not isinstance(groups, pd.Series) else groups.astype(object)
    s = as_objects(edges[source])
    t = as_objects(edges[target])
    nodes = pd.Index(np.concatenate([s, t, as_objects(groups.index)]), dtype=object).unique()
    index = pd.Index(np.sort(nodes.to_numpy(dtype=object)), dtype=object)
    missing = index[~index.isin(groups.index) | groups.reindex(index).isna().to_numpy()]
    if len(missing):
        raise OrgnetParameterError(
            f"The 'groups' parameter of {current_function()} must give a group for every node in the edges. "
            f"Got none for {missing[0]!r} instead."
        )
    gcode, _ = pd.factorize(groups.reindex(index).to_numpy(dtype=object))
    counts = role_counts(index.get_indexer(s), index.get_indexer(t), gcode, len(index))
    out = pd.DataFrame(counts, index=index, columns=list(ROLES))
    out.insert(0, "group", groups.reindex(index).to_numpy(dtype=object))
    out["total"] = counts.sum(axis=1)
    out.index.name = "node"
    return out


def _partition(net: OrgNetwork, ids: pd.Index, partition: str) -> pd.Series:
    kinds = net.entity_kinds.reindex(ids).astype(object)
    o = net.organisations
    u = net.units
    a = net.areas
    is_unit_org = (o["scope"] == "unit").to_numpy()
    if partition == "level":
        org_g = o["area"].astype(object).map(a["level"].astype(object)).where(~is_unit_org, "unit")
        org_g = org_g.where(org_g.notna(), "none")
        unit_g = pd.Series("unit", index=u.index, dtype=object)
        area_g = a["level"].astype(object)
    elif partition == "scope":
        org_g = o["scope"].astype(object)
        unit_g = pd.Series("unit", index=u.index, dtype=object)
        area_g = pd.Series("area", index=a.index, dtype=object)
    else:
        org_g = o["scope"].astype(object).where(~is_unit_org, o["unit"].astype(object).map(u["type"].astype(object)))
        org_g = org_g.where(org_g.notna(), "unit")
        unit_g = u["type"].astype(object)
        area_g = pd.Series("area", index=a.index, dtype=object)
    g = pd.concat([org_g.astype(object), unit_g.astype(object), area_g.astype(object)])
    g = g[~g.index.duplicated()]
    out = pd.Series(g.reindex(ids).to_numpy(dtype=object), index=ids, dtype=object)
    return out.where(out.notna(), kinds.fillna("none"))


@validate_params(net=Network(), partition=Options(*_PARTITIONS), as_of=[Date(), None], hierarchy=Bool())
def brokerage(net: OrgNetwork, *, partition: str = "level", as_of: DateLike = None,
              hierarchy: bool = False) -> pd.DataFrame:
    """Gould–Fernandez brokerage roles of every entity in the directed tie network.

    Ties run from ``source`` to ``target`` (a unit to the committee it
    co-builds with, an organisation to the unit it sends an instructor to);
    every kind of tie active at ``as_of`` counts once per ordered pair.

    Parameters
    ----------
    net : OrgNetwork
    partition : {"level", "scope", "type"}, default "level"
        The groups: ``level`` — an organisation is in the level of its seated
        area (street committees in ``street``, grid branches in ``grid``; unit
        organisations in ``unit``), a unit in ``unit``, an area in its level;
        ``scope`` — an organisation's scope, ``unit`` for units, ``area`` for
        areas; ``type`` — a unit's type (a unit organisation takes its unit's
        type), another organisation's scope, ``area`` for areas.
    as_of : date-like, optional
        Default: the network's ``as_of``.
    hierarchy : bool, default False
        Add the directed hierarchy: leading organisation → organisation, unit
        organisation → its unit.

    Returns
    -------
    DataFrame
        Indexed by entity id (every organisation established by ``as_of``,
        every unit, and every area named by an active tie): ``kind``, ``name``,
        ``group``, ``coordinator``, ``gatekeeper``, ``representative``,
        ``consultant``, ``liaison``, ``total``.

    Raises
    ------
    OrgnetMissingDataError
        When the network has no ties.

    See Also
    --------
    brokerage_roles : the same on a plain edge list (definitions of the roles).

    Notes
    -----
    Self-join of the edge table on the broker, anti-join with the closing ties:
    O(Σ_b in(b) · out(b)) time and memory.

    References
    ----------
    .. [1] Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a
       formal approach to brokerage in transaction networks. Sociological
       Methodology 19, 89–126.

    Examples
    --------
    >>> import orgnet
    >>> from orgnet import structure
    >>> b = structure.brokerage(orgnet.datasets.load("demo"))
    >>> b.attrs["two_paths"]
    23
    >>> b.loc["O22", list(structure.ROLES)].astype(int).tolist()
    [0, 0, 0, 8, 0]
    >>> b.loc["O3", list(structure.ROLES)].astype(int).tolist()
    [0, 0, 0, 3, 2]
    """
    when = net.as_of if as_of is None else as_of
    require(net, tables=["ties"])
    t = net.active_ties(when)
    s, d = t["source"].to_numpy(dtype=object), t["target"].to_numpy(dtype=object)
    orgs = net.organisations_at(when)
    if hierarchy:
        h = hierarchy_pairs(net, orgs)
        s = np.concatenate([s, h["source"].to_numpy(dtype=object)])
        d = np.concatenate([d, h["target"].to_numpy(dtype=object)])
    nodes = pd.Index(np.concatenate([orgs.index.to_numpy(dtype=object), net.units.index.to_numpy(dtype=object),
                                     s, d]), dtype=object).unique()
    groups = _partition(net, nodes, partition)
    r = brokerage_roles(pd.DataFrame({"source": s, "target": d}), groups)
    info = entity_info(net, r.index)
    out = pd.concat([info[["kind", "name"]], r], axis=1)
    out.index.name = "id"
    out.attrs.update(func="brokerage", as_of=when, partition=partition, hierarchy=hierarchy,
                     two_paths=int(r["total"].sum()))
    return out
