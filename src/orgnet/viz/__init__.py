"""Rendering: interactive network views and charts (optional extra ``viz``).

- :func:`interactive` — a view of the network (``ties``, ``hierarchy``,
  ``coverage``, ``vacuum``, ``sharing``) as a pyvis ``Network`` that renders
  offline in Jupyter and as a file; :func:`to_html` writes one.
- :mod:`orgnet.viz.views` — one module per view, each with one builder
  ``build(net, *, when, focus, max_nodes, params, seed, options) -> ViewSpec``,
  registered in :data:`orgnet.viz.views.REGISTRY`.
- :mod:`orgnet.viz.plots` — matplotlib charts of the analyses' DataFrames;
  :func:`apply_cjk_font` gives a figure of your own the font they use (a CJK
  font that really draws Chinese, DejaVu Sans as the fallback), :func:`cjk_font`
  names it.
- :mod:`orgnet.viz.palette` — the colours and labels of both (Chinese labels of
  vocabulary values from :mod:`orgnet.schema`); :mod:`orgnet.viz.layout` — node
  positions computed in Python (seeded by :func:`orgnet._params.as_rng`).

pyvis, matplotlib and Jinja2 are imported only when a view or chart is drawn
(``pip install 'orgnet[viz]'``); importing this package needs none of them.
"""

from . import layout, palette, plots, views
from ._fonts import apply_cjk_font, cjk_font
from .interactive import interactive, to_html

__all__ = ["interactive", "to_html", "apply_cjk_font", "cjk_font", "plots", "views", "palette", "layout"]
