"""Stage 3, coverage classes: which units are covered, how, and by whom reached.

Exactly ``org_coverage × n`` units of each type are organisationally covered
(a score rising with size and members, a per-street effect and Gumbel noise:
weighted sampling without replacement; the size rule forces large ones in);
own organisations by quota (``own_rate``, ``emerging_orgs``), the others
joint; of the uncovered, ``work_coverage`` reached by party work, exactly
``instructors`` of them (then jointly covered units) by an instructor.
Draws from stream 2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .draws import top_k
from .parameters import UNIT_TYPES, need
from .units import TYPE

if TYPE_CHECKING:
    from .generator import City

__all__ = ["build"]


def build(c: City) -> None:
    """Fill ``c.own``, ``c.joint``, ``c.work``, ``c.instr``, ``c.backstop``, ``c.none``, ``c.cl_has_org``."""
    rng = c.rngs[2]
    s_eff = rng.normal(0, c.p["street_effect"], c.ns)
    covered = _org_covered(c, rng, s_eff)
    n_sec = _sector_clusters(c, rng, covered)
    own = _own(c, rng, covered, n_sec)
    c.u_pmem = np.where(own, np.maximum(c.u_pmem, 3), c.u_pmem)  # a branch needs three formal members
    joint = covered & ~own
    work = _work(c, rng, covered, s_eff)
    instr = _instructors(c, rng, work, joint)
    c.own, c.joint, c.work, c.instr = own, joint, work, instr
    c.backstop = work & ~instr
    c.none = ~covered & ~work


def _org_covered(c, rng, s_eff) -> np.ndarray:
    p, ut, emp, pm = c.p, c.u_utype, c.u_emp, c.u_pmem
    big = np.zeros(c.nu, dtype=bool)
    if p["size_rule"]:
        big = ((ut == TYPE["private_enterprise"]) & (emp >= p["size_rule_enterprise"])) | (
            (ut == TYPE["social_organisation"]) & (emp >= p["size_rule_social"]))
    score = (0.6 * np.log(emp) + 0.5 * np.log1p(pm) + s_eff[c.u_street]
             + 0.5 * (c.u_cluster >= 0) + rng.gumbel(size=c.nu) + 1e6 * big)
    covered = np.zeros(c.nu, dtype=bool)
    for t, typ in enumerate(UNIT_TYPES):
        idx = np.flatnonzero(ut == t)
        covered[idx[top_k(score[idx], int(round(p["org_coverage"][typ] * len(idx))))]] = True
    return covered


def _sector_clusters(c, rng, covered) -> int:
    """Clusters with a sector organisation: among those holding covered units."""
    cov_cl = np.bincount(c.u_cluster[covered & (c.u_cluster >= 0)], minlength=c.ncl)
    cand = np.flatnonzero(cov_cl > 0)
    n_sec = min(len(cand), int(round(c.p["sector_org_share"] * c.ncl)))
    cl_score = np.log1p(cov_cl[cand]) + rng.gumbel(size=len(cand))
    c.cl_has_org = np.zeros(c.ncl, dtype=bool)
    c.cl_has_org[cand[top_k(cl_score, n_sec)]] = True
    return n_sec


def _own(c, rng, covered, n_sec) -> np.ndarray:
    """Units with their own organisation: ``emerging_orgs`` quota first, then ``own_rate`` per type."""
    p, ut = c.p, c.u_utype
    own = np.zeros(c.nu, dtype=bool)
    own_score = 1.5 * np.log1p(c.u_pmem) + 0.3 * np.log(c.u_emp) + rng.gumbel(size=c.nu)
    in_sector = c.u_sector >= 0
    fixed = p["emerging_orgs"] is not None
    if fixed:
        q = int(p["emerging_orgs"]) - n_sec
        pool = np.flatnonzero(covered & in_sector)
        need(0 <= q <= len(pool), "emerging_orgs",
             f"between the {n_sec:,} sector organisations and {n_sec + len(pool):,} "
             f"(sector organisations + covered sector units)", p["emerging_orgs"],
             "Change sector_units, sector_org_share or org_coverage, or set emerging_orgs=None.")
        own[pool[top_k(own_score[pool], q)]] = True
    for t, typ in enumerate(UNIT_TYPES):
        idx_all = np.flatnonzero(ut == t)
        target = int(round(p["own_rate"][typ] * len(idx_all)))
        if fixed:
            target -= int(own[idx_all].sum())
            idx = np.flatnonzero((ut == t) & covered & ~in_sector)
        else:
            idx = np.flatnonzero((ut == t) & covered)
        target = max(0, min(target, len(idx)))
        own[idx[top_k(own_score[idx], target)]] = True
    return own


def _work(c, rng, covered, s_eff) -> np.ndarray:
    """``work_coverage`` of the uncovered units, larger ones and those of keen streets first."""
    unc = np.flatnonzero(~covered)
    n_work = int(round(c.p["work_coverage"] * len(unc)))
    score = 0.5 * np.log(c.u_emp[unc]) + s_eff[c.u_street[unc]] + rng.gumbel(size=len(unc))
    work = np.zeros(c.nu, dtype=bool)
    work[unc[top_k(score, n_work)]] = True
    return work


def _instructors(c, rng, work, joint) -> np.ndarray:
    """Exactly ``instructors`` units reached by one: work-covered units first, then joint ones."""
    widx = np.flatnonzero(work)
    want_work = int(round(c.p["instructor_share"] * len(widx)))
    n_instr = int(want_work if c.p["instructors"] is None else c.p["instructors"])
    k_work = min(want_work, n_instr)
    instr = np.zeros(c.nu, dtype=bool)
    instr[widx[top_k(rng.random(len(widx)), k_work)]] = True
    jidx = np.flatnonzero(joint)
    need(n_instr - k_work <= len(jidx), "instructors",
         f"at most {k_work + len(jidx):,} (work-covered plus jointly covered units)", n_instr)
    instr[jidx[top_k(rng.random(len(jidx)), n_instr - k_work)]] = True
    return instr
