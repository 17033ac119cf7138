"""Benchmark harness: time orgnet's stages on a synthetic city.

    python benchmarks/run.py --preset lanzhou
    python benchmarks/run.py --preset large --output docs/performance.md

Stages, in order: ``generate`` (``orgnet.datasets.synthetic_city``), ``write
CSV`` (``orgnet.write_dataset``), ``pandas read_csv`` (the floor: plain
``pandas.read_csv`` of the same files), ``read + validate``
(``orgnet.read_dataset``), then every stage of :data:`STAGES`, a registry of
``(name, callable taking the network)`` — the graph build first; later
analyses add themselves there (``register("coverage")(lambda net: ...)``).

Method
------
Every run of every stage is a fresh Python process (``python run.py --_stage
...``), so no run profits from caches of another and each stage's memory is
its own. Time is the median over ``--repeat`` runs (default 3; 1 for
``large``) of the stage's wall-clock time, measured inside the process
around the stage alone (imports and loading the stage's input excluded).
Memory is the process's peak resident set size (``resource.getrusage(
RUSAGE_SELF).ru_maxrss``, read in the stage's process right after the stage;
the same figure the parent would read as ``RUSAGE_CHILDREN``): it includes
the interpreter, the imports and the stage's input (the network, unpickled,
for the stages that take one), which is reported separately as "input RSS"
(the peak before the stage began). The largest value over the runs is shown.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve()

#: analysis stages timed on the generated network: (name, callable taking the network)
STAGES: list[tuple[str, Callable]] = []


def register(name: str):
    """Add a stage to :data:`STAGES` (a decorator for a function of the network)."""

    def deco(fn):
        STAGES.append((name, fn))
        return fn

    return deco


@register("graph build (networkx MultiDiGraph)")
def _graph(net):
    return net.graph


# analyses (issues: coverage & vacuum, linkage & structure, sharing); each stage starts
# from a freshly loaded network, so cached views (area paths, locations) are counted
@register("coverage.unit_coverage")
def _unit_coverage(net):
    import orgnet

    return orgnet.coverage.unit_coverage(net)


@register("coverage.coverage_rates (every level, type, sector)")
def _rates(net):
    import warnings

    import orgnet

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        levels = [lv for lv in ("district", "street", "community", "grid") if (net.areas["level"] == lv).any()]
        return [orgnet.coverage.coverage_rates(net, by=b) for b in levels + ["type", "sector"]]


@register("vacuum.vacuum_areas")
def _vacuum(net):
    import orgnet

    return orgnet.vacuum.vacuum_areas(net)


@register("vacuum.suggest_stations (k=20)")
def _suggest(net):
    import orgnet

    return orgnet.vacuum.suggest_stations(net, 20)


@register("linkage.tie_strength")
def _strength(net):
    import orgnet

    return orgnet.linkage.tie_strength(net)


@register("linkage.linkage_index")
def _index(net):
    import orgnet

    return orgnet.linkage.linkage_index(net)


@register("structure.centrality (sampled betweenness, k=100)")
def _centrality(net):
    import orgnet

    return orgnet.structure.centrality(net)


@register("structure.islands + key_entities")
def _islands(net):
    import orgnet

    return orgnet.structure.islands(net), orgnet.structure.key_entities(net)


@register("sharing.match (max_distance_m=5000)")
def _match(net):
    import orgnet

    return orgnet.sharing.match(net, max_distance_m=5000)


@register("sharing.realised")
def _realised(net):
    import orgnet

    return orgnet.sharing.realised(net)


@register("report (offline HTML, max_distance_m=3000)")
def _report(net):
    import os
    import tempfile

    import orgnet

    path = os.path.join(tempfile.mkdtemp(), "report.html")
    orgnet.report(net, path, match_kwargs={"max_distance_m": 3000})
    return os.path.getsize(path)


@register("scorecard (community, equal weights)")
def _scorecard(net):
    import orgnet

    return orgnet.scorecard.scorecard(net, weights="equal", match_kwargs={"max_distance_m": 5000})


BUILTIN = ("generate", "write CSV", "pandas read_csv (floor)", "read + validate")


# ---------------------------------------------------------------- one stage (child process)


def _maxrss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def _child(stage: str, preset: str, seed: int, work: Path) -> dict:
    import pickle

    import pandas as pd

    import orgnet

    pkl, csv = work / "net.pkl", work / "csv"
    net = None
    if stage in ("write CSV",) or stage not in BUILTIN:
        with open(pkl, "rb") as fh:
            net = pickle.load(fh)
    base = _maxrss_mb()
    t0 = time.perf_counter()
    if stage == "generate":
        out = orgnet.datasets.synthetic_city(preset, seed=seed)
    elif stage == "write CSV":
        out = orgnet.write_dataset(net, csv)
    elif stage == "pandas read_csv (floor)":
        out = {f.stem: pd.read_csv(f) for f in sorted(csv.glob("*.csv"))}
    elif stage == "read + validate":
        out = orgnet.read_dataset(csv)
    else:
        fn = dict(STAGES)[stage]
        out = fn(net)
    seconds = time.perf_counter() - t0
    peak = _maxrss_mb()
    result = {"stage": stage, "seconds": seconds, "peak_mb": peak, "input_mb": base}
    if stage == "generate":
        result["rows"] = {t: len(df) for t, df in out.tables.items()}
        if not pkl.exists():
            with open(pkl, "wb") as fh:
                pickle.dump(out, fh, protocol=pickle.HIGHEST_PROTOCOL)
    if stage == "write CSV":
        result["csv_mb"] = sum(f.stat().st_size for f in csv.glob("*.csv")) / 2**20
    return result


# ---------------------------------------------------------------- parent


def _run_stage(stage, preset, seed, work, repeat, log) -> dict:
    runs = []
    for i in range(repeat):
        cmd = [sys.executable, str(HERE), "--_stage", stage, "--preset", preset, "--seed", str(seed),
               "--_work", str(work)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stderr)
            raise SystemExit(f"stage {stage!r} failed (exit {r.returncode})")
        res = json.loads(r.stdout.strip().splitlines()[-1])
        runs.append(res)
        log(f"  {stage}: run {i + 1}/{repeat}: {res['seconds']:.2f} s, peak {res['peak_mb']:.0f} MB")
    out = dict(runs[-1])
    out["seconds"] = statistics.median(r["seconds"] for r in runs)
    out["peak_mb"] = max(r["peak_mb"] for r in runs)
    out["input_mb"] = max(r["input_mb"] for r in runs)
    out["runs"] = repeat
    return out


def machine() -> dict:
    """The machine and software the figures were measured with."""
    import networkx
    import numpy
    import pandas

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = {}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            k, v = line.split(":", 1)
            if k in ("MemTotal", "MemAvailable"):
                mem[k] = int(v.split()[0]) / 2**20
    except OSError:
        pass
    return {
        "cpu": cpu, "cores": os.cpu_count(),
        "memory": f"{mem.get('MemTotal', float('nan')):.1f} GB total, "
                  f"{mem.get('MemAvailable', float('nan')):.1f} GB available",
        "os": platform.platform(),
        "python": platform.python_version(), "pandas": pandas.__version__,
        "numpy": numpy.__version__, "networkx": networkx.__version__,
    }


def markdown(preset: str, seed: int, results: list[dict], info: dict) -> str:
    rows = results[0].get("rows", {})
    csv_mb = next((r["csv_mb"] for r in results if "csv_mb" in r), None)
    floor = next((r["seconds"] for r in results if r["stage"] == "pandas read_csv (floor)"), None)
    lines = [
        f"### `{preset}` (seed {seed})",
        "",
        "Dataset: " + ", ".join(f"{n:,} {t}" for t, n in rows.items() if n)
        + (f"; {csv_mb:.1f} MB of CSV." if csv_mb is not None else "."),
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; {info['os']}; "
        f"Python {info['python']}, pandas {info['pandas']}, numpy {info['numpy']}, "
        f"networkx {info['networkx']}. Measured {time.strftime('%Y-%m-%d')}.",
        "",
        "| stage | median time (s) | runs | × pandas floor | peak RSS (MB) | input RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ratio = f"{r['seconds'] / floor:.1f}" if floor and r["stage"] != "generate" else ""
        lines.append(f"| {r['stage']} | {r['seconds']:.2f} | {r['runs']} | {ratio} | "
                     f"{r['peak_mb']:.0f} | {r['input_mb']:.0f} |")
    return "\n".join(lines) + "\n"


def update_doc(path: Path, preset: str, section: str) -> None:
    """Replace (or append) the preset's section of the performance page."""
    begin, end = f"<!-- BEGIN benchmark {preset} -->", f"<!-- END benchmark {preset} -->"
    block = f"{begin}\n{section}{end}\n"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.S)
    text = pattern.sub(lambda m: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", default="lanzhou", help="synthetic city preset (lanzhou, district, large)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=None, help="runs per stage (default 3; 1 for large)")
    ap.add_argument("--stages", help="comma-separated subset of stages to run after generate/write")
    ap.add_argument("--output", help="update this Markdown file's section for the preset (docs/performance.md)")
    ap.add_argument("--workdir", help="keep the generated files here (default: a temporary folder)")
    ap.add_argument("--_stage", help=argparse.SUPPRESS)
    ap.add_argument("--_work", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._stage:
        res = _child(args._stage, args.preset, args.seed, Path(args._work))
        print(json.dumps(res))
        return 0

    repeat = args.repeat or (1 if args.preset == "large" else 3)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    names = list(BUILTIN) + [n for n, _ in STAGES]
    if args.stages:
        wanted = [s.strip() for s in args.stages.split(",")]
        names = [n for n in names if n in BUILTIN[:2] or any(n.startswith(w) for w in wanted)]
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        results = []
        for stage in names:
            log(f"{stage} ...")
            results.append(_run_stage(stage, args.preset, args.seed, work, repeat, log))
        info = machine()
        section = markdown(args.preset, args.seed, results, info)
    print(section)
    if args.output:
        update_doc(Path(args.output), args.preset, section)
        log(f"updated {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
