"""Vacuum areas (真空/空白点/盲区): places no organisation, service or tie reaches,
and where new service stations would reach the most residents.

One module per question:

- :mod:`~orgnet.vacuum.places` — which places are a vacuum and why:
  :func:`vacuum_areas` (grids and compounds with a list of reasons),
  :func:`vacuum_summary` (counts and residents, each once, by reason per street
  or community), :func:`vacuum_leaf_population`, and the inputs the other
  questions share: :func:`service_circles` (each located station with its
  radius) and :func:`populated_leaves` (where residents are counted once);
- :mod:`~orgnet.vacuum.siting` — where new stations should stand:
  :func:`suggest_stations` (maximal covering: up to ``k`` new stations, at
  grids and communities by default, covering the most residents now unserved
  — the "ten-minute service circle", 1 km — stopping when a site adds nobody)
  and :func:`maximal_covering` (the same on plain coordinates);
- :mod:`~orgnet.vacuum.accessibility` — how much station supply each resident
  reaches: :func:`accessibility` (two-step floating catchment).

The measures themselves live on the lower floor, on plain arrays:
:func:`orgnet.algorithms.served`, :func:`orgnet.algorithms.coverage_matrix`,
:func:`orgnet.algorithms.maximal_covering` and
:func:`orgnet.algorithms.two_step_fca`.
"""

from . import places, siting  # noqa: F401  (the question modules, orgnet.vacuum.places ...)
from .accessibility import accessibility
from .places import (DEFAULT_RADIUS_M, REASONS, populated_leaves, reasons_of, service_circles, vacuum_areas,
                     vacuum_leaf_population, vacuum_summary)
from .siting import maximal_covering, suggest_stations

__all__ = [
    "REASONS",
    "reasons_of",
    "DEFAULT_RADIUS_M",
    "vacuum_areas",
    "vacuum_summary",
    "vacuum_leaf_population",
    "service_circles",
    "populated_leaves",
    "suggest_stations",
    "maximal_covering",
    "accessibility",
]
