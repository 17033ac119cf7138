"""The ``orgnet`` command line: ``orgnet validate | export | synth | report``.

Data problems are printed one per line (table, row, column, value, message)
and exit with status 1; usage and file errors exit with status 2. No
traceback is shown for either.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .errors import OrgnetDataError, OrgnetError

__all__ = ["main"]


def _load(path: str, encoding: str | None):
    from .datasets import available, load
    from .io import read_dataset

    if not Path(path).exists() and path in available:
        return load(path)
    return read_dataset(path, encoding=encoding)


def _cmd_validate(args) -> int:
    net = _load(args.path, args.encoding)
    print(f"valid: {args.path}")
    print(repr(net))
    return 0


def _cmd_export(args) -> int:
    from .io import write_dataset, write_graph

    net = _load(args.path, args.encoding)
    out = Path(args.output)
    if out.suffix.lower() in (".graphml", ".gexf", ".json"):
        write_graph(net, out)
    else:
        write_dataset(net, out, encoding=args.out_encoding)
    print(f"wrote {out}")
    return 0


def _parse_override(text: str):
    """``KEY=VALUE`` with VALUE read as a Python literal when it is one (``units=5000``)."""
    import ast

    from .errors import OrgnetParameterError

    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise OrgnetParameterError(f"--set expects KEY=VALUE (e.g. --set units=5000). Got {text!r} instead.")
    try:
        parsed = ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        parsed = value.strip()
    return key.strip(), parsed


def _cmd_synth(args) -> int:
    from .datasets.synthetic import PRESETS, synthetic_city
    from .io import write_dataset

    args.path = f"synthetic {args.preset}"  # named in data-error messages
    overrides = dict(_parse_override(s) for s in args.set or [])
    if args.campaign:
        overrides["campaign"] = True
    params = dict(PRESETS.get(args.preset, {}), **overrides)
    show = args.progress if args.progress is not None else params.get("units", 0) >= 100_000
    t0 = time.perf_counter()
    net = synthetic_city(args.preset, seed=args.seed, progress=show, **overrides)
    out = Path(args.output)
    if show:
        print(f"[synth {args.preset}] writing {out} ...", file=sys.stderr, flush=True)
    write_dataset(net, out)
    if show:
        print(f"[synth {args.preset}] done in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    print(f"wrote {out}")
    print(repr(net))
    return 0


def _cmd_report(args) -> int:
    from .report import report

    net = _load(args.path, args.encoding)
    match_kwargs = {"max_distance_m": args.max_distance_m} if args.max_distance_m is not None else None
    out = report(net, args.output, as_of=args.as_of, max_nodes=args.max_nodes, match_kwargs=match_kwargs,
                 progress=not args.quiet)
    print(f"wrote {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="orgnet",
        description="Analyse urban grassroots Party-building networks (城市基层党建).",
    )
    p.add_argument("--version", action="version", version=f"orgnet {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    v = sub.add_parser("validate", help="check a dataset and print its summary or every problem")
    v.add_argument("path", help="a folder of CSV files, an .xlsx workbook, or a bundled dataset name (demo)")
    v.add_argument("--encoding", help="force the CSV encoding (default: detect UTF-8 / GB18030)")
    v.set_defaults(func=_cmd_validate)

    e = sub.add_parser("export", help="write the dataset (CSV folder, .xlsx) or its graph (.graphml, .gexf, .json)")
    e.add_argument("path", help="input dataset (folder, .xlsx or bundled name)")
    e.add_argument("-o", "--output", required=True, help="output path; the suffix picks the format")
    e.add_argument("--encoding", help="force the input CSV encoding")
    e.add_argument("--out-encoding", default="utf-8-sig", help="CSV encoding to write (default utf-8-sig)")
    e.set_defaults(func=_cmd_export)

    from .datasets.synthetic import PRESETS

    y = sub.add_parser("synth", help="generate a synthetic city and write it (CSV folder or .xlsx)")
    y.add_argument("--preset", default="lanzhou", choices=list(PRESETS),
                   help="lanzhou (calibrated city), district (Liaoning district A), large (scale tests)")
    y.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    y.add_argument("-o", "--output", required=True,
                   help="output folder of CSV files, or a path ending in .xlsx for one workbook")
    y.add_argument("--campaign", action="store_true", help="the same city after a three-no campaign")
    y.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="override a generator parameter (repeatable), e.g. --set units=5000")
    y.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="show stage progress on stderr (default: on for presets of 100,000+ units)")
    y.add_argument("--no-progress", dest="progress", action="store_false")
    y.set_defaults(func=_cmd_synth)

    r = sub.add_parser("report", help="write one offline HTML report: tables, charts and interactive views")
    r.add_argument("path", help="input dataset (folder, .xlsx or bundled name such as demo)")
    r.add_argument("-o", "--output", default="report.html", help="HTML file to write (default report.html)")
    r.add_argument("--as-of", help="reference date of every analysis (default: the latest date in the data)")
    r.add_argument("--max-nodes", type=int, default=5000,
                   help="node limit of each interactive view; larger views are aggregated (default 5000)")
    r.add_argument("--max-distance-m", type=float,
                   help="longest distance a resource serves a demand in the sharing match (needed for large cities)")
    r.add_argument("--encoding", help="force the input CSV encoding")
    r.add_argument("--quiet", action="store_true", help="no progress bar on standard error")
    r.set_defaults(func=_cmd_report)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except OrgnetDataError as err:
        n = len(err.problems)
        print(f"invalid: {args.path}: {n} problem{'s' if n != 1 else ''}", file=sys.stderr)
        for prob in err.problems:
            value = "" if prob.value is None else f" [value {prob.value!r}]"
            print(f"{prob}{value}", file=sys.stderr)
        return 1
    except OrgnetError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
