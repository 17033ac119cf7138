"""The manifest of a dataset folder written by :func:`orgnet.write_dataset`.

``orgnet_manifest.json`` is written last, inside the folder that is then moved
into place whole; it lists every table file with its number of data rows.
:func:`orgnet.read_dataset` checks a folder that has one: a missing or
truncated file, or a table file the manifest does not list, is an error
rather than a smaller network.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import schema
from ..errors import OrgnetError

MANIFEST = "orgnet_manifest.json"
FORMAT = "orgnet-dataset"
VERSION = 1


def build(tables: dict[str, int], *, encoding: str, orgnet_version: str) -> dict:
    return {"format": FORMAT, "version": VERSION, "written_by": f"orgnet {orgnet_version}",
            "encoding": encoding, "text_guard": "'",
            "tables": {t: {"file": f"{t}.csv", "rows": int(n)} for t, n in tables.items()}}


def read(folder: Path) -> dict | None:
    """The folder's manifest, or None when it has none (a folder kept by hand)."""
    p = folder / MANIFEST
    if not p.exists():
        return None
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        ok = (data.get("format") == FORMAT and isinstance(data.get("tables"), dict)
              and all(isinstance(v, dict) and isinstance(v.get("rows"), int) and isinstance(v.get("file"), str)
                      for v in data["tables"].values()))
    except (ValueError, UnicodeDecodeError, AttributeError) as err:
        raise OrgnetError(f"{str(p)!r} is damaged ({err}); the folder was not written completely. "
                          f"Write it again, or delete {MANIFEST} to read the CSV files as they are") from err
    if not ok or data.get("version", 0) > VERSION:
        raise OrgnetError(f"{str(p)!r} is not a manifest this orgnet can read; "
                          f"delete it to read the CSV files as they are")
    return data


def check(folder: Path, manifest: dict, found: dict[str, tuple[str, int]]) -> None:
    """Compare the files found ({table: (file name, data rows)}) with the manifest."""
    listed = manifest["tables"]
    advice = (f"the folder was not written completely, or was changed after orgnet wrote it. "
              f"Write it again; if you edited the files on purpose, delete {MANIFEST} "
              "to read them as they are now")
    issues = []
    for t, entry in listed.items():
        if t not in found:
            issues.append(f"{entry['file']} is listed with {entry['rows']:,} rows but is missing")
        elif found[t][1] != entry["rows"]:
            issues.append(f"{found[t][0]} has {found[t][1]:,} data rows; the manifest says {entry['rows']:,}")
    for t, (fname, _) in found.items():
        if t not in listed:
            issues.append(f"{fname} is not listed (a table left from an earlier write?)")
    if issues:
        raise OrgnetError(f"{str(folder)!r} does not match its {MANIFEST}: " + "; ".join(issues) + f" — {advice}")


def is_table_file(name: str) -> bool:
    p = Path(name)
    return p.suffix.lower() == ".csv" and schema.table_for_name(p.stem) is not None
