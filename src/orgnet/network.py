"""The network object: validated tables plus graph views built on demand."""

from __future__ import annotations

import html
from functools import cached_property
from typing import Iterable

import numpy as np
import pandas as pd

from . import _params, schema
from ._validate import RawTable, normalise
from .errors import OrgnetDataError, OrgnetParameterError

__all__ = ["OrgNetwork"]

_NODE_KIND = dict(schema.ENTITY_TABLES)  # table -> node kind


def _as_raw(name: str, df) -> RawTable:
    if not isinstance(df, pd.DataFrame):
        raise OrgnetParameterError(
            f"The {name!r} table must be a pandas DataFrame. Got {type(df).__name__} instead."
        )
    frame = df
    t = schema.TABLES[name]
    if t.indexed:
        lookup = t.header_lookup()
        has_id = any(lookup.get(str(c).strip().lower()) == "id" for c in frame.columns)
        if not has_id and frame.index.name is not None and lookup.get(str(frame.index.name).strip().lower()) == "id":
            frame = frame.reset_index()  # returns a new frame; the caller's is untouched
    return RawTable(frame, np.arange(len(frame)) + 2, from_file=False, label=name)


class OrgNetwork:
    """A validated party-building network: tables and graph views.

    An ``OrgNetwork`` holds one pandas DataFrame per table of the data format
    (areas, organisations, units, stations, ties, demands, resources, projects,
    and the activity layer: people, events, attendance, cases, ratings),
    validated once when it is built. Graph views (``graph``, ``area_tree``,
    ``org_tree``) are built on first use and cached.

    Parameters
    ----------
    areas, organisations : DataFrame
        The two required tables, with English or Chinese headers and values
        (see the data format). Entity tables may carry ``id`` as a column or
        as an index named ``id``.
    units, stations, ties, demands, resources, projects : DataFrame, optional
        Optional tables; absent ones become empty tables with the documented
        columns.
    people, events, attendance, cases, ratings : DataFrame, optional
        The optional activity layer (keyword only): who is placed where, which
        events took place and who attended, which cases were raised and
        closed, how entities were rated.
    name : str, optional
        A label shown in summaries and reports.
    as_of : date-like, optional
        The reference date of the ledger, used by analyses whose ``as_of`` is
        left as None. Default: the latest date in the data's ``start``
        (ties, people), ``established`` (organisations), ``date`` (demands,
        resources, projects, events) and ``raised`` (cases) columns — end and
        closing dates and rating periods do not count, since they may lie in
        the future.

    Raises
    ------
    OrgnetDataError
        Listing every problem in the tables (table, row, column, value).

    See Also
    --------
    read_dataset : build an OrgNetwork from CSV files or an Excel workbook.
    write_dataset : write it back.

    Notes
    -----
    The input DataFrames are never modified. Rows are numbered as they would
    be in a file written from the DataFrame: the header is row 1, the first
    row is row 2. The tables held by the network are shared, not copied, on
    access: treat them as read-only (copy before changing them).

    Examples
    --------
    >>> import pandas as pd, orgnet
    >>> areas = pd.DataFrame({"id": ["D1", "S1", "C1"], "name": ["示范区", "东湖街道", "春晖社区"],
    ...                       "level": ["区", "街道", "社区"], "parent": [None, "D1", "S1"]})
    >>> orgs = pd.DataFrame({"id": ["O1", "O2"], "name": ["区委", "街道党工委"],
    ...                      "form": ["党委", "党工委"], "scope": ["区域", "区域"],
    ...                      "parent": [None, "O1"], "area": ["D1", "S1"]})
    >>> net = orgnet.OrgNetwork(areas=areas, organisations=orgs, name="tiny")
    >>> net.areas["level"].tolist()
    ['district', 'street', 'community']
    >>> net.graph.number_of_nodes(), net.graph.number_of_edges()
    (5, 5)
    """

    def __init__(
        self,
        areas: pd.DataFrame,
        organisations: pd.DataFrame,
        units: pd.DataFrame | None = None,
        stations: pd.DataFrame | None = None,
        ties: pd.DataFrame | None = None,
        demands: pd.DataFrame | None = None,
        resources: pd.DataFrame | None = None,
        projects: pd.DataFrame | None = None,
        *,
        people: pd.DataFrame | None = None,
        events: pd.DataFrame | None = None,
        attendance: pd.DataFrame | None = None,
        cases: pd.DataFrame | None = None,
        ratings: pd.DataFrame | None = None,
        name: str | None = None,
        as_of=None,
    ):
        given = dict(areas=areas, organisations=organisations, units=units, stations=stations,
                     ties=ties, demands=demands, resources=resources, projects=projects,
                     people=people, events=events, attendance=attendance, cases=cases, ratings=ratings)
        raw = {k: _as_raw(k, v) for k, v in given.items() if v is not None}
        self._init_from_raw(raw, source="DataFrames", name=name, as_of=as_of)

    # ------------------------------------------------------------ building

    @classmethod
    def _from_raw(cls, raw: dict[str, RawTable], *, source: str, name=None, as_of=None):
        self = cls.__new__(cls)
        self._init_from_raw(raw, source=source, name=name, as_of=as_of)
        return self

    def _init_from_raw(self, raw, *, source, name, as_of):
        tables, rows, problems = normalise(raw)
        if problems:
            raise OrgnetDataError(problems, source=source)
        self._tables = tables
        self._rows = rows
        self.source = source
        self.name = name
        self._as_of = None if as_of is None else _params.check(as_of, "as_of", _params.Date(), "OrgNetwork")

    # ------------------------------------------------------------ tables

    @property
    def areas(self) -> pd.DataFrame:
        """Areas (区域与网格), indexed by id."""
        return self._tables["areas"]

    @property
    def organisations(self) -> pd.DataFrame:
        """Party organisations (党组织), indexed by id."""
        return self._tables["organisations"]

    @property
    def units(self) -> pd.DataFrame:
        """Units (单位), indexed by id."""
        return self._tables["units"]

    @property
    def stations(self) -> pd.DataFrame:
        """Service stations (阵地), indexed by id."""
        return self._tables["stations"]

    @property
    def ties(self) -> pd.DataFrame:
        """Ties (联系与共建), one row per tie, indexed by position."""
        return self._tables["ties"]

    @property
    def demands(self) -> pd.DataFrame:
        """Demands (需求清单), indexed by id."""
        return self._tables["demands"]

    @property
    def resources(self) -> pd.DataFrame:
        """Resources (资源清单), indexed by id."""
        return self._tables["resources"]

    @property
    def projects(self) -> pd.DataFrame:
        """Projects (项目清单), indexed by id."""
        return self._tables["projects"]

    # the activity layer (optional tables; empty, with their columns, when absent)

    @property
    def people(self) -> pd.DataFrame:
        """People placed in areas (人员): groups of one role, counts not persons, indexed by id."""
        return self._tables["people"]

    @property
    def events(self) -> pd.DataFrame:
        """Meetings and activities held (活动与会议), indexed by id."""
        return self._tables["events"]

    @property
    def attendance(self) -> pd.DataFrame:
        """Who took part in each event (参与), one row per (event, entity), indexed by position."""
        return self._tables["attendance"]

    @property
    def cases(self) -> pd.DataFrame:
        """Problems raised and their closure (诉求, 吹哨报到), indexed by id."""
        return self._tables["cases"]

    @property
    def ratings(self) -> pd.DataFrame:
        """Ratings of entities (评星定级与考核), one row per rating, indexed by position."""
        return self._tables["ratings"]

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """All tables by canonical name (a new dict of the shared frames)."""
        return dict(self._tables)

    @_params.validate_params(table=_params.Options(*schema.TABLE_ORDER))
    def source_rows(self, table: str) -> pd.Series:
        """Row numbers of a table's rows in the file they were read from (header = 1).

        Examples
        --------
        >>> import orgnet
        >>> net = orgnet.datasets.load("demo")
        >>> int(net.source_rows("areas").iloc[0])
        2
        """
        return pd.Series(self._rows[table], index=self._tables[table].index, name="row")

    def __eq__(self, other):
        if not isinstance(other, OrgNetwork):
            return NotImplemented
        return all(self._tables[k].equals(other._tables[k]) for k in schema.TABLE_ORDER)

    __hash__ = None  # mutable-looking container: not hashable

    # ------------------------------------------------------------ dates

    @cached_property
    def as_of(self) -> pd.Timestamp:
        """The ledger's reference date (see the ``as_of`` parameter).

        >>> import orgnet
        >>> orgnet.datasets.load("demo").as_of
        Timestamp('2025-06-30 00:00:00')
        """
        if self._as_of is not None:
            return self._as_of
        dates = [self.ties["start"], self.organisations["established"],
                 self.demands["date"], self.resources["date"], self.projects["date"],
                 self.people["start"], self.events["date"], self.cases["raised"]]
        latest = max((d.max() for d in dates if d.notna().any()), default=None)
        if latest is None:
            return pd.Timestamp.today().normalize()
        return pd.Timestamp(latest)

    def resolve_as_of(self, as_of=None) -> pd.Timestamp:
        """``as_of`` as a midnight Timestamp, defaulting to :attr:`as_of`; for analyses.

        A value that is not a date raises OrgnetParameterError naming the
        public function being called.

        Examples
        --------
        >>> import orgnet
        >>> net = orgnet.datasets.load("demo")
        >>> net.resolve_as_of(), net.resolve_as_of("2024-01-01 15:00")
        (Timestamp('2025-06-30 00:00:00'), Timestamp('2024-01-01 00:00:00'))
        """
        if as_of is None:
            return self.as_of
        return _params.check(as_of, "as_of", _params.Date(), _params.current_function("resolve_as_of"))

    @_params.validate_params(as_of=[_params.Date(), None])
    def organisations_at(self, as_of=None) -> pd.DataFrame:
        """Organisations that exist at a date: no ``established`` date, or on or before it.

        What coverage, vacuum, linkage, structure and sharing all count as
        "an organisation" at their ``as_of``.

        Parameters
        ----------
        as_of : date-like, optional
            Default: the network's :attr:`as_of`.

        Returns
        -------
        DataFrame
            A subset of :attr:`organisations` (same index and columns).

        Examples
        --------
        >>> import orgnet
        >>> net = orgnet.datasets.load("demo")
        >>> len(net.organisations), len(net.organisations_at("2000-01-01")) < len(net.organisations)
        (45, True)
        """
        when = self.resolve_as_of(as_of)
        o = self.organisations
        return o[(o["established"].isna() | (o["established"] <= when)).to_numpy()]

    @_params.validate_params(as_of=[_params.Date(), None])
    def people_at(self, as_of=None) -> pd.DataFrame:
        """People in place at a date: placed on or before it (or no start) and not gone
        before it (no end, or end on or after it) — the rule ties follow.

        Parameters
        ----------
        as_of : date-like, optional
            Default: the network's :attr:`as_of`.

        Returns
        -------
        DataFrame
            A subset of :attr:`people` (same index and columns; an empty
            ``count`` still means the documented default, 1).

        Examples
        --------
        >>> import orgnet
        >>> net = orgnet.datasets.load("demo")
        >>> len(net.people), len(net.people_at()), len(net.people_at("2024-01-01"))
        (43, 42, 28)
        """
        when = self.resolve_as_of(as_of)
        p = self.people
        mask = (p["start"].isna() | (p["start"] <= when)) & (p["end"].isna() | (p["end"] >= when))
        return p[mask.to_numpy(dtype=bool)]

    @_params.validate_params(as_of=[_params.Date(), None])
    def active_ties(self, as_of=None, *, kinds: Iterable[str] | str | None = None) -> pd.DataFrame:
        """Ties active at a date: started on or before it (or no start) and not
        ended before it (no end, or end on or after it).

        Parameters
        ----------
        as_of : date-like, optional
            Default: the network's :attr:`as_of`.
        kinds : str or iterable of str, optional
            Keep only these tie kinds.

        Returns
        -------
        DataFrame
            A subset of :attr:`ties`, keeping its positional index.

        Examples
        --------
        >>> import orgnet
        >>> net = orgnet.datasets.load("demo")
        >>> act = net.active_ties()
        >>> bool((act["end"].isna() | (act["end"] >= net.as_of)).all())
        True
        """
        when = self.resolve_as_of(as_of)
        t = self.ties
        mask = (t["start"].isna() | (t["start"] <= when)) & (t["end"].isna() | (t["end"] >= when))
        if kinds is not None:
            kinds = [kinds] if isinstance(kinds, str) else list(kinds)
            bad = [k for k in kinds if k not in schema.TIE_KINDS]
            if bad:
                raise OrgnetParameterError(
                    f"The 'kinds' parameter of active_ties must name tie kinds among "
                    f"{', '.join(schema.TIE_KINDS)}. Got {bad[0]!r} instead."
                )
            mask &= t["kind"].isin(kinds)
        return t[mask.to_numpy(dtype=bool)]

    # ------------------------------------------------------------ entities

    @cached_property
    def entity_kinds(self) -> pd.Series:
        """Node kind (``area``, ``organisation``, ``unit``, ``station``) of every entity id."""
        parts = [pd.Series(kind, index=self._tables[t].index.astype(object), dtype=object)
                 for t, kind in _NODE_KIND.items()]
        return pd.concat(parts).rename("kind")

    @cached_property
    def entity_areas(self) -> pd.Series:
        """The area each entity is located in, indexed by entity id.

        An area locates itself; an organisation its seated ``area``, else its
        unit's area; a unit or station its ``area``. None where unknown.

        >>> import orgnet
        >>> ea = orgnet.datasets.load("demo").entity_areas
        >>> ea["C11"], ea["OU05"] == ea["U05"]
        ('C11', True)
        """
        u_area = self.units["area"].astype(object)
        o = self.organisations
        o_area = o["area"].astype(object)
        o_area = o_area.where(o_area.notna(), o["unit"].astype(object).map(u_area))
        s = pd.concat([pd.Series(self.areas.index.to_numpy(dtype=object), index=self.areas.index.astype(object)),
                       o_area, u_area, self.stations["area"].astype(object)])
        s.index = s.index.astype(object)
        return s.astype(object).where(s.notna(), None).rename("area")

    # ------------------------------------------------------------ area tree

    @cached_property
    def leaf_areas(self) -> pd.DataFrame:
        """The areas with no child area (where residents are counted once).

        >>> import orgnet
        >>> int(orgnet.datasets.load("demo").leaf_areas["population"].sum())
        17153
        """
        a = self.areas
        return a[~a.index.isin(a["parent"].dropna().astype(object))]

    @cached_property
    def area_paths(self) -> pd.DataFrame:
        """Each area's ancestor (or itself) at every level.

        A DataFrame indexed by area id with one column per level
        (``city`` ... ``building``); a cell is empty when the area has no
        ancestor at that level (levels may be skipped) or lies above it.

        Notes
        -----
        Built by repeated joins with the parent column: O(depth × areas).

        Examples
        --------
        >>> import orgnet
        >>> net = orgnet.datasets.load("demo")
        >>> paths = net.area_paths
        >>> paths.loc[net.areas.index[net.areas["level"] == "grid"][0], "street"] in net.areas.index
        True
        """
        a = self.areas
        ids = a.index.to_numpy(dtype=object)
        out = pd.DataFrame(index=a.index, columns=list(schema.LEVELS), dtype=object)
        parent = a["parent"].astype(object)
        level = a["level"].astype(object)
        cur = pd.Series(ids, index=a.index, dtype=object)
        for _ in range(len(schema.LEVELS) + 1):
            has = cur.notna()
            if not has.any():
                break
            lv = cur[has].map(level)
            for name in schema.LEVELS:
                sel = lv.index[(lv == name).to_numpy()]
                if len(sel):
                    out.loc[sel, name] = cur[sel].to_numpy()
            cur = cur.map(parent).where(has, None)
            cur = cur.where(cur.notna(), None)
        return out.astype(object).where(out.notna(), None)

    @_params.validate_params(level=_params.Level())
    def ancestor(self, ids, level: str) -> pd.Series:
        """The area at ``level`` containing each given area (or itself).

        Parameters
        ----------
        ids : iterable of area ids, or a Series of area ids
        level : str
            One of ``city, district, street, community, grid, compound, building``.

        Returns
        -------
        Series
            Indexed like ``ids`` (a Series keeps its index), values the ancestor's
            id or None.

        Examples
        --------
        >>> import orgnet
        >>> net = orgnet.datasets.load("demo")
        >>> net.ancestor(["C11"], "street").tolist()
        ['S1']
        """
        s = ids if isinstance(ids, pd.Series) else pd.Series(list(ids), dtype=object)
        out = s.astype(object).map(self.area_paths[level])
        return out.astype(object).where(out.notna(), None).rename(level)

    @_params.validate_params(level=[_params.Level(), None], include_self=_params.Bool())
    def descendants(self, area: str, *, level: str | None = None, include_self: bool = False) -> pd.Index:
        """Ids of the areas inside ``area`` (at ``level`` when given).

        Examples
        --------
        >>> import orgnet
        >>> net = orgnet.datasets.load("demo")
        >>> len(net.descendants("D1", level="street"))
        2
        """
        if area not in self.areas.index:
            raise OrgnetParameterError(f"The 'area' parameter of descendants must be an area id. Got {area!r} instead.")
        lv = self.areas.at[area, "level"]
        paths = self.area_paths
        mask = (paths[lv] == area).to_numpy().copy()
        if not include_self:
            mask &= paths.index != area
        if level is not None:
            mask &= (self.areas["level"] == level).to_numpy()
        return paths.index[mask]

    # ------------------------------------------------------------ locations

    @cached_property
    def locations(self) -> pd.DataFrame:
        """Location of every entity, as DATA_FORMAT.md's "Locations" rules give it.

        Returns
        -------
        DataFrame
            Indexed by id (areas, organisations, units, stations, demands,
            resources), columns ``lon``, ``lat`` and ``source``: ``own`` (its
            own lon/lat), ``area`` (its area's centroid), ``unit`` (its unit's
            location), ``owner`` (its owner's location) or ``none``.

        Examples
        --------
        >>> import orgnet
        >>> loc = orgnet.datasets.load("demo").locations
        >>> set(loc["source"]) <= {"area", "none", "own", "owner", "unit"}
        True
        """
        a = self.areas
        area_ll = a[["lon", "lat"]]

        def own_or(df, fallback_ids, fallback_ll, label):
            own = df["lon"].notna() & df["lat"].notna() if "lon" in df else pd.Series(False, index=df.index)
            lon = df["lon"].where(own) if "lon" in df else pd.Series(np.nan, index=df.index)
            lat = df["lat"].where(own) if "lat" in df else pd.Series(np.nan, index=df.index)
            fb = fallback_ids.astype(object)
            flon = fb.map(fallback_ll["lon"]).astype("float64")
            flat = fb.map(fallback_ll["lat"]).astype("float64")
            lon = lon.where(own, flon)
            lat = lat.where(own, flat)
            src = np.where(own, "own", np.where(lon.notna() & lat.notna(), label, "none"))
            return pd.DataFrame({"lon": lon.astype("float64"), "lat": lat.astype("float64"), "source": src},
                                index=df.index)

        areas = own_or(a, pd.Series(None, index=a.index, dtype=object), area_ll, "area")
        units = own_or(self.units, self.units["area"], area_ll, "area")
        stations = own_or(self.stations, self.stations["area"], area_ll, "area")
        o = self.organisations
        by_unit = o["unit"].astype(object).map(units["lon"]).notna()
        org_unit = pd.DataFrame({"lon": o["unit"].astype(object).map(units["lon"]),
                                 "lat": o["unit"].astype(object).map(units["lat"])}, index=o.index)
        org_area = pd.DataFrame({"lon": o["area"].astype(object).map(area_ll["lon"]),
                                 "lat": o["area"].astype(object).map(area_ll["lat"])}, index=o.index)
        orgs = pd.DataFrame({
            "lon": org_unit["lon"].where(by_unit, org_area["lon"]).astype("float64"),
            "lat": org_unit["lat"].where(by_unit, org_area["lat"]).astype("float64"),
        }, index=o.index)
        orgs["source"] = np.where(by_unit, "unit", np.where(orgs["lon"].notna(), "area", "none"))
        base = pd.concat([areas, orgs, units, stations])
        dem = self.demands
        dlon = dem["owner"].astype(object).map(base["lon"]).astype("float64")
        dlat = dem["owner"].astype(object).map(base["lat"]).astype("float64")
        demands = pd.DataFrame({"lon": dlon, "lat": dlat,
                                "source": np.where(dlon.notna(), "owner", "none")}, index=dem.index)
        res = self.resources
        rown = res["lon"].notna() & res["lat"].notna()
        rlon = res["lon"].where(rown, res["owner"].astype(object).map(base["lon"])).astype("float64")
        rlat = res["lat"].where(rown, res["owner"].astype(object).map(base["lat"])).astype("float64")
        resources = pd.DataFrame({"lon": rlon, "lat": rlat,
                                  "source": np.where(rown, "own", np.where(rlon.notna(), "owner", "none"))},
                                 index=res.index)
        out = pd.concat([base, demands, resources])
        out.index.name = "id"
        return out

    # ------------------------------------------------------------ graphs

    @cached_property
    def graph(self):
        """The full typed network as a networkx ``MultiDiGraph`` (built once, cached).

        Nodes: every area, organisation, unit and station, with attribute
        ``kind`` and its table's non-empty columns. Edges (attribute
        ``kind``): ``contains`` (parent area → area), ``leads`` (parent
        organisation → organisation), ``located_in`` (unit, station or
        organisation → its area), ``belongs_to`` (unit-scoped organisation →
        its unit), and one edge per tie (source → target) with the tie's kind,
        ``start``, ``end``, ``count``, ``note`` and ``tie`` (its row position).
        With the activity layer, every event is a node of kind ``event`` (its
        columns as attributes) with edges ``convened`` (convener → event),
        ``chaired`` (chair → event) and ``attended`` (entity → event, with
        ``people`` and ``score``). People, cases and ratings are counts and
        records about nodes, not nodes.

        Notes
        -----
        Building it costs seconds for ~10^5 edges (networkx); whole-city
        analyses work on the tables instead and build subgraphs when needed.

        Examples
        --------
        >>> import orgnet
        >>> g = orgnet.datasets.load("demo").graph
        >>> sorted({d["kind"] for _, d in g.nodes(data=True)})
        ['area', 'event', 'organisation', 'station', 'unit']
        """
        import networkx as nx

        g = nx.MultiDiGraph(name=self.name or "")
        for table, kind in _NODE_KIND.items():
            g.add_nodes_from(_node_records(self._tables[table], kind))
        a = self.areas
        g.add_edges_from(_edges(a["parent"], a.index, "contains"))
        o = self.organisations
        g.add_edges_from(_edges(o["parent"], o.index, "leads"))
        g.add_edges_from(_edges(pd.Series(o.index, index=o.index), o["area"], "located_in"))
        g.add_edges_from(_edges(pd.Series(o.index, index=o.index), o["unit"], "belongs_to"))
        for t in ("units", "stations"):
            df = self._tables[t]
            g.add_edges_from(_edges(pd.Series(df.index, index=df.index), df["area"], "located_in"))
        ev = self.events
        if len(ev):
            # the event's own ``kind`` (meeting, activity...) is ``event_kind``: ``kind`` is the node kind
            g.add_nodes_from(_node_records(ev.rename(columns={"kind": "event_kind"}), "event"))
            g.add_edges_from(_edges(ev["convener"], ev.index, "convened"))
            g.add_edges_from(_edges(ev["chair"], ev.index, "chaired"))
            at = self.attendance
            extra = at[["people", "score"]].astype(object)
            extra = extra.where(extra.notna(), None).to_numpy()
            src, dst = at["entity"].astype(object).to_numpy(), at["event"].astype(object).to_numpy()
            g.add_edges_from((src[i], dst[i], {"kind": "attended",
                                               **{k: v for k, v in zip(("people", "score"), extra[i])
                                                  if v is not None}})
                             for i in range(len(at)))
        t = self.ties
        if len(t):
            attrs = t.drop(columns=["source", "target"]).astype(object)
            attrs = attrs.where(attrs.notna(), None)
            cols = list(attrs.columns)
            src = t["source"].astype(object).to_numpy()
            dst = t["target"].astype(object).to_numpy()
            vals = attrs.to_numpy()
            g.add_edges_from(
                (src[i], dst[i], {"tie": int(i), **{c: v for c, v in zip(cols, vals[i]) if v is not None}})
                for i in range(len(t))
            )
        return g

    @cached_property
    def area_tree(self):
        """The area hierarchy as a networkx ``DiGraph`` (parent → child), nodes with ``level``.

        >>> import orgnet, networkx as nx
        >>> nx.is_forest(orgnet.datasets.load("demo").area_tree)
        True
        """
        import networkx as nx

        a = self.areas
        g = nx.DiGraph()
        g.add_nodes_from((i, {"level": lv, "name": n}) for i, lv, n in
                         zip(a.index.astype(object), a["level"].astype(object), a["name"].astype(object)))
        g.add_edges_from(_edges(a["parent"], a.index, None))
        return g

    @cached_property
    def org_tree(self):
        """The organisation hierarchy (leading organisation → organisation) as a ``DiGraph``.

        >>> import orgnet, networkx as nx
        >>> nx.is_forest(orgnet.datasets.load("demo").org_tree)
        True
        """
        import networkx as nx

        o = self.organisations
        g = nx.DiGraph()
        g.add_nodes_from((i, {"form": f, "scope": s, "name": n}) for i, f, s, n in
                         zip(o.index.astype(object), o["form"].astype(object),
                             o["scope"].astype(object), o["name"].astype(object)))
        g.add_edges_from(_edges(o["parent"], o.index, None))
        return g

    # ------------------------------------------------------------ summary

    def summary(self) -> pd.DataFrame:
        """Counts per table and per kind (level, scope, type, tie kind).

        Examples
        --------
        >>> import orgnet
        >>> s = orgnet.datasets.load("demo").summary()
        >>> list(s.columns)
        ['table', 'group', 'count']
        >>> s[s["table"] == "areas"][["group", "count"]].values.tolist()
        [['', 59], ['district', 1], ['street', 2], ['community', 6], ['grid', 22], ['compound', 22], ['building', 6]]
        """
        rows = []
        by = {"areas": "level", "organisations": "scope", "units": "type",
              "stations": "type", "ties": "kind", "demands": "category",
              "resources": "category", "projects": "status", "people": "role", "events": "kind",
              "attendance": None, "cases": "category", "ratings": "scheme"}
        for t in schema.TABLE_ORDER:
            df = self._tables[t]
            rows.append((t, "", len(df)))
            if len(df) and by[t] is not None and by[t] in df:
                vc = df[by[t]].astype(object).fillna("(empty)").value_counts(sort=False)
                order = _vocab_order(t, by[t])
                keys = sorted(vc.index, key=lambda k: (order.get(k, len(order)), str(k)))
                rows += [(t, k, int(vc[k])) for k in keys]
        return pd.DataFrame(rows, columns=["table", "group", "count"])

    def __repr__(self) -> str:
        head = f"OrgNetwork {self.name!r}" if self.name else "OrgNetwork"
        lines = [f"{head} (as of {self.as_of:%Y-%m-%d})"]
        s = self.summary()
        for t in schema.TABLE_ORDER:
            part = s[s["table"] == t]
            total = int(part.iloc[0]["count"])
            if total == 0:
                continue
            groups = ", ".join(f"{g} {c}" for g, c in part.iloc[1:][["group", "count"]].itertuples(index=False))
            lines.append(f"  {t:<14}{total:>8}" + (f"  ({groups})" if groups else ""))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        s = self.summary()
        title = html.escape(f"OrgNetwork {self.name}" if self.name else "OrgNetwork")
        out = [f"<div><b>{title}</b> <span>as of {self.as_of:%Y-%m-%d}</span>",
               "<table><thead><tr><th>table</th><th>rows</th><th>by kind</th></tr></thead><tbody>"]
        for t in schema.TABLE_ORDER:
            part = s[s["table"] == t]
            total = int(part.iloc[0]["count"])
            groups = ", ".join(f"{html.escape(str(g))} {c}" for g, c in
                               part.iloc[1:][["group", "count"]].itertuples(index=False))
            out.append(f"<tr><td>{t}</td><td style='text-align:right'>{total}</td><td>{groups}</td></tr>")
        out.append("</tbody></table></div>")
        return "".join(out)


# ---------------------------------------------------------------- helpers


def _vocab_order(table, column):
    col = schema.TABLES[table].column(column)
    if col.vocab:
        return {v: i for i, v in enumerate(schema.VOCABULARIES[col.vocab].values)}
    return {}


def _node_records(df: pd.DataFrame, kind: str):
    if not len(df):
        return []
    vals = df.astype(object)
    vals = vals.where(vals.notna(), None)
    cols = list(vals.columns)
    ids = df.index.to_numpy(dtype=object)
    arr = vals.to_numpy()
    return [(ids[i], {"kind": kind, **{c: v for c, v in zip(cols, arr[i]) if v is not None}})
            for i in range(len(ids))]


def _edges(src: pd.Series, dst, kind):
    s = pd.Series(np.asarray(src, dtype=object), dtype=object)
    d = pd.Series(np.asarray(dst, dtype=object), dtype=object)
    keep = (s.notna() & d.notna()).to_numpy()
    attrs = {"kind": kind} if kind else {}
    return [(a, b, dict(attrs)) for a, b in zip(s[keep], d[keep])]
