"""orgnet: typed network analysis of urban grassroots Party-building (城市基层党建).

Read ledgers kept in spreadsheets into one validated network of Party
organisations, areas, units, service stations and the co-building ties between
them, and ask where coverage is missing, how strong the links are, and which
places no organisation reaches.

Examples
--------
>>> import orgnet
>>> net = orgnet.datasets.load("demo")
>>> int((net.areas["level"] == "street").sum())
2
"""

from . import datasets, schema
from .errors import (
    OrgnetDataError,
    OrgnetError,
    OrgnetMissingDataError,
    OrgnetParameterError,
    OrgnetWarning,
    Problem,
)
from .io import read_dataset, to_node_link, write_dataset, write_graph
from .network import OrgNetwork
from . import compare, coverage, linkage, response, scorecard, sharing, staffing, structure, vacuum

from . import viz  # noqa: E402  (imports no optional package)
from .report import report  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "OrgNetwork",
    "coverage",
    "vacuum",
    "linkage",
    "structure",
    "sharing",
    "compare",
    "scorecard",
    "staffing",
    "response",
    "read_dataset",
    "write_dataset",
    "write_graph",
    "to_node_link",
    "datasets",
    "schema",
    "OrgnetError",
    "OrgnetDataError",
    "OrgnetParameterError",
    "OrgnetMissingDataError",
    "OrgnetWarning",
    "Problem",
    "viz",
    "report",
    "__version__",
]
