"""The ``orgnet`` command line: ``orgnet validate | export`` (more as analyses land).

Data problems are printed one per line (table, row, column, value, message)
and exit with status 1; usage and file errors exit with status 2. No
traceback is shown for either.
"""

from __future__ import annotations

import argparse
import sys
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
