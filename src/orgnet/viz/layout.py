"""Node positions computed in Python, so pages open without a physics simulation.

- :func:`tree_positions` — a tidy tree (leaves evenly spaced, parents centred
  over their children), drawn radially or top-down; O(n).
- :func:`graph_positions` — a seeded force layout (networkx
  Fruchterman–Reingold, started from positions drawn from
  ``orgnet._params.as_rng(seed)``) for small graphs; above :data:`SPRING_MAX` nodes a
  two-level layout: groups (e.g. communities) are laid out as one node each,
  then each group's members around its centre (a small force layout, or a
  sunflower disc for big groups, hubs in the middle). O(n + m) plus the small
  force layouts.
- :func:`normalise` — scale positions to a given median nearest-neighbour
  distance (canvas pixels).
- :func:`geo_positions` — longitude/latitude to local metres.

The same seed gives the same positions: every random draw comes from the one
``numpy.random.Generator`` that :func:`orgnet._params.as_rng` makes of it.
"""

from __future__ import annotations

import math

import numpy as np

from .._params import as_rng

__all__ = ["graph_positions", "tree_positions", "geo_positions", "normalise", "sunflower",
           "SPRING_MAX", "GROUP_SPRING_MAX"]

#: largest graph laid out with one force layout (networkx's dense solver below 500 nodes)
SPRING_MAX = 499
#: largest group laid out with a force layout inside the two-level layout
GROUP_SPRING_MAX = 80
_GOLDEN = math.pi * (3 - math.sqrt(5))


def sunflower(n: int) -> np.ndarray:
    """n points filling a disc of radius sqrt(n) evenly (Vogel's spiral), first at the centre.

    Examples
    --------
    Point k lies at radius sqrt(k + 0.5):

    >>> import numpy as np
    >>> np.hypot(*sunflower(3).T).round(3).tolist()
    [0.707, 1.225, 1.581]
    """
    if n <= 0:
        return np.zeros((0, 2))
    k = np.arange(n, dtype=float)
    r = np.sqrt(k + 0.5) if n > 1 else np.zeros(1)
    t = k * _GOLDEN
    return np.column_stack([r * np.cos(t), r * np.sin(t)])


def normalise(pos: np.ndarray, spacing: float = 40.0) -> np.ndarray:
    """Centre ``pos`` and scale it so the median nearest-neighbour distance is ``spacing``.

    Examples
    --------
    Points 0, 1 and 3 on a line: mean 4/3, nearest-neighbour distances 1, 1
    and 2 (median 1), so each offset from the mean is multiplied by 10:

    >>> normalise([[0, 0], [1, 0], [3, 0]], spacing=10).round(2).tolist()
    [[-13.33, 0.0], [-3.33, 0.0], [16.67, 0.0]]
    """
    pos = np.asarray(pos, dtype=float)
    if len(pos) == 0:
        return pos
    pos = pos - pos.mean(axis=0)
    if len(pos) == 1:
        return pos
    from scipy.spatial import cKDTree

    d, _ = cKDTree(pos).query(pos, k=2)
    nn = d[:, 1]
    nn = nn[nn > 1e-12]
    if len(nn) == 0:
        return pos
    return pos * (spacing / float(np.median(nn)))


def _spring(n, ei, ej, w, rng: np.random.Generator) -> np.ndarray:
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(zip(ei.tolist(), ej.tolist(), w.tolist()))
    if g.number_of_edges() == 0:
        return sunflower(n)
    start = rng.random((n, 2))
    # every node has a start position from ``rng``, so networkx draws nothing of its own
    # (its ``seed`` only fills positions that are missing; fixed here so the global state is untouched)
    pos = nx.spring_layout(g, pos=dict(enumerate(start)), seed=0, iterations=100 if n <= 200 else 50,
                           weight="weight")
    return np.array([pos[i] for i in range(n)], dtype=float)


