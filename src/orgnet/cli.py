"""The ``orgnet`` command line: ``orgnet validate | export | synth | report``.

Run it as ``orgnet COMMAND ...`` or ``python -m orgnet COMMAND ...``.

Every option value is checked before any work starts: encodings must be
known to Python (``--out-encoding`` must also be able to write Chinese text
in a form ``read_dataset`` reads back: utf-8-sig, utf-8, gb18030, gbk),
``--as-of`` must be a date, ``--max-nodes`` an integer >= 1,
``--max-distance-m`` a finite number > 0, ``--seed`` an integer >= 0,
``--set`` a known generator parameter, and the output path (``-o``) must
have a suffix the command writes and lie in a writable place.

Exit status
-----------
0
    Success.
1
    The dataset has data problems, printed one per line on standard error
    (table, row, column, value, message).
2
    A usage error (unknown option, bad value, unknown output suffix, an
    output path that cannot be written) or a file error (missing input,
    disk full, no permission); one ``error:`` line on standard error.
130
    Interrupted (Ctrl-C).
141
    Standard output was closed early, e.g. ``orgnet validate demo | head -1``
    (128 + SIGPIPE, as other Unix tools); the rest of the output is
    discarded quietly.

No traceback is shown in any of these cases.
"""

from __future__ import annotations

import argparse
import codecs
import difflib
import math
import os
import sys
import time
from pathlib import Path

from . import __version__
from ._atomic import check_writable
from .errors import OrgnetDataError, OrgnetError

__all__ = ["build_parser", "main"]

#: suffixes ``export`` writes as one graph file (anything else is a dataset)
GRAPH_SUFFIXES = (".graphml", ".gexf", ".json")
#: text an output encoding must write and read back unchanged
_CHINESE_PROBE = "id,name\n城市基层党建,示范区委\n"
#: exit status when standard output is closed early (128 + SIGPIPE)
EXIT_BROKEN_PIPE = 141


# ---------------------------------------------------------------- option types
# argparse calls these on the option text; an ArgumentTypeError becomes
# "orgnet CMD: error: argument OPTION: MESSAGE" and exit status 2.

def _input_encoding(text: str) -> str:
    """``--encoding``: a text encoding known to Python's codecs."""
    try:
        codecs.lookup(text)
        b"id".decode(text)  # bytes-to-bytes codecs (base64, hex) raise LookupError here
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"unknown text encoding {text!r}; use e.g. utf-8, gb18030 or gbk, "
            "or leave the option out to detect UTF-8 / GB18030"
        ) from None
    return text


def _output_encoding(text: str) -> str:
    """``--out-encoding``: an ASCII-compatible encoding that writes Chinese text."""
    accepted = "use utf-8-sig (the default, opens in Excel), utf-8 or gb18030"
    try:
        codecs.lookup(text)
        data = _CHINESE_PROBE.encode(text)
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown text encoding {text!r}; {accepted}") from None
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(f"{text!r} cannot write Chinese text; {accepted}") from None
    ascii_compatible = data.removeprefix(codecs.BOM_UTF8).startswith(b"id,")
    if not ascii_compatible or data.decode(text).lstrip("\ufeff") != _CHINESE_PROBE:
        raise argparse.ArgumentTypeError(
            f"{text!r} writes CSV files that orgnet and Excel do not read back (not ASCII-compatible); {accepted}"
        )
    return text


def _date(text: str) -> str:
    """``--as-of``: a date such as 2025-06-30."""
    import pandas as pd

    try:
        ts = pd.Timestamp(text)
    except (TypeError, ValueError):
        ts = pd.NaT
    if pd.isna(ts):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; give one as YYYY-MM-DD, e.g. 2025-06-30")
    return text


def _int_at_least(minimum: int, example: str):
    """An integer option ``>= minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected an integer >= {minimum} (e.g. {example}). Got {text!r} instead."
            )
        return value
    return parse


def _distance(text: str) -> float:
    """``--max-distance-m``: a finite number of metres > 0."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a distance in metres > 0 (e.g. 3000). Got {text!r} instead.")
    return value


