"""linkage: hand-checked strengths, multiplexity, dormancy and the linkage index; properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet import linkage
from conftest import tiny_tables

AS_OF = pd.Timestamp("2025-06-30")


def _pair(ts, a, b):
    return ts[(ts["a"] == a) & (ts["b"] == b)].iloc[0]


def test_pairs_and_strength_hand_checked(tiny_net):
    ts = linkage.tie_strength(tiny_net)
    # 8 ties, the instructor tie O4->U3 ended 2024-12-31: 7 active ties on 6 pairs
    assert list(zip(ts["a"], ts["b"])) == [("O2", "U1"), ("O2", "U5"), ("O4", "O5"), ("O4", "O7"),
                                           ("O4", "U4"), ("O8", "U2")]
    days = lambda d: (AS_OF - pd.Timestamp(d)).days  # noqa: E731
    assert days("2021-09-01") == 1398 and days("2024-02-01") == 515
    # part-time member: weight 1.5 x log2(1 + 1) x 0.5 ** (1398 / 365)
    assert _pair(ts, "O2", "U1")["strength"] == pytest.approx(1.5 * 0.5 ** (1398 / 365))
    # dual report with 12 members: 1.0 x log2(13) x 0.5 ** (515 / 365)
    assert _pair(ts, "O4", "O7")["strength"] == pytest.approx(np.log2(13) * 0.5 ** (515 / 365))
    # co-building (2023-01-10, count 1) + 3 activities (latest 2025-03-01)
    o4u4 = _pair(ts, "O4", "U4")
    assert o4u4["strength"] == pytest.approx(0.5 ** (days("2023-01-10") / 365) + 2 * 0.5 ** (days("2025-03-01") / 365))
    assert o4u4[["multiplexity", "ties", "co_building", "activity", "covers"]].tolist() == [2, 2, 1, 1, 0]
    assert o4u4["last_activity"] == pd.Timestamp("2025-03-01") and not o4u4["dormant"]
    assert pd.isna(_pair(ts, "O2", "U5")["last_activity"])
    assert ts["dormant"].sum() == 0


def test_as_of_selects_active_ties(tiny_net):
    ts = linkage.tie_strength(tiny_net, as_of="2024-06-01")
    pairs = set(zip(ts["a"], ts["b"]))
    assert ("O4", "U3") in pairs  # instructor tie active until 2024-12-31
    assert ("O4", "O5") not in pairs  # pairing starts 2024-10-01
    # the activity (2025-03-01) has not happened yet: the 2023 agreement is dormant then
    assert _pair(ts, "O4", "U4")[["multiplexity", "dormant"]].tolist() == [1, True]
    assert linkage.tie_strength(tiny_net, as_of="2020-01-01").empty  # every tie starts later
    assert linkage.tie_strength(tiny_net, as_of="2021-09-01")["a"].tolist() == ["O2"]  # the part-time member


def test_dormancy_window():
    t = tiny_tables()
    t["ties"].loc[1, "start"] = "2024-01-01"  # last activity 546 days before the ledger date
    net = orgnet.OrgNetwork(**t)
    assert _pair(linkage.tie_strength(net), "O4", "U4")["dormant"]
    assert not _pair(linkage.tie_strength(net, dormant_days=600), "O4", "U4")["dormant"]
    # an activity in the other direction (O4 -> U4) counts for the same pair
    t["ties"].loc[1, ["source", "target", "start"]] = ["O4", "U4", "2025-01-01"]
    assert not _pair(linkage.tie_strength(orgnet.OrgNetwork(**t)), "O4", "U4")["dormant"]


def test_strength_grows_with_count_and_channels_and_decays_with_age():
    def strength(**change):
        t = tiny_tables()
        for col, val in change.items():
            t["ties"].loc[2, col] = val  # the dual_report tie O7 -> O4
        return _pair(linkage.tie_strength(orgnet.OrgNetwork(**t)), "O4", "O7")["strength"]

    counts = [strength(count=str(c)) for c in (1, 2, 5, 20, 100)]
    assert counts == sorted(counts) and len(set(counts)) == 5
    gains = np.diff(counts) / np.diff([1, 2, 5, 20, 100])
    assert (np.diff(gains) < 0).all()  # concave
    ages = [strength(start=d) for d in ("2025-06-01", "2024-06-01", "2022-06-01", "2015-06-01")]
    assert ages == sorted(ages, reverse=True)
    t = tiny_tables()
    base = _pair(linkage.tie_strength(orgnet.OrgNetwork(**t)), "O4", "O7")
    t["ties"].loc[len(t["ties"])] = ["O7", "O4", "pairing", "2025-01-01", "", "", ""]
    more = _pair(linkage.tie_strength(orgnet.OrgNetwork(**t)), "O4", "O7")
    assert more["multiplexity"] == base["multiplexity"] + 1 and more["strength"] > base["strength"]
    # a longer half-life never lowers a strength
    a = linkage.tie_strength(orgnet.OrgNetwork(**tiny_tables()), half_life_days=100)["strength"]
    b = linkage.tie_strength(orgnet.OrgNetwork(**tiny_tables()), half_life_days=1000)["strength"]
    assert (b.to_numpy() >= a.to_numpy()).all()


def test_weights_override(tiny_net):
    base = _pair(linkage.tie_strength(tiny_net), "O4", "U4")["strength"]
    off = _pair(linkage.tie_strength(tiny_net, weights={"co_building": 0}), "O4", "U4")["strength"]
    assert base - off == pytest.approx(0.5 ** (902 / 365))
    with pytest.raises(orgnet.OrgnetParameterError, match="must use tie kinds among"):
        linkage.tie_strength(tiny_net, weights={"friendship": 1})
    with pytest.raises(orgnet.OrgnetParameterError, match=r"numbers >= 0. Got -1 for 'activity' instead"):
        linkage.tie_strength(tiny_net, weights={"activity": -1})
    with pytest.raises(orgnet.OrgnetParameterError, match="'half_life_days' parameter of tie_strength"):
        linkage.tie_strength(tiny_net, half_life_days=0)


def test_linkage_index_hand_checked(tiny_net):
    li = linkage.linkage_index(tiny_net)
    assert li.index.tolist() == ["C11", "C12", "C21"]
    # C11's own side: O4 (community) and O6 (grid G111). Active ties with others: U4 co-building
    # and activity, O7 dual report, O5 pairing (O5 belongs to C12, so it is a partner)
    c11 = li.loc["C11"]
    assert c11[["ties", "partners", "partner_types", "co_building"]].tolist() == [4, 3, 3, 1]
    assert c11["mean_multiplexity"] == pytest.approx(4 / 3)
    assert c11["partner_diversity"] == pytest.approx(2 / 3)  # agency, private enterprise, territorial
    assert c11["dormant_share"] == 0 and c11["vertical_share"] == 0.5  # U4 is an agency: 2 of 4 ties
    ts = linkage.tie_strength(tiny_net)
    assert c11["strength"] == pytest.approx(ts[ts["a"] == "O4"]["strength"].sum())
    assert li.loc["C12", ["ties", "partners"]].tolist() == [1, 1]  # the pairing seen from O5
    assert li.loc["C21", "ties"] == 0 and np.isnan(li.loc["C21", "dormant_share"])
    s = linkage.linkage_index(tiny_net, level="street")
    # O4-O5 pairing is internal to street S1; U1 (part-time member) and U5 (backstop) join
    assert s.loc["S1", ["ties", "partners"]].tolist() == [5, 4]


def test_linkage_index_on_demo(demo):
    li = linkage.linkage_index(demo)
    assert sorted(li.index[li["co_building"] == 0]) == ["C13", "C23"]  # the unlinked communities
    # C22 holds 3 agreements, 2 of them dormant (rows 4 and 6 of the README)
    assert li.loc["C22", ["co_building", "dormant_share"]].tolist() == [3, pytest.approx(2 / 3)]
    for col in ("dormant_share", "vertical_share", "partner_diversity"):
        assert li[col].dropna().between(0, 1).all()
    ts = linkage.tie_strength(demo)
    assert set(map(tuple, ts.loc[ts["dormant"], ["a", "b"]].to_numpy())) == {("O22", "OU04"), ("O22", "U30")}


def test_row_order_invariance():
    t = tiny_tables()
    a = linkage.tie_strength(orgnet.OrgNetwork(**t))
    shuffled = {k: v.sample(frac=1, random_state=11) for k, v in t.items()}
    b = linkage.tie_strength(orgnet.OrgNetwork(**shuffled))
    pd.testing.assert_frame_equal(a, b)
    la = linkage.linkage_index(orgnet.OrgNetwork(**t))
    lb = linkage.linkage_index(orgnet.OrgNetwork(**shuffled))
    pd.testing.assert_frame_equal(la, lb.loc[la.index])  # rows follow the areas table's order


def test_threshold_steps(tiny_net):
    steps = linkage.threshold_steps(tiny_net, [0, 0.2, 1.0, 5.0])
    assert steps["pairs"].tolist() == [6, 4, 2, 0]
    # at 0: two components {O2,U1,U5}, {O4,O5,O7,U4} and {O8,U2} -> 3 components over 9 nodes
    assert steps.loc[0, ["nodes", "components", "largest_component"]].tolist() == [9, 3, 4]
    assert steps.loc[5.0, "nodes"] == 0
    g = linkage.tie_graph(tiny_net, min_strength=1.0)
    assert sorted(g.edges()) == [("O4", "O7"), ("O4", "U4")] or sorted(map(sorted, g.edges())) == [["O4", "O7"], ["O4", "U4"]]


def test_threshold_steps_default_keeps_every_pair(tiny_net, demo):
    # tiny: 6 pairs; the default first threshold is the exact weakest strength (O2-U1)
    ts = linkage.tie_strength(tiny_net)
    steps = linkage.threshold_steps(tiny_net)
    assert steps.index[0] == ts["strength"].min() == pytest.approx(1.5 * 0.5 ** (1398 / 365))
    assert steps.iloc[0][["pairs", "nodes", "components"]].tolist() == [6, 9, 3]
    # demo: 73 pairs (events included), strengths 0.0495749 (the weakest, twice), ...;
    # thresholds rounded to 6 decimals would put 0.049575 above the two weakest pairs
    # (71 pairs) and 0.376062 above the pair at the exact 25th percentile 0.37606165 (54)
    dts = linkage.tie_strength(demo)
    assert len(dts) == 73
    dsteps = linkage.threshold_steps(demo)
    assert dsteps.index[0] == dts["strength"].min()
    assert (dts["strength"] == dsteps.index[0]).sum() == 2
    assert dsteps["pairs"].tolist() == [73, 55, 38, 20, 8]
    assert dsteps.index[1] == np.percentile(dts["strength"], 25)
    assert (dts["strength"] == dsteps.index[1]).sum() == 1
    assert (dts["strength"] >= round(dsteps.index[0], 6)).sum() == 71
    assert (dts["strength"] >= round(dsteps.index[1], 6)).sum() == 54


def test_threshold_steps_boundary(tiny_net):
    # a pair exactly at a step is kept (strength >= threshold): O4-O7 at log2(13) x 0.5 ** (515 / 365)
    s = linkage.tie_strength(tiny_net).set_index(["a", "b"])["strength"]
    at = float(s[("O4", "O7")])
    above = float(np.nextafter(at, np.inf))
    steps = linkage.threshold_steps(tiny_net, [at, above])
    assert steps["pairs"].tolist() == [2, 1]  # {O4-O7, O4-U4}, then O4-U4 (1.77) alone
    assert steps.loc[at, "mean_strength"] == pytest.approx((at + s[("O4", "U4")]) / 2)


def test_empty_ties():
    t = tiny_tables()
    del t["ties"]
    net = orgnet.OrgNetwork(**t)
    ts = linkage.tie_strength(net)
    assert ts.empty and "strength" in ts.columns
    li = linkage.linkage_index(net)
    assert (li["ties"] == 0).all() and li["dormant_share"].isna().all()
