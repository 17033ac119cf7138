"""coverage.property_triads: red property (红色物业, 三方共治) — issue 12 part 6."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet import coverage
from conftest import tiny_tables


def make(extra_ties=(), committee=("U6", "春晖业委会", "owners_committee", "", "Q1121", "8", "4", "", ""),
         drop_ties=()):
    t = tiny_tables()
    if committee is not None:
        t["units"] = pd.concat([t["units"], pd.DataFrame([committee], columns=t["units"].columns)], ignore_index=True)
    ties = t["ties"].drop(index=list(drop_ties))
    base = [["U5", "Q1121", "manages", "2023-01-01", "", "", "物业服务合同"],
            ["O4", "U6", "co_building", "2024-01-01", "", "", ""],
            ["O4", "U5", "pairing", "2024-01-01", "", "", ""],
            ["U6", "U5", "activity", "2025-03-01", "", "2", "联合议事"]]
    t["ties"] = pd.concat([ties, pd.DataFrame(base + list(extra_ties), columns=ties.columns)], ignore_index=True)
    return orgnet.OrgNetwork(**t)


def test_a_complete_triad_hand_checked():
    pt = coverage.property_triads(make())
    row = pt.loc["Q1121"]
    assert (row["organisations"], row["owners_committee"], row["property_company"]) == ("O4", "U6", "U5")
    assert [row[c] for c in ("org_committee", "org_company", "committee_company", "complete")] == [True] * 4
    assert pd.isna(row["missing"])
    assert row["party_share"] == 0.5 and row["party_share_met"] == True  # noqa: E712  exactly at the rule
    assert pt.attrs["complete"] == 1 and pt.attrs["with_all_parties"] == 1
    assert list(pt.index) == ["Q1111", "Q1121", "Q2111"]


def test_the_party_share_rule_and_its_parameter():
    short = make(committee=("U6", "春晖业委会", "owners_committee", "", "Q1121", "8", "3", "", ""))
    assert coverage.property_triads(short).loc["Q1121", "party_share_met"] == False  # noqa: E712  3/8 < 0.5
    assert coverage.property_triads(short, min_party_share=0.375).loc["Q1121", "party_share_met"] == True  # noqa: E712
    unknown = make(committee=("U6", "春晖业委会", "owners_committee", "", "Q1121", "", "3", "", ""))
    assert pd.isna(coverage.property_triads(unknown).loc["Q1121", "party_share_met"])


def test_an_ended_tie_breaks_its_pair():
    net = make(extra_ties=[["U6", "U5", "whistle", "2020-01-01", "2024-12-31", "", ""]])
    # the ended whistle tie does not count, the 2025 activity does
    assert coverage.property_triads(net).loc["Q1121", "committee_company"] == True  # noqa: E712
    on_end = coverage.property_triads(net, as_of="2024-12-31")  # the whistle tie's last day
    assert on_end.loc["Q1121", "committee_company"] == True  # noqa: E712
    gap = coverage.property_triads(net, as_of="2025-02-28")  # whistle ended, the activity starts 2025-03-01
    assert gap.loc["Q1121", "committee_company"] == False and gap.loc["Q1121", "complete"] == False  # noqa: E712
    assert coverage.property_triads(net, as_of="2025-03-01").loc["Q1121", "complete"] == True  # noqa: E712


def test_a_unit_counts_with_its_own_organisation():
    # the committee's tie runs from O7 (U1's organisation) only when U1 is the property company
    net = make(extra_ties=[["U1", "Q1121", "manages", "2024-01-01", "", "", ""]])
    pt = coverage.property_triads(net)
    assert pt.loc["Q1121", "property_company"] == "U1,U5"  # manages ties name the companies
    assert pt.loc["Q1121", "org_company"] == True  # noqa: E712  O4-U5 pairing (and O7 is led by O4: no tie)


def test_located_company_when_no_manages_tie_and_missing_parties():
    t = tiny_tables()
    pt = coverage.property_triads(orgnet.OrgNetwork(**t))
    assert pt.loc["Q1121", "property_company"] == "U5"  # located in the compound, no manages tie
    assert pt.loc["Q1121", "missing"] == "owners_committee" and pt.loc["Q2111", "missing"] == \
        "organisation, owners_committee, property_company"
    assert not pt["complete"].any()
    assert pt.loc["Q1111", "organisations"] == "O4,O6"  # the community's committee and the grid's branch


def test_row_order_does_not_matter():
    net = make()
    shuffled = orgnet.OrgNetwork(**{k: (v.reset_index() if v.index.name == "id" else v).iloc[::-1]
                                    for k, v in net.tables.items() if len(v)})
    # rows follow the areas table, as in every result; the values do not depend on the order
    pd.testing.assert_frame_equal(coverage.property_triads(shuffled).sort_index(), coverage.property_triads(net))


def test_parameter_is_declared():
    with pytest.raises(orgnet.OrgnetParameterError, match="'min_party_share' parameter of property_triads must be "
                       r"a number in \[0, 1\]"):
        coverage.property_triads(make(), min_party_share=1.5)


def test_demo_figures_documented_in_its_readme():
    pt = coverage.property_triads(orgnet.datasets.load("demo"))
    assert pt.attrs["complete"] == 0 and pt.attrs["with_all_parties"] == 1
    q = pt.loc["Q1111"]
    assert [q[c] for c in ("org_committee", "org_company", "committee_company")] == [True, True, False]
    assert q["party_share"] == pytest.approx(1 / 7) and q["party_share_met"] == False  # noqa: E712
    assert int(pt["property_company"].notna().sum()) == 3 and int(pt["owners_committee"].notna().sum()) == 1
    assert np.isnan(pt.loc["Q1311", "party_share"])