def _override(text: str):
    """``--set KEY=VALUE``: a known generator parameter; VALUE is read as a
    Python literal when it is one (``units=5000``), as text otherwise."""
    import ast

    from .datasets.synthetic import PARAMETERS

    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE (e.g. --set units=5000). Got {text!r} instead.")
    if key not in PARAMETERS:
        close = difflib.get_close_matches(key, PARAMETERS, n=3)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
        raise argparse.ArgumentTypeError(
            f"unknown parameter {key!r}; {hint}known parameters: {', '.join(PARAMETERS)} (see docs/synthetic.md)"
        )
    try:
        parsed = ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        parsed = value.strip()
    return key, parsed


def _unwritable(err: OrgnetError) -> str:
    """check_writable's message, with what to do next when it does not say."""
    return str(err) if "; " in str(err) else f"{err}; choose another path"


def _output_path(file_suffixes: tuple[str, ...], choices: str):
    """An ``-o`` option: a file with one of ``file_suffixes``, or a folder.

    A path whose suffix is not in ``file_suffixes`` is a folder when it has
    no suffix, ends in a path separator, or is an existing folder; any
    other suffix is refused. The path must be writable (checked now, before
    any work).
    """
    def parse(text: str) -> Path:
        p = Path(text)
        is_file = p.suffix.lower() in file_suffixes
        if not is_file and p.suffix and not text.endswith(("/", os.sep)) and not p.is_dir():
            raise argparse.ArgumentTypeError(f"unknown output suffix {p.suffix!r} in {text!r}; give {choices}")
        try:
            return check_writable(p, folder=not is_file)
        except OrgnetError as err:
            raise argparse.ArgumentTypeError(_unwritable(err)) from None
    return parse


def _output_file(text: str) -> Path:
    """``report -o``: a file to write (checked now, before any work)."""
    try:
        return check_writable(text, folder=False)
    except OrgnetError as err:
        raise argparse.ArgumentTypeError(_unwritable(err)) from None


# ---------------------------------------------------------------- commands

def _load(path: str, encoding: str | None):
    """Read a dataset path, or a bundled dataset by name (``demo``)."""
    from .datasets import available, load
    from .io import read_dataset

    if not Path(path).exists():
        if path in available:
            return load(path, encoding=encoding)
        close = difflib.get_close_matches(path, available, n=1)
        if close:
            raise OrgnetError(f"No such file or folder: {path!r}. Did you mean the bundled dataset {close[0]!r}? "
                              f"(bundled: {', '.join(available)})")
    return read_dataset(path, encoding=encoding)


def _cmd_validate(args) -> int:
    net = _load(args.path, args.encoding)
    print(f"valid: {args.path}")
    print(repr(net))
    return 0


def _cmd_export(args) -> int:
    from .io import write_dataset, write_graph

    net = _load(args.path, args.encoding)
    out = args.output
    if out.suffix.lower() in GRAPH_SUFFIXES:
        write_graph(net, out)
    else:
        try:
            write_dataset(net, out, encoding=args.out_encoding)
        except UnicodeEncodeError as err:
            bad = err.object[err.start:err.end]
            raise OrgnetError(
                f"--out-encoding {args.out_encoding}: cannot write the character {bad!r} found in the data; "
                "use utf-8-sig (the default) or gb18030, which write every character"
            ) from None
    print(f"wrote {out}")
    return 0


