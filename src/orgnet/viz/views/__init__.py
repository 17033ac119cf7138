"""The interactive views, one module each behind one builder signature.

Every view module exposes ``build(net, *, when, focus, max_nodes, params, seed,
options) -> ViewSpec`` and registers itself as a :class:`~.spec.View`
(``VIEW``); :data:`REGISTRY` maps each view's name to it, in the order the
report shows them. :func:`orgnet.viz.interactive` dispatches through it.

- ``when``: the resolved as-of date; ``focus``: a :class:`~.spec.Focus`
  (:func:`~.spec.resolve_focus`); ``max_nodes``: above this many nodes the view
  aggregates; ``params``: keyword arguments of the view's analysis; ``seed``:
  the layout seed (:func:`orgnet._params.as_rng`); ``options``: a
  :class:`~.spec.ViewOptions` (tree layout, results already computed).

>>> list(REGISTRY)
['ties', 'hierarchy', 'coverage', 'vacuum', 'sharing', 'staffing', 'response']
>>> REGISTRY["ties"].analysis
'orgnet.linkage'
"""

from __future__ import annotations

from . import coverage, hierarchy, response, sharing, spec, staffing, ties, vacuum
from .spec import Focus, View, ViewOptions, ViewSpec, resolve_focus

__all__ = ["REGISTRY", "View", "ViewSpec", "ViewOptions", "Focus", "resolve_focus",
           "ties", "hierarchy", "coverage", "vacuum", "sharing", "staffing", "response", "spec"]

#: every view, by name
REGISTRY: dict[str, View] = {m.VIEW.name: m.VIEW for m in (ties, hierarchy, coverage, vacuum, sharing, staffing,
                                                             response)}
