"""Rendering: interactive network views and charts (optional extra ``viz``).

- :func:`interactive` — a view of the network (``ties``, ``hierarchy``,
  ``coverage``, ``vacuum``) as a pyvis ``Network`` that renders offline in
  Jupyter and as a file; :func:`to_html` writes one.
- :mod:`orgnet.viz.plots` — matplotlib charts of the analyses' DataFrames.

pyvis, matplotlib and Jinja2 are imported only when a view or chart is drawn
(``pip install 'orgnet[viz]'``); importing this package needs none of them.
"""

from . import plots
from .interactive import interactive, to_html

__all__ = ["interactive", "to_html", "plots"]
