"""Ratings against the network (issue 12, part 5): scorecard(ratings=) and ratings_vs_network,
hand-checked on a fixture and on the demo, against scipy.stats.spearmanr."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import orgnet
from orgnet import scorecard as sc_mod
from orgnet.errors import OrgnetMissingDataError, OrgnetParameterError, OrgnetWarning
from conftest import ACTIVITY_COLUMNS, activity_tables, tiny_tables

# The tiny dataset's communities and their seated territorial organisations: C11 <- O4,
# C12 <- O5, C21 <- none. Its as_of is 2025-06-30.
RATINGS = [
    ["O4", "stars", "2024-12-31", "4", "5"],      # C11, through its committee: 0.8
    ["O4", "stars", "2023-12-31", "1", "5"],      # C11's older rating: 0.2 until 2024-12-30
    ["O5", "stars", "2024-12-31", "2", "5"],      # C12, through its general branch: 0.4
    ["C21", "stars", "2024-12-31", "2", "5"],     # C21, the area itself: 0.4 (a tie with C12)
    ["C21", "stars", "2025-12-31", "5", "5"],     # after as_of: not used at 2025-06-30
    ["C11", "points", "2024-12-31", "870", "1000"],
    ["O4", "points", "2024-12-31", "900", "1000"],  # same period as C11's own: averaged, 0.885
    ["O2", "points", "2024-12-31", "80", ""],     # street S1, no max_score: the raw score
    ["O6", "stars", "2024-12-31", "3", "5"],      # a grid branch: rates G111, not C11
    ["U4", "stars", "2024-12-31", "5", "5"],      # a unit: no area's rating
    ["T1", "satisfaction", "2024-12-31", "0.93", ""],
]


def _net(rows=RATINGS, **extra):
    ratings = pd.DataFrame(rows, columns=ACTIVITY_COLUMNS["ratings"])
    return orgnet.OrgNetwork(**tiny_tables(), ratings=ratings, **extra)


@pytest.fixture
def net():
    return _net()


def test_scorecard_ratings_hand_checked(net):
    sc = sc_mod.scorecard(net, ratings="stars")
    assert sc["rating_stars"].to_dict() == {"C11": 0.8, "C12": 0.4, "C21": 0.4}
    assert sc["rank_rating_stars"].tolist() == [1.0, 2.0, 2.0]  # higher is better, ties share the best rank
    assert sc.attrs["rating_periods"]["stars"] == {k: pd.Timestamp("2024-12-31") for k in ("C11", "C12", "C21")}
    cols = list(sc.columns)
    assert cols.index("rating_stars") == cols.index("projects") + 1 and cols[-1] == "rank_rating_stars"
    pts = sc_mod.scorecard(net, ratings="points")
    assert pts["rating_points"].iloc[0] == pytest.approx((0.870 + 0.900) / 2)  # the area and O4, averaged
    assert pts["rating_points"].iloc[1:].isna().all()
    street = sc_mod.scorecard(net, level="street", ratings="points")
    assert street["rating_points"].tolist()[0] == 80.0 and math.isnan(street["rating_points"].tolist()[1])
    grid = sc_mod.scorecard(net, level="grid", ratings="stars")
    assert grid["rating_stars"].dropna().to_dict() == {"G111": 0.6}  # O6 is seated at G111


def test_scorecard_ratings_as_of_boundaries(net):
    assert sc_mod.scorecard(net, ratings="stars", as_of="2024-12-30")["rating_stars"].dropna().to_dict() == \
        {"C11": 0.2}  # the 2024 ratings do not exist yet; C11's 2023 rating does
    assert sc_mod.scorecard(net, ratings="stars", as_of="2024-12-31")["rating_stars"].to_dict() == \
        {"C11": 0.8, "C12": 0.4, "C21": 0.4}  # the period day itself counts
    assert sc_mod.scorecard(net, ratings="stars", as_of="2023-12-30")["rating_stars"].isna().all()
    later = sc_mod.scorecard(net, ratings="stars", as_of="2025-12-31")
    assert later.at["C21", "rating_stars"] == 1.0
    assert later.attrs["rating_periods"]["stars"]["C21"] == pd.Timestamp("2025-12-31")


def test_scorecard_without_ratings_is_unchanged(net, tiny_net):
    base = sc_mod.scorecard(tiny_net, weights="equal")
    pd.testing.assert_frame_equal(sc_mod.scorecard(net, weights="equal"), base)
    assert sc_mod.scorecard(net, weights="equal").attrs == base.attrs
    both = sc_mod.scorecard(net, weights="equal", ratings=["stars", "points"])
    pd.testing.assert_frame_equal(both[list(base.columns)], base)  # ratings never enter the composite
    assert [c for c in both.columns if c not in base.columns] == [
        "rating_stars", "rating_points", "rank_rating_stars", "rank_rating_points"]


def test_scorecard_ratings_chinese_scheme_and_bad_values(net):
    pd.testing.assert_frame_equal(sc_mod.scorecard(net, ratings="星级"), sc_mod.scorecard(net, ratings="stars"))
    with pytest.raises(OrgnetParameterError, match="The 'ratings' parameter of scorecard must be a rating scheme"):
        sc_mod.scorecard(net, ratings="gold")
    with pytest.raises(OrgnetParameterError, match="'ratings' parameter of scorecard"):
        sc_mod.scorecard(net, ratings=["stars", "stars"])
    with pytest.raises(OrgnetParameterError, match="'ratings' parameter of scorecard"):
        sc_mod.scorecard(net, ratings=5)


def test_absent_table_and_absent_scheme(net, tiny_net):
    with pytest.raises(OrgnetMissingDataError, match="scorecard needs the 'ratings' table"):
        sc_mod.scorecard(tiny_net, ratings="stars")
    with pytest.raises(OrgnetMissingDataError, match="ratings_vs_network needs the 'ratings' table"):
        sc_mod.ratings_vs_network(tiny_net)
    with pytest.raises(OrgnetMissingDataError,
                       match=r"ratings_vs_network needs ratings of the scheme 'peer'.*points, satisfaction, stars"):
        sc_mod.ratings_vs_network(net, scheme="peer")
    with pytest.raises(OrgnetMissingDataError, match="scorecard needs ratings of the scheme 'peer'"):
        sc_mod.scorecard(net, ratings=["stars", "peer"])
    with pytest.raises(OrgnetMissingDataError, match="needs the 'cases' table"):
        sc_mod.ratings_vs_network(net, indicators="closure_rate")  # the fixture has no cases


def test_ratings_vs_network_hand_checked_with_ties(net):
    # stars C11 0.8, C12 0.4, C21 0.4 -> average ranks 3, 1.5, 1.5 (mean 2: deviations 1, -0.5, -0.5)
    with pytest.warns(OrgnetWarning, match="fewer than 3 areas of level 'community' have a 'stars' rating"):
        rv = sc_mod.ratings_vs_network(net)
    assert list(rv.index) == list(sc_mod.INDICATORS)  # no cases: no response indicators
    assert list(rv.columns) == ["higher_is_better", "n", "rho", "p_value", "agreement", "note"]
    # linkage 3.758, 0.597, 0 -> ranks 3, 2, 1: rho = 1.5 / sqrt(1.5 * 2) = sqrt(3)/2
    assert rv.at["linkage_strength", "rho"] == pytest.approx(math.sqrt(3) / 2, abs=1e-12)
    # vacuum share 1/3, 1, 1 -> ranks 1, 2.5, 2.5: rho = -1.5 / 1.5 = -1; lower is better: agreement +1
    assert rv.at["vacuum_population_share", "rho"] == pytest.approx(-1.0, abs=1e-12)
    assert rv.at["vacuum_population_share", "agreement"] == pytest.approx(1.0, abs=1e-12)
    # org coverage 1/3, 1, 0 -> ranks 2, 3, 1: sum of products 0 -> rho 0
    assert rv.at["org_coverage_rate", "rho"] == pytest.approx(0.0, abs=1e-12)
    # projects 0, 1, 0 -> ranks 1.5, 3, 1.5: rho = -0.75 / sqrt(1.5 * 1.5) = -0.5
    assert rv.at["projects", "rho"] == pytest.approx(-0.5, abs=1e-12)
    assert rv["n"].to_dict() == {"org_coverage_rate": 3, "work_coverage_rate": 3, "vacuum_population_share": 3,
                                 "linkage_strength": 3, "dormant_share": 1, "weak_share": 2, "demands_met_share": 1,
                                 "projects": 3}
    for k in ("dormant_share", "demands_met_share"):  # C11 alone has a value: no correlation
        assert math.isnan(rv.at[k, "rho"]) and math.isnan(rv.at[k, "p_value"])
        assert rv.at[k, "note"] == "fewer than 3 rated areas with a value"
    assert rv.at["linkage_strength", "note"] == ""
    assert rv.attrs["rated"] == 3 and rv.attrs["ratings"] == {"C11": 0.8, "C12": 0.4, "C21": 0.4}
    assert rv["higher_is_better"].to_dict() == sc_mod.INDICATORS


def test_ratings_vs_network_agrees_with_scipy(net, demo):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrgnetWarning)
        cases = [(net, "stars"), (demo, "stars"), (demo, "points")]
        for network, scheme in cases:
            rv = sc_mod.ratings_vs_network(network, scheme=scheme)
            sc = sc_mod.scorecard(network, ratings=scheme)
            cs = orgnet.response.case_summary(network, by="community") if len(network.cases) else None
            checked = 0
            for k, row in rv.iterrows():
                y = sc[k] if k in sc else cs[k].reindex(sc.index)
                both = sc[f"rating_{scheme}"].notna() & y.notna()
                assert row["n"] == both.sum()
                if row["n"] < 3:
                    continue
                ref = stats.spearmanr(sc.loc[both, f"rating_{scheme}"], y[both])
                assert row["rho"] == pytest.approx(ref.statistic, abs=1e-12)
                assert row["p_value"] == pytest.approx(ref.pvalue, abs=1e-12)
                checked += 1
            assert checked >= 4


def test_ratings_vs_network_as_of_boundaries(net):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrgnetWarning)
        before = sc_mod.ratings_vs_network(net, as_of="2024-12-30", indicators="linkage_strength")
        on = sc_mod.ratings_vs_network(net, as_of="2024-12-31", indicators="linkage_strength")
    assert before.attrs["rated"] == 1 and before.at["linkage_strength", "n"] == 1
    assert math.isnan(before.at["linkage_strength", "rho"])
    assert on.attrs["rated"] == 3 and on.at["linkage_strength", "n"] == 3
    assert before.attrs["as_of"] == pd.Timestamp("2024-12-30")


def test_ratings_vs_network_constant_ratings_and_too_few(net):
    rows = [["O4", "stars", "2024-12-31", "3", "5"], ["O5", "stars", "2024-12-31", "3", "5"],
            ["C21", "stars", "2024-12-31", "3", "5"]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # constant ratings: a note, no warning
        rv = sc_mod.ratings_vs_network(_net(rows), indicators=["linkage_strength", "projects"])
    assert rv["n"].tolist() == [3, 3] and rv["rho"].isna().all() and rv["p_value"].isna().all()
    assert rv["note"].str.startswith("constant").all()
    with pytest.warns(OrgnetWarning, match="fewer than 3 areas of level 'street'.*linkage_strength"):
        st = sc_mod.ratings_vs_network(net, scheme="points", level="street", indicators="linkage_strength")
    assert st.at["linkage_strength", "n"] == 1 and math.isnan(st.at["linkage_strength", "agreement"])


def test_ratings_vs_network_parameters(net):
    with pytest.raises(OrgnetParameterError, match="The 'scheme' parameter of ratings_vs_network must be"):
        sc_mod.ratings_vs_network(net, scheme="gold")
    with pytest.raises(OrgnetParameterError, match="The 'indicators' parameter of ratings_vs_network must be"):
        sc_mod.ratings_vs_network(net, indicators=["linkage_strength", "matched_share"])
    with pytest.raises(OrgnetParameterError, match="The 'indicators' parameter"):
        sc_mod.ratings_vs_network(net, indicators=[])
    with pytest.raises(OrgnetParameterError, match="The 'level' parameter of ratings_vs_network"):
        sc_mod.ratings_vs_network(net, level="estate")
    with pytest.raises(OrgnetParameterError, match="The 'as_of' parameter of ratings_vs_network"):
        sc_mod.ratings_vs_network(net, as_of="soon")
    rv = sc_mod.ratings_vs_network(net, scheme="星级", indicators=("projects", "linkage_strength"))
    assert list(rv.index) == ["projects", "linkage_strength"] and rv.attrs["scheme"] == "stars"


def test_response_indicators_on_the_fixture_with_cases():
    t = activity_tables()
    rows = RATINGS[:5]
    ratings = pd.DataFrame(rows, columns=ACTIVITY_COLUMNS["ratings"])
    net = orgnet.OrgNetwork(**tiny_tables(), cases=t["cases"], ratings=ratings)
    with pytest.warns(OrgnetWarning, match="closure_rate, median_days, satisfaction"):
        rv = sc_mod.ratings_vs_network(net)
    assert list(rv.index) == [*sc_mod.INDICATORS, *sc_mod.RESPONSE_INDICATORS]
    # cases are raised in C11 (K1, K2) and C12 (K3) only: two rated areas with a value
    assert rv.loc[list(sc_mod.RESPONSE_INDICATORS), "n"].tolist() == [2, 2, 2]
    assert not rv.at["median_days", "higher_is_better"]


def test_row_order_invariance(net):
    shuffled = pd.DataFrame(RATINGS, columns=ACTIVITY_COLUMNS["ratings"]).sample(frac=1, random_state=12345)
    other = orgnet.OrgNetwork(**tiny_tables(), ratings=shuffled)
    pd.testing.assert_frame_equal(sc_mod.scorecard(other, ratings=["points", "stars"]),
                                  sc_mod.scorecard(net, ratings=["points", "stars"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrgnetWarning)
        pd.testing.assert_frame_equal(sc_mod.ratings_vs_network(other), sc_mod.ratings_vs_network(net))


# ------------------------------------------------------------------ the demo's documented answers
# src/orgnet/datasets/demo/README.md, "The activity layer", "Ratings"; docs/activity.md


def test_demo_ratings_hand_checked(demo):
    assert demo.as_of == pd.Timestamp("2025-06-30")  # rating periods never move it
    assert len(demo.ratings) == 21
    sc = sc_mod.scorecard(demo, ratings=["stars", "points"])
    assert (sc["rating_stars"] * 5).round(9).to_dict() == {"C11": 5, "C12": 4, "C13": 1, "C21": 2, "C22": 5,
                                                          "C23": 3}
    assert (sc["rating_points"] * 1000).round(9).to_dict() == {"C11": 935, "C12": 910, "C13": 640, "C21": 890,
                                                              "C22": 760, "C23": 700}
    early = sc_mod.scorecard(demo, ratings="stars", as_of="2024-06-30")  # the 2023 stars
    assert (early["rating_stars"] * 5).round(9).to_dict() == {"C11": 4, "C12": 4, "C13": 2, "C21": 3, "C22": 4,
                                                             "C23": 3}
    # stars: ranks 5.5, 4, 1, 2, 5.5, 3 against linkage ranks 6, 4, 3, 5, 2, 1 (C13's 2024
    # council meetings, read from the events, lift it above C22): rho = 2.5 / sqrt(17 * 17.5);
    # the gaps are C22 (5 stars, two dormant agreements) and C21
    rv = sc_mod.ratings_vs_network(demo)
    assert list(rv.index) == [*sc_mod.INDICATORS, *sc_mod.RESPONSE_INDICATORS]  # the demo has cases
    assert rv.at["linkage_strength", "rho"] == pytest.approx(2.5 / math.sqrt(17 * 17.5), abs=1e-12)
    assert rv.at["linkage_strength", "n"] == 6 and rv.at["dormant_share", "n"] == 4
    assert rv.at["dormant_share", "agreement"] < 0  # higher-rated communities have more dormant agreements
    # points: ranks 6, 5, 1, 4, 3, 2 against 6, 4, 3, 5, 2, 1: sum d^2 = 8, rho = 1 - 6 * 8 / (6 * 35) = 27/35
    pv = sc_mod.ratings_vs_network(demo, scheme="points", indicators="linkage_strength")
    assert pv.at["linkage_strength", "rho"] == pytest.approx(27 / 35, abs=1e-12)
    with pytest.warns(OrgnetWarning, match="level 'street'"):
        st = sc_mod.ratings_vs_network(demo, scheme="points", level="street")
    assert (st["n"] == 2).all() and st["rho"].isna().all()  # O2 and O3 only


def test_demo_ratings_vs_network_table(demo):
    # README "Ratings": the table of rho per indicator, to 3 decimals
    documented = {  # indicator: (stars rho, points rho)
        "org_coverage_rate": (0.348, 0.829), "work_coverage_rate": (0.716, 0.971),
        "vacuum_population_share": (-0.706, -0.870), "linkage_strength": (0.145, 0.771),
        "dormant_share": (0.544, -0.775), "weak_share": (-0.257, -0.676), "demands_met_share": (-0.056, 0.211), "projects": (0.204, 0.833),
        "closure_rate": (0.664, 0.655), "median_days": (0.162, -0.406), "satisfaction": (-0.531, 0.131)}
    for i, scheme in enumerate(("stars", "points")):
        rv = sc_mod.ratings_vs_network(demo, scheme=scheme)
        assert rv["rho"].round(3).to_dict() == {k: v[i] for k, v in documented.items()}
        sign = np.where(rv["higher_is_better"], 1.0, -1.0)
        np.testing.assert_allclose(rv["agreement"], sign * rv["rho"], rtol=0, atol=0)
        assert rv["n"].to_dict() == {k: (4 if k in ("dormant_share", "demands_met_share") else 6) for k in documented}
        assert (rv["note"] == "").all()


def test_ratings_vs_network_takes_a_solved_match(demo):
    # the report passes its one matching instead of solving it again per scheme
    m = orgnet.sharing.match(demo)
    pd.testing.assert_frame_equal(sc_mod.ratings_vs_network(demo, match=m), sc_mod.ratings_vs_network(demo))
