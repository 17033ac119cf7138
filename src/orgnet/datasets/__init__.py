"""Bundled datasets.

``available`` lists the datasets shipped inside the package; ``load(name)``
reads one as an :class:`~orgnet.OrgNetwork` and ``path(name)`` gives its folder.
``synthetic_city(preset, seed=...)`` generates a calibrated synthetic city
(``presets`` lists the presets) and ``calibration(net)`` compares it with its
targets. ``template_path(lang)`` gives the blank template workbook of the data
format, with English (``"en"``) or Chinese (``"zh"``) headers.

Examples
--------
>>> import orgnet
>>> orgnet.datasets.available
('demo',)
>>> net = orgnet.datasets.load("demo")
>>> net.name
'demo'
"""

from __future__ import annotations

from pathlib import Path

from ..errors import OrgnetParameterError

from .synthetic import PRESETS as _PRESETS
from .synthetic import calibration, synthetic_city
from .ledger_example import example_ledger_path
from .templates import template_path

__all__ = ["available", "load", "path", "synthetic_city", "calibration", "presets", "template_path", "example_ledger_path"]

#: names of the synthetic city presets (see :data:`orgnet.datasets.synthetic.PRESETS`)
presets: tuple[str, ...] = tuple(_PRESETS)

_HERE = Path(__file__).resolve().parent

#: names of the datasets shipped with orgnet
available: tuple[str, ...] = tuple(
    sorted(p.name for p in _HERE.iterdir() if p.is_dir() and (p / "areas.csv").exists())
)


def path(name: str = "demo") -> Path:
    """The folder holding bundled dataset ``name``.

    Examples
    --------
    >>> import orgnet
    >>> (orgnet.datasets.path("demo") / "areas.csv").exists()
    True
    >>> len(list(orgnet.datasets.path("demo").glob("*.csv")))  # one file per table
    13
    """
    if name not in available:
        raise OrgnetParameterError(
            f"The 'name' parameter of orgnet.datasets.load must be one of "
            f"{', '.join(repr(a) for a in available)}. Got {name!r} instead. "
            "For a synthetic city use orgnet.datasets.synthetic_city()."
        )
    return _HERE / name


def load(name: str = "demo", **kwargs):
    """Read bundled dataset ``name`` (see ``available``) as an OrgNetwork.

    Keyword arguments go to :func:`orgnet.read_dataset`.

    Examples
    --------
    >>> import orgnet
    >>> net = orgnet.datasets.load("demo")
    >>> len(net.areas), len(net.organisations), len(net.units), len(net.stations)
    (59, 45, 33, 6)
    """
    from ..io import read_dataset

    kwargs.setdefault("name", name)
    return read_dataset(path(name), **kwargs)