def _cmd_synth(args) -> int:
    from .datasets.synthetic import PRESETS, synthetic_city
    from .io import write_dataset

    args.path = f"synthetic {args.preset}"  # named in data-error messages
    overrides = dict(args.set or [])
    if args.campaign:
        overrides["campaign"] = True
    params = dict(PRESETS.get(args.preset, {}), **overrides)
    units = params.get("units", 0)
    show = args.progress if args.progress is not None else isinstance(units, int) and units >= 100_000
    t0 = time.perf_counter()
    net = synthetic_city(args.preset, seed=args.seed, progress=show, **overrides)
    out = args.output
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
    """The argument parser of the ``orgnet`` command (``prog`` is always "orgnet")."""
    p = argparse.ArgumentParser(
        prog="orgnet",
        description="Analyse urban grassroots Party-building networks (城市基层党建).",
    )
    p.add_argument("--version", action="version", version=f"orgnet {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    encoding_help = "force the input CSV encoding, e.g. gbk (default: detect UTF-8 / GB18030)"

    v = sub.add_parser("validate", help="check a dataset and print its summary or every problem")
    v.add_argument("path", help="a folder of CSV files, an .xlsx workbook, or a bundled dataset name (demo)")
    v.add_argument("--encoding", type=_input_encoding, help=encoding_help)
    v.set_defaults(func=_cmd_validate)

    e = sub.add_parser("export", help="write the dataset (CSV folder, .xlsx) or its graph (.graphml, .gexf, .json)")
    e.add_argument("path", help="input dataset (folder, .xlsx or bundled name)")
    e.add_argument("-o", "--output", required=True,
                   type=_output_path((".xlsx",) + GRAPH_SUFFIXES,
                                     "a path ending in .xlsx, .graphml, .gexf or .json, "
                                     "or a folder name without suffix for CSV files"),
                   help="output path: .xlsx (workbook), .graphml / .gexf / .json (graph), "
                        "or a folder name without suffix (CSV files)")
    e.add_argument("--encoding", type=_input_encoding, help=encoding_help)
    e.add_argument("--out-encoding", type=_output_encoding, default="utf-8-sig",
                   help="CSV encoding to write: utf-8-sig (default, opens in Excel), utf-8 or gb18030")
    e.set_defaults(func=_cmd_export)

    from .datasets.synthetic import PRESETS

    y = sub.add_parser("synth", help="generate a synthetic city and write it (CSV folder or .xlsx)")
    y.add_argument("--preset", default="lanzhou", choices=list(PRESETS),
                   help="lanzhou (calibrated city), district (Liaoning district A), large (scale tests)")
    y.add_argument("--seed", type=_int_at_least(0, "--seed 0"), default=0,
                   help="random seed, an integer >= 0 (default 0)")
    y.add_argument("-o", "--output", required=True,
                   type=_output_path((".xlsx",), "a path ending in .xlsx, or a folder name without suffix "
                                                 "for CSV files"),
                   help="output folder of CSV files, or a path ending in .xlsx for one workbook")
    y.add_argument("--campaign", action="store_true", help="the same city after a three-no campaign")
    y.add_argument("--set", action="append", metavar="KEY=VALUE", type=_override,
                   help="override a generator parameter (repeatable), e.g. --set units=5000")
    y.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="show stage progress on stderr (default: on for presets of 100,000+ units)")
    y.add_argument("--no-progress", dest="progress", action="store_false")
    y.set_defaults(func=_cmd_synth)

    r = sub.add_parser("report", help="write one offline HTML report: tables, charts and interactive views")
    r.add_argument("path", help="input dataset (folder, .xlsx or bundled name such as demo)")
    r.add_argument("-o", "--output", default="report.html", type=_output_file,
                   help="HTML file to write (default report.html)")
    r.add_argument("--as-of", type=_date,
                   help="reference date YYYY-MM-DD of every analysis (default: the latest date in the data)")
    r.add_argument("--max-nodes", type=_int_at_least(1, "--max-nodes 5000"), default=5000,
                   help="node limit of each interactive view; larger views are aggregated (default 5000)")
    r.add_argument("--max-distance-m", type=_distance,
                   help="longest distance a resource serves a demand in the sharing match (needed for large cities)")
    r.add_argument("--encoding", type=_input_encoding, help=encoding_help)
    r.add_argument("--quiet", action="store_true", help="no progress bar on standard error")
    r.set_defaults(func=_cmd_report)
    return p


def _os_error_message(err: OSError) -> str:
    """One line for a file-system error: the path, the reason, what to check."""
    where = f" {err.filename!r}" if err.filename else ""
    reason = err.strerror or str(err)
    return f"cannot read or write{where}: {reason}; check the path, the free disk space and the permissions"


def _run(argv: list[str] | None) -> int:
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
    except BrokenPipeError:
        raise  # handled in main()
    except OSError as err:  # disk full, permission, a path that vanished meanwhile
        print(f"error: {_os_error_message(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("interrupted", file=sys.stderr)
        return 130


def _discard_stdout() -> None:
    """Point standard output at the null device, so the final flush at exit
    does not fail again on a closed pipe."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # replaced by a non-file (tests); nothing to redirect
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def main(argv: list[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name (default ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 success, 1 data problems, 2 usage or file error,
        130 interrupted, 141 standard output closed early (see the module
        docstring). Usage errors found by argparse exit 2 via ``SystemExit``.
    """
    try:
        try:
            return _run(argv)
        finally:  # flush here, inside the guard, not at interpreter exit
            sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        _discard_stdout()
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
