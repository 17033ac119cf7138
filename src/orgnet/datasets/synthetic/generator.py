"""The generator: :func:`synthetic_city` runs the stages in order on one random stream each."""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from ..._params import Bool, Options, Seed, as_rng, validate_params
from . import (
    activity,
    areas,
    coverage_classes,
    lists,
    organisations,
    red_property,
    stations,
    ties,
    units,
)
from .parameters import SECTORS, UNIT_TYPES, resolve
from .presets import AS_OF, PRESETS

__all__ = ["synthetic_city", "City", "STREAMS"]

#: random streams spawned from the seed: 0 areas, 1 units, 2 coverage, 3 organisations,
#: 4 unit names, 5 stations, 6 ties, 7 lists, 8 two-way claiming, 11 the campaign (9, 10 unused);
#: the activity layer's :data:`.activity.STREAMS` (people, cases, ratings, meetings) are spawned after
#: them, and red property's :data:`.red_property.STREAMS` after those
STREAMS = 12


class _Progress:
    def __init__(self, on: bool, label: str):
        self.on = on
        self.label = label
        self.t0 = self.t = time.perf_counter()

    def __call__(self, what: str):
        if self.on:
            now = time.perf_counter()
            print(f"[synth {self.label}] {what} ({now - self.t:.1f} s, total {now - self.t0:.1f} s)",
                  file=sys.stderr, flush=True)
            self.t = now


class City:
    """The state of one generation run: parameters ``p``, the random streams ``rngs``, and what
    the stages (areas, units, coverage classes, organisations, stations, ties, lists) add.

    Arrays are indexed by position and named by entity: ``d_`` districts, ``s_`` streets,
    ``c_`` communities, ``g_`` grids, ``q_`` compounds, ``b_`` listed residential buildings,
    ``bb_`` business buildings, ``cl_`` clusters (business buildings, parks, markets), ``u_``
    units in ledger order (``u_comm``: the community position of each unit, ...), ``ids_*``
    and ``names_*`` their ids and names, ``org_*`` the organisation id of each area, unit or
    cluster. The class flags ``own``, ``joint``, ``work``, ``instr``, ``backstop``, ``none``
    are boolean per unit. The tables: ``area_df``, ``org_df``, ``st_df``, ``ties`` (blocks),
    ``dem_df``, ``res_df``, ``proj_df``.
    """

    def __init__(self, p: dict, rngs: list[np.random.Generator], act_rngs: list[np.random.Generator] = (),
                 red_rngs: list[np.random.Generator] = ()):
        self.p = p
        self.rngs = rngs
        self.act_rngs = list(act_rngs)
        self.red_rngs = list(red_rngs)
        self.ties: list[pd.DataFrame] = []

    def run(self, prog=lambda what: None) -> dict[str, pd.DataFrame]:
        """Every stage in order; the tables of the data format."""
        areas.build(self)
        prog(f"areas: {len(self.area_df):,}")
        units.build(self)
        prog(f"units: {self.nu:,}")
        coverage_classes.build(self)
        organisations.build(self)
        prog(f"organisations: {len(self.org_df):,}")
        stations.build(self)
        ties.build(self)
        prog(f"ties: {sum(len(t) for t in self.ties):,}")
        lists.build(self)
        prog(f"lists: {len(self.dem_df):,} demands, {len(self.res_df):,} resources, "
             f"{len(self.proj_df):,} projects")
        tie_df = pd.concat(self.ties, ignore_index=True)
        tie_df["count"] = tie_df["count"].astype("Int64")
        tables = dict(areas=self.area_df, organisations=self.org_df, units=self._unit_frame(),
                      stations=self.st_df, ties=tie_df, demands=self.dem_df, resources=self.res_df,
                      projects=self.proj_df)
        activity.build(self)  # reads the tables above, never changes them
        if self.people_df is not None:
            prog(f"activity: {len(self.people_df):,} people rows, {len(self.cases_df):,} cases")
            tables.update(people=self.people_df, cases=self.cases_df, ratings=self.ratings_df)
        if self.events_df is not None:
            prog(f"meetings: {len(self.events_df):,} events, {len(self.attendance_df):,} attendance rows")
            tables.update(events=self.events_df, attendance=self.attendance_df)
        if self.p["red_property"]:  # reads the tables above; adds ties, raises committees' party members
            red_property.build(self, tables, self.red_rngs[0])
            prog(f"red property: {len(tables['ties']):,} ties")
        return tables

    def _unit_frame(self) -> pd.DataFrame:
        return pd.DataFrame({
            "id": self.ids_u, "name": self.unit_names, "type": np.array(UNIT_TYPES, dtype=object)[self.u_utype],
            "sector": np.where(self.u_sector >= 0, np.array(SECTORS + ("",), dtype=object)[self.u_sector], None),
            "area": self.u_area_id, "employees": self.u_emp, "party_members": self.u_pmem,
            "lon": np.round(self.u_lon, 6), "lat": np.round(self.u_lat, 6),
        })