def _quotient(g, ei, ej, w):
    gi, gj = g[ei], g[ej]
    cross = gi != gj
    a = np.minimum(gi[cross], gj[cross])
    b = np.maximum(gi[cross], gj[cross])
    if len(a) == 0:
        return a, b, w[cross]
    key = a.astype(np.int64) * (int(g.max()) + 1) + b
    uniq, inv = np.unique(key, return_inverse=True)
    ww = np.bincount(inv, weights=w[cross])
    return (uniq // (int(g.max()) + 1)).astype(np.int64), (uniq % (int(g.max()) + 1)).astype(np.int64), ww


def graph_positions(n: int, ei, ej, w=None, *, groups=(), seed=12345) -> np.ndarray:
    """Positions of ``n`` nodes joined by edges ``ei``–``ej`` (integer codes), unit spacing.

    ``groups`` is a sequence of integer code arrays (one code per node), finest
    first (e.g. community, then street): used above :data:`SPRING_MAX` nodes.
    ``seed`` is an integer or a ``numpy.random.Generator`` (:func:`orgnet._params.as_rng`).

    Examples
    --------
    >>> pos = graph_positions(3, [0, 1], [1, 2], seed=1)
    >>> pos.shape, bool((graph_positions(3, [0, 1], [1, 2], seed=1) == pos).all())
    ((3, 2), True)
    """
    rng = as_rng(seed)
    ei = np.asarray(ei, dtype=np.int64)
    ej = np.asarray(ej, dtype=np.int64)
    w = np.ones(len(ei)) if w is None else np.asarray(w, dtype=float)
    if n == 0:
        return np.zeros((0, 2))
    if n <= SPRING_MAX:
        return normalise(_spring(n, ei, ej, w, rng), 1.0)
    if not len(groups):
        # no grouping left: a sunflower ordered by degree (hubs in the middle)
        deg = np.bincount(np.concatenate([ei, ej]), minlength=n)
        order = np.argsort(-deg, kind="stable")
        pos = np.empty((n, 2))
        pos[order] = sunflower(n)
        return pos
    g = np.asarray(groups[0], dtype=np.int64)
    _, g = np.unique(g, return_inverse=True)
    k = int(g.max()) + 1
    if k == 1 or k == n:  # grouping does not split: use the next one
        return graph_positions(n, ei, ej, w, groups=groups[1:], seed=rng)
    first = np.unique(g, return_index=True)[1]
    sub = [np.asarray(h)[first] for h in groups[1:]]
    qa, qb, qw = _quotient(g, ei, ej, w)
    centres = graph_positions(k, qa, qb, qw, groups=sub, seed=rng)
    size = np.bincount(g, minlength=k).astype(float)
    radius = np.sqrt(size) + 0.5
    centres = normalise(centres, 1.0)
    # spread the centres so that neighbouring groups do not overlap
    if k > 1:
        from scipy.spatial import cKDTree

        kk = min(k, 7)
        d, idx = cKDTree(centres).query(centres, k=kk)
        need = (radius[:, None] + radius[idx[:, 1:]]) / np.maximum(d[:, 1:], 1e-9)
        scale = float(np.percentile(need, 90)) * 1.1
        centres = centres * max(scale, 1.0)
    deg = np.bincount(np.concatenate([ei, ej]), minlength=n)
    internal = g[ei] == g[ej]
    iei, iej, iw = ei[internal], ej[internal], w[internal]
    order = np.argsort(g, kind="stable")
    bounds = np.searchsorted(g[order], np.arange(k + 1))
    eorder = np.argsort(g[iei], kind="stable")
    ebounds = np.searchsorted(g[iei][eorder], np.arange(k + 1))
    pos = np.empty((n, 2))
    local_index = np.empty(n, dtype=np.int64)
    for c in range(k):
        members = order[bounds[c]:bounds[c + 1]]
        m = len(members)
        es = eorder[ebounds[c]:ebounds[c + 1]]
        if 2 < m <= GROUP_SPRING_MAX and len(es):
            local_index[members] = np.arange(m)
            loc = _spring(m, local_index[iei[es]], local_index[iej[es]], iw[es], rng)
            loc = loc - loc.mean(axis=0)
            span = np.abs(loc).max()
            loc = loc * (radius[c] / span if span > 0 else 1.0)
        else:
            members = members[np.argsort(-deg[members], kind="stable")]
            loc = sunflower(m)
        pos[members] = centres[c] + loc
    return pos


def tree_positions(parent: np.ndarray, *, radial: bool = True, order=None) -> np.ndarray:
    """Tidy tree positions (unit spacing between leaves) for a forest given as parent codes.

    ``parent[i]`` is the index of node i's parent, or -1 for a root. Children keep
    the order of ``order`` (default: index order). Radial: roots at the centre,
    depth d on a circle of radius proportional to d; top-down: depth is y.

    Examples
    --------
    A root over two leaves, top-down: the leaves at x 0 and 1, the root
    centred above them at x 0.5, the leaves' depth 2.5 below:

    >>> tree_positions([-1, 0, 0], radial=False).tolist()
    [[0.5, 0.0], [0.0, 2.5], [1.0, 2.5]]
    """
    parent = np.asarray(parent, dtype=np.int64)
    n = len(parent)
    if n == 0:
        return np.zeros((0, 2))
    seq = np.arange(n) if order is None else np.asarray(order, dtype=np.int64)
    children: list[list[int]] = [[] for _ in range(n + 1)]  # index n = virtual root
    for i in seq.tolist():
        p = int(parent[i])
        children[p if p >= 0 else n].append(i)
    # iterative DFS: leaf slots in visit order, depth
    depth = np.zeros(n + 1, dtype=np.int64)
    lo = np.zeros(n + 1)
    hi = np.zeros(n + 1)
    slot = 0
    stack = [(n, 0)]
    post = []
    while stack:
        v, i = stack.pop()
        kids = children[v]
        if i < len(kids):
            stack.append((v, i + 1))
            c = kids[i]
            depth[c] = depth[v] + 1
            stack.append((c, 0))
        else:
            if not kids:
                lo[v] = hi[v] = slot
                slot += 1
            else:
                lo[v] = lo[kids[0]]
                hi[v] = hi[kids[-1]]
            post.append(v)
    x = (lo[:n] + hi[:n]) / 2.0
    d = depth[:n] - 1  # roots at depth 0
    leaves = max(slot, 1)
    if not radial:
        gap = max(2.5, leaves / max(int(d.max()) + 1, 1) / 3.0)
        return np.column_stack([x, d * gap])
    dmax = max(int(d.max()), 1)
    # the outer ring holds every leaf at unit spacing; inner rings proportionally
    outer = max(leaves / (2 * math.pi), dmax * 1.5)
    single_root = len(children[n]) == 1
    ring = d if single_root else d + 1
    r = outer * ring / (dmax if single_root else dmax + 1)
    theta = 2 * math.pi * (x + 0.5) / leaves
    return np.column_stack([r * np.cos(theta), r * np.sin(theta)])


def geo_positions(lon, lat) -> np.ndarray:
    """Local equirectangular projection in metres (x east, y south: canvas y grows down).

    Examples
    --------
    0.01° of longitude at latitude 39.9° is 0.01 × cos(39.9°) × 111,320 m =
    854 m, centred on the mean:

    >>> geo_positions([116.0, 116.01], [39.9, 39.9])[:, 0].round(1).tolist()
    [-427.0, 427.0]
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = ~(np.isnan(lon) | np.isnan(lat))
    if not ok.any():
        return np.full((len(lon), 2), np.nan)
    lon0 = float(np.mean(lon[ok]))
    lat0 = float(np.mean(lat[ok]))
    x = (lon - lon0) * math.cos(math.radians(lat0)) * 111_320.0
    y = -(lat - lat0) * 110_574.0
    return np.column_stack([x, y])
