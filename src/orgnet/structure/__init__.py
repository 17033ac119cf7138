"""Structure: who holds the network together, who brokers, and what falls apart.

The "axis" (轴心) role of street and community committees, brokerage between
levels and sectors, structural holes, units no organisation reaches (孤岛),
entities whose loss would cut units or communities off, and the fragmentation
(碎片化) of each street's network:

- :func:`centrality` — degree, strength, betweenness and eigenvector centrality
  of organisations and units in the active tie network plus the organisation
  hierarchy, and the axis rank of each street and community committee;
- :func:`brokerage` — Gould–Fernandez brokerage roles by level, scope or type
  (:func:`brokerage_roles` on a plain edge list);
- :func:`constraint` — Burt's constraint, effective size and efficiency
  (:func:`structural_holes` on a plain edge list);
- :func:`islands` — units with no organisational path to any territorial organisation;
- :func:`key_entities` — articulation points weighted by the units they cut
  off, and entities whose loss leaves communities without a co-building partner;
- :func:`what_if_remove` — communities whose co-building partners change when
  given units or organisations disappear;
- :func:`fragmentation` — components, main-component share, density,
  modularity and core share per street (or any level) and for the whole network;
- :func:`core_periphery` — the Borgatti–Everett core of a plain networkx graph,
  exact for up to 20 nodes, a seeded local search with restarts above;
- :func:`projection` — communities linked by shared co-building partners
  (:func:`two_mode_projection` on a plain edge list).

Two graphs are used (see ``docs/structure.md``):

- the **tie network**: undirected, between the ends of the ties active at
  ``as_of`` (organisations, units, and areas when a tie names one), weighted by
  the pair strength of :func:`orgnet.linkage.tie_strength`; with
  ``hierarchy=True`` also each organisation ↔ its leading organisation and each
  unit organisation ↔ its unit (weight 1). Every organisation established by
  ``as_of`` and every unit is a node, isolated when it has no edge.
- the **relation graph** (islands, key entities): a unit ↔ its own
  organisation, active ties of every kind, organisation ↔ leading organisation.
  Location alone is not a relation.

:func:`tie_network` builds the tie network once (a :class:`TieNetwork` that
remembers the network, date and parameters it was built with); pass it as
``graph=`` to :func:`centrality`, :func:`constraint` and :func:`fragmentation`;
:func:`relation_network` does the same for the relation graph of :func:`islands`,
:func:`key_entities` and :func:`what_if_remove`.
The measures themselves are :mod:`orgnet.algorithms` functions on plain graphs
(``orgnet.algorithms.betweenness``, ``gould_fernandez``, ``constraint``, ...).

One module per question: ``centrality``, ``brokerage``, ``holes``,
``resilience`` (islands, key entities, what-if removal), ``cohesion``
(fragmentation, core–periphery) and ``projection``; ``graphs`` builds the two
graphs above from an OrgNetwork. As in networkx (``nx.bridges``), where a
function has its module's name the package attribute is the function:
``orgnet.structure.centrality(net)``; the module is
``importlib.import_module("orgnet.structure.centrality")``.
"""

from . import brokerage, centrality, cohesion, graphs, holes, projection, resilience  # noqa: F401
from .graphs import RelationNetwork, TieNetwork, relation_network, tie_network
from .centrality import centrality
from .brokerage import ROLES, brokerage_roles, brokerage
from .holes import structural_holes, constraint
from .resilience import islands, what_if_remove, key_entities
from .cohesion import CorePeriphery, core_periphery, fragmentation
from .projection import two_mode_projection, projection

__all__ = [
    'tie_network',
    'TieNetwork',
    'relation_network',
    'RelationNetwork',
    'centrality',
    'ROLES',
    'brokerage_roles',
    'brokerage',
    'structural_holes',
    'constraint',
    'islands',
    'what_if_remove',
    'key_entities',
    'CorePeriphery',
    'core_periphery',
    'fragmentation',
    'two_mode_projection',
    'projection',
]
