"""orgnet.response on a hand-checked fixture and the demo (issue 12, part 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet import response
from conftest import activity_tables, tiny_tables


def make(extra_cases=()):
    t = {**tiny_tables(), **activity_tables()}
    if extra_cases:
        t["cases"] = pd.concat([t["cases"], pd.DataFrame(list(extra_cases), columns=t["cases"].columns)],
                               ignore_index=True)
    return orgnet.OrgNetwork(**t)


@pytest.fixture
def net():
    # K1 G111 → U4, closed in 4 days, satisfied; K2 Q1121 → U5, open; K3 G121 unrouted, closed the same day,
    # not satisfied
    return make()


def test_case_summary_by_department_hand_checked(net):
    cs = response.case_summary(net)
    assert list(cs.index) == ["(unrouted)", "U4", "U5"]
    assert cs["cases"].tolist() == [1, 1, 1] and cs["closed"].tolist() == [1, 1, 0]
    assert cs.loc["U4", "median_days"] == 4 and np.isnan(cs.loc["U5", "median_days"])
    assert cs.loc["U4", "satisfaction"] == 1.0 and cs.loc["(unrouted)", "satisfaction"] == 0.0
    assert np.isnan(cs.loc["U5", "satisfaction"])  # open: no answer counts
    assert cs.loc["U4", "name"] == "示范区税务局"
    t = cs.attrs["total"]
    assert (t["cases"], t["closed"], t["median_days"], t["satisfaction"]) == (3, 2, 2.0, 0.5)
    assert t["closure_rate"] == pytest.approx(2 / 3)


def test_closed_within_at_the_deadline(net):
    assert response.case_summary(net, within_days=4).attrs["total"]["closed_within"] == pytest.approx(2 / 3)
    assert response.case_summary(net, within_days=3).attrs["total"]["closed_within"] == pytest.approx(1 / 3)
    assert np.isnan(response.case_summary(net).attrs["total"]["closed_within"])


def test_as_of_boundaries(net):
    before = response.case_summary(net, as_of="2025-02-04")  # K1 raised, closed the next day
    assert before["cases"].sum() == 1 and before["closed"].sum() == 0
    on = response.case_summary(net, as_of="2025-02-05")
    assert on.loc["U4", "closed"] == 1 and on.loc["U4", "satisfaction"] == 1.0
    assert response.case_summary(net, as_of="2025-01-31").empty


def test_case_summary_by_area_and_category(net):
    c = response.case_summary(net, by="community")
    assert c["cases"].to_dict() == {"C11": 2, "C12": 1} and c["closed"].to_dict() == {"C11": 1, "C12": 1}
    assert response.case_summary(net, by="street")["cases"].to_dict() == {"S1": 3}
    cat = response.case_summary(net, by="category")
    assert cat["cases"].to_dict() == {"environment": 1, "parking": 1, "property": 1}
    assert "name" not in cat


def test_solved_level(net):
    sl = response.solved_level(make([["K4", "G111", "O6", "", "2025-05-01", "O6", "2025-05-03", "true"]]))
    assert sl[["cases", "closed", "share_of_closed"]].to_dict("index") == {
        "grid": {"cases": 1, "closed": 1, "share_of_closed": 1 / 3},
        "department": {"cases": 2, "closed": 1, "share_of_closed": 1 / 3},
        "unrouted": {"cases": 1, "closed": 1, "share_of_closed": 1 / 3},
    }
    assert sl.loc["grid", "median_days"] == 2


def test_row_order_does_not_matter():
    t = {**tiny_tables(), **activity_tables()}
    t["cases"] = t["cases"].iloc[::-1]
    pd.testing.assert_frame_equal(response.case_summary(orgnet.OrgNetwork(**t)), response.case_summary(make()))


def test_absent_cases_table_is_said(tiny_net):
    for f in (response.case_summary, response.solved_level):
        with pytest.raises(orgnet.OrgnetMissingDataError, match="needs the 'cases' table"):
            f(tiny_net)


def test_parameters(net):
    with pytest.raises(orgnet.OrgnetParameterError, match="'by' parameter of case_summary must be one of"):
        response.case_summary(net, by="department")
    with pytest.raises(orgnet.OrgnetParameterError, match="'within_days' parameter of case_summary"):
        response.case_summary(net, within_days=-1)


def test_demo_figures_documented_in_its_readme():
    net = orgnet.datasets.load("demo")
    t = response.case_summary(net, within_days=7).attrs["total"]
    assert (t["cases"], t["closed"], t["median_days"]) == (12, 10, 8.5)
    assert t["satisfaction"] == pytest.approx(8 / 9) and t["closed_within"] == pytest.approx(5 / 12)
    sl = response.solved_level(net)
    assert sl["closed"].to_dict() == {"grid": 2, "community": 3, "street": 1, "department": 4}
