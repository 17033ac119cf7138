"""Reading and writing datasets, and exporting the network graph.

A dataset is a folder of CSV files or one Excel workbook with one sheet per
table (DATA_FORMAT.md). Readers and writers come in pairs:
:func:`read_dataset` / :func:`write_dataset`; the graph is exported with
:func:`write_graph` (GraphML, GEXF or node-link JSON) or :func:`to_node_link`.
Every write is atomic (:mod:`orgnet._atomic`).
"""

from .graph import to_node_link, write_graph
from .read import detect_encoding, read_dataset
from .write import write_dataset

__all__ = ["read_dataset", "write_dataset", "write_graph", "to_node_link", "detect_encoding"]
