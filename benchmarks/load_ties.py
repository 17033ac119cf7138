"""Time reading + validating a dataset with many ties (issue: foundation).

Writes a plain random dataset (communities, units, organisations and N ties) as
CSV, then times ``orgnet.read_dataset`` (median of several runs) beside the
pandas CSV read of the same files, which is the floor. The graph build is timed
separately since it is lazy.

    python benchmarks/load_ties.py --ties 100000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import orgnet


def make_tables(n_ties: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n_comm = max(10, n_ties // 100)
    n_units = max(50, n_ties // 4)
    comm = [f"C{i}" for i in range(n_comm)]
    areas = pd.DataFrame({"id": ["D0"] + comm, "name": ["区"] + [f"社区{i}" for i in range(n_comm)],
                          "level": ["district"] + ["community"] * n_comm, "parent": [None] + ["D0"] * n_comm})
    orgs = pd.DataFrame({"id": ["O0"] + [f"O{i + 1}" for i in range(n_comm)],
                         "name": ["区委"] + [f"社区党委{i}" for i in range(n_comm)],
                         "form": "committee", "scope": "territorial",
                         "parent": [None] + ["O0"] * n_comm, "area": ["D0"] + comm})
    units = pd.DataFrame({"id": [f"U{i}" for i in range(n_units)], "name": [f"单位{i}" for i in range(n_units)],
                          "type": rng.choice(["private_enterprise", "social_organisation", "agency"], n_units),
                          "area": rng.choice(comm, n_units),
                          "employees": rng.integers(1, 500, n_units), "party_members": rng.integers(0, 20, n_units)})
    start = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1800, n_ties), unit="D")
    ties = pd.DataFrame({"source": rng.choice(units["id"], n_ties),
                         "target": rng.choice(orgs["id"].iloc[1:], n_ties),
                         "kind": rng.choice(["co_building", "activity", "dual_report", "pairing"], n_ties),
                         "start": start.strftime("%Y-%m-%d"), "count": rng.integers(1, 20, n_ties)})
    return dict(areas=areas, organisations=orgs, units=units, ties=ties)


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ties", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "city"
        folder.mkdir()
        for name, df in make_tables(args.ties).items():
            df.to_csv(folder / f"{name}.csv", index=False)
        floor = median_time(lambda: [pd.read_csv(f) for f in folder.glob("*.csv")], args.repeat)
        ours = median_time(lambda: orgnet.read_dataset(folder), args.repeat)
        net = orgnet.read_dataset(folder)
        graph = median_time(lambda: net.__dict__.pop("graph", None) or net.graph, 1)
        print(f"ties={len(net.ties):,} units={len(net.units):,} areas={len(net.areas):,}")
        print(f"pandas read_csv (floor): {floor:.2f} s")
        print(f"orgnet read_dataset (read + validate): {ours:.2f} s")
        print(f"graph build (networkx MultiDiGraph): {graph:.2f} s")


if __name__ == "__main__":
    main()
