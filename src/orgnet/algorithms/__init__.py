"""The lower floor: every measure orgnet computes, on plain inputs.

Functions take a networkx graph (or arrays, for the spatial and matching
measures) in the networkx manner — ``f(G, *, weight=None, seed=0)`` — so a
measure can be checked on a graph one knows (Zachary's karate club, Padgett's
Florentine families, Davis' southern women) against networkx, igraph or
UCINET. The domain modules (:mod:`orgnet.coverage`, :mod:`orgnet.structure`,
...) build these inputs from an :class:`~orgnet.OrgNetwork`, call them and
return documented DataFrames.

One module per family of measures:

- :mod:`~orgnet.algorithms.centrality` — degree, strength, betweenness (exact
  and sampled), closeness, eigenvector;
- :mod:`~orgnet.algorithms.brokerage` — Gould–Fernandez brokerage over any partition;
- :mod:`~orgnet.algorithms.holes` — Burt's constraint, effective size, efficiency;
- :mod:`~orgnet.algorithms.cohesion` — modularity of any partition, Borgatti–Everett core–periphery;
- :mod:`~orgnet.algorithms.resilience` — nodes cut off from a set of anchors,
  articulation-based key nodes, what-if removal;
- :mod:`~orgnet.algorithms.projection` — two-mode (bipartite) projection;
- :mod:`~orgnet.algorithms.covering` — maximal covering location on coordinates;
- :mod:`~orgnet.algorithms.accessibility` — two-step floating catchment (2SFCA,
  gravity, Gaussian/E2SFCA decay);
- :mod:`~orgnet.algorithms.transport` — the two-phase transportation match on arrays;
- :mod:`~orgnet.algorithms.inequality` — Gini coefficient and Lorenz curve.
"""

from . import (accessibility, brokerage, centrality, cohesion, covering, holes, inequality, projection,
               resilience, transport)
from .accessibility import *  # noqa: F401,F403
from .brokerage import *  # noqa: F401,F403
from .centrality import *  # noqa: F401,F403
from .cohesion import *  # noqa: F401,F403
from .covering import *  # noqa: F401,F403
from .holes import *  # noqa: F401,F403
from .inequality import *  # noqa: F401,F403
from .projection import *  # noqa: F401,F403
from .resilience import *  # noqa: F401,F403
from .transport import *  # noqa: F401,F403

__all__ = [name for m in (centrality, brokerage, holes, cohesion, resilience, projection, covering,
                          accessibility, transport, inequality) for name in m.__all__]