@validate_params(preset=Options(*PRESETS), seed=Seed(), progress=Bool())
def synthetic_city(preset: str = "lanzhou", *, seed=0, progress: bool = False, **overrides):
    """A synthetic city (or district) with every table of the data format.

    Parameters
    ----------
    preset : {"lanzhou", "district", "large"}, default "lanzhou"
        ``lanzhou``: 53 streets, 427 communities, 1,768 grids, calibrated on
        the Lanzhou and Weinan figures; ``district``: one district shaped like
        district A of Liaoning (9 streets, 70 communities); ``large``: a city
        of the largest Chinese scale (3,000 communities, 300,000 units, ~10^6
        ties) for scale tests. See :data:`PRESETS` and docs/synthetic.md.
    seed : int or numpy.random.Generator, default 0
        The seed, taken by :func:`orgnet._params.as_rng` (the one seed
        convention of orgnet). The same preset, seed and overrides give
        identical tables; another seed gives another city with the same
        calibration.
    progress : bool, default False
        Print stage progress to stderr.
    **overrides
        Any parameter of :data:`PARAMETERS` (e.g. ``units=5000``,
        ``campaign=True``, ``dormant_share=0.4``).

    Returns
    -------
    OrgNetwork
        Validated like a dataset read from files; ``as_of`` is 2025-06-30.
        Every table of the data format is filled (no ``events`` and
        ``attendance`` with ``meetings=False``; no activity-layer table
        with ``activity=False``).
        The generating parameters are in its ``synthetic`` attribute (a dict
        with ``preset``, ``seed`` (None when a Generator was given) and
        ``params``), which :func:`calibration` reads.

    Raises
    ------
    OrgnetParameterError
        An unknown preset or override name (the message lists the known
        ones), a value of the wrong kind, or counts that cannot be met
        together (e.g. more grid organisations than grids).

    See Also
    --------
    calibration : targets, source figures and achieved values.
    orgnet.write_dataset : write the city as CSV files or a workbook.

    Notes
    -----
    Every random stage draws from its own stream spawned from the seed's
    Generator (``as_rng(seed).spawn(12)``), so an override that changes one
    stage leaves the others unchanged; in particular ``campaign=True`` gives
    the same city with only the remediated compounds' flags changed. The
    activity layer (``people``, ``cases``, ``ratings``; knob ``activity``,
    default True; ``events`` and ``attendance`` unless ``meetings=False``)
    draws from four streams spawned after those and only reads the other
    tables: they are identical with ``activity=False``. Red property (knob
    ``red_property``, default False) draws from one more stream spawned after
    those: ``manages`` ties and three-party ``pairing`` ties are appended to
    ``ties`` and owners' committees' ``party_members`` raised; nothing else
    changes. Work is O(areas + units + ties), vectorised.

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.synthetic_city("district", seed=1)
    >>> int((net.areas["level"] == "street").sum()), len(net.projects)
    (9, 146)
    >>> after = orgnet.datasets.synthetic_city("district", seed=1, campaign=True)
    >>> after.units.equals(net.units)
    True
    >>> bare = orgnet.datasets.synthetic_city("district", seed=1, activity=False)
    >>> bare.ties.equals(net.ties), len(bare.people), int(net.people["count"].sum()) > 9000
    (True, 0, True)
    >>> red = orgnet.datasets.synthetic_city("district", seed=1, red_property=True)
    >>> red.areas.equals(net.areas), int((red.ties["kind"] == "manages").sum())
    (True, 1485)
    """
    from ...network import OrgNetwork

    p = resolve(preset, overrides)
    prog = _Progress(progress, preset)
    root = as_rng(seed)
    rngs = root.spawn(STREAMS)
    act_rngs = root.spawn(activity.STREAMS)  # spawned after: rngs unchanged
    red_rngs = root.spawn(red_property.STREAMS)  # spawned after both: neither changes
    tables = City(p, rngs, act_rngs, red_rngs).run(prog)
    net = OrgNetwork(**tables, name=p["name"], as_of=AS_OF)
    net.synthetic = {"preset": preset, "seed": seed if isinstance(seed, int) else None, "params": p}
    prog(f"validated: {len(net.areas):,} areas, {len(net.organisations):,} organisations, "
         f"{len(net.units):,} units, {len(net.ties):,} ties")
    return net
