"""linkage.cadence and linkage.rotation on a hand-checked fixture and the demo (issue 12, part 4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet import linkage
from orgnet.errors import OrgnetMissingDataError, OrgnetParameterError
from conftest import activity_tables, tiny_tables


def tables(conference=False):
    """The tiny dataset with its activity rows: E1 meeting of O4 on 2025-01-10 chaired by U4,
    attended by U4 (score 9.5) and O7 (8); E2 a service of C11 attended by U3. With
    ``conference``: O4's joint conference has members U4, U1 (source → O4) and U2 (O4 → U2:
    the other direction), U5's seat ended on 2024-12-31, and three more meetings:
    E3 2025-02-14 chaired by O7 (not a member), attended by U4 (9) and U1 (8);
    E4 2025-02-27 chaired by U1, attended by U4; E5 2025-04-03 without a chair,
    attended by U2 (7)."""
    t = {**tiny_tables(), **activity_tables()}
    if conference:
        cols = t["ties"].columns
        t["ties"] = pd.concat([t["ties"], pd.DataFrame([
            ["U4", "O4", "joint_conference", "2024-01-01", "", "", ""],
            ["U1", "O4", "joint_conference", "2024-01-01", "", "", ""],
            ["O4", "U2", "joint_conference", "2024-03-01", "", "", ""],
            ["U5", "O4", "joint_conference", "2023-01-01", "2024-12-31", "", "任期届满"],
        ], columns=cols)], ignore_index=True)
        t["events"] = pd.concat([t["events"], pd.DataFrame([
            ["E3", "meeting", "O4", "2025-02-14", "O7", "", ""],
            ["E4", "meeting", "O4", "2025-02-27", "U1", "", ""],
            ["E5", "meeting", "O4", "2025-04-03", "", "", ""],
        ], columns=t["events"].columns)], ignore_index=True)
        t["attendance"] = pd.concat([t["attendance"], pd.DataFrame([
            ["E3", "U4", "1", "9"], ["E3", "U1", "2", "8"], ["E4", "U4", "", ""], ["E5", "U2", "1", "7"],
        ], columns=t["attendance"].columns)], ignore_index=True)
    return t


@pytest.fixture
def net():
    return orgnet.OrgNetwork(**tables())


@pytest.fixture
def conf():
    return orgnet.OrgNetwork(**tables(conference=True))


CADENCE = ["name", "events", "periods", "events_per_period", "target_per_period", "periods_met", "met_share",
           "members", "attendance_rate", "last_event"]
ROTATION = ["name", "events", "members", "chaired", "never_chaired", "chairs_not_members", "mean_score"]


# ---------------------------------------------------------------- cadence

def test_cadence_members_from_attendance(net):
    # O4 has no joint_conference tie: its members are those who attended its meetings (U4, O7)
    cd = linkage.cadence(net)
    assert list(cd.columns) == CADENCE and list(cd.index) == ["O4"] and cd.index.name == "convener"
    r = cd.loc["O4"]
    assert r["name"] == "春晖社区党委"
    assert (r["events"], r["periods"], r["periods_met"], r["members"], r["target_per_period"]) == (1, 12, 1, 2, 1)
    assert r["events_per_period"] == pytest.approx(1 / 12) and r["met_share"] == pytest.approx(1 / 12)
    assert r["attendance_rate"] == 1.0 and r["last_event"] == pd.Timestamp("2025-01-10")
    assert cd.attrs["as_of"] == pd.Timestamp("2025-06-30")
    assert cd.attrs["window"] == (pd.Timestamp("2024-07-01"), pd.Timestamp("2025-06-30"))


def test_cadence_members_from_joint_conference_ties(conf):
    r = linkage.cadence(conf).loc["O4"]
    # members U4, U1, U2 (U5's seat ended; O7 attends but is no member)
    assert (r["events"], r["periods"], r["periods_met"], r["members"]) == (4, 12, 3, 3)  # Jan, Feb (2), Apr
    # E1 1/3 (U4), E3 2/3 (U4, U1), E4 1/3, E5 1/3
    assert r["attendance_rate"] == pytest.approx((1 + 2 + 1 + 1) / 3 / 4)
    assert r["last_event"] == pd.Timestamp("2025-04-03")


def test_a_period_exactly_at_the_target_is_met(conf):
    assert linkage.cadence(conf, target_per_period=2).loc["O4", "periods_met"] == 1  # February: exactly 2
    assert linkage.cadence(conf, target_per_period=3).loc["O4", "periods_met"] == 0
    q = linkage.cadence(conf, period="Q").loc["O4"]  # Q3 2024 .. Q2 2025; Q1 holds E1, E3, E4
    assert (q["periods"], q["periods_met"], q["events_per_period"]) == (4, 2, 1.0)
    assert linkage.cadence(conf, period="Q", target_per_period=3).loc["O4", "periods_met"] == 1


def test_window_boundary(conf):
    # 2026-01-10 is exactly 365 days after E1: E1 is outside the window (as_of - 365, as_of]
    out = linkage.cadence(conf, as_of="2026-01-10").loc["O4"]
    assert (out["events"], out["last_event"]) == (3, pd.Timestamp("2025-04-03"))
    assert out["periods"] == 13  # 2025-01-11 .. 2026-01-10 touches January 2025 to January 2026
    inside = linkage.cadence(conf, as_of="2026-01-09").loc["O4"]
    assert inside["events"] == 4
    assert linkage.cadence(conf, as_of="2026-01-10", window_days=366).loc["O4", "events"] == 4


def test_as_of_boundary(net):
    on = linkage.cadence(net, as_of="2025-01-10")  # the meeting's own day counts
    assert on.loc["O4", "events"] == 1 and on.loc["O4", "periods"] == 13
    before = linkage.cadence(net, as_of="2025-01-09")
    assert before.empty and list(before.columns) == CADENCE
    rot = linkage.rotation(net, as_of="2025-01-09")
    assert rot.empty and list(rot.columns) == ROTATION


def test_a_stopped_convener_keeps_its_row(conf):
    cd = linkage.cadence(conf, as_of="2026-06-30")
    r = cd.loc["O4"]
    assert (r["events"], r["periods_met"], r["met_share"]) == (0, 0, 0.0)
    assert np.isnan(r["attendance_rate"]) and r["last_event"] == pd.Timestamp("2025-04-03")


def test_kinds(net):
    svc = linkage.cadence(net, kinds="service")
    assert list(svc.index) == ["C11"] and svc.loc["C11", "members"] == 1 and svc.loc["C11", "attendance_rate"] == 1.0
    assert list(linkage.cadence(net, kinds=["meeting", "service"]).index) == ["C11", "O4"]
    with pytest.raises(OrgnetParameterError, match="'kinds' parameter of cadence must be an event kind"):
        linkage.cadence(net, kinds=["meeting", "party"])


@pytest.mark.parametrize("kwargs, name", [({"period": "W"}, "period"), ({"target_per_period": 0}, "target_per_period"),
                                          ({"window_days": 0}, "window_days"), ({"as_of": "soon"}, "as_of")])
def test_cadence_parameters(net, kwargs, name):
    with pytest.raises(OrgnetParameterError, match=f"'{name}' parameter of cadence"):
        linkage.cadence(net, **kwargs)


# ---------------------------------------------------------------- rotation

def test_rotation_hand_checked(conf):
    rot = linkage.rotation(conf)
    assert list(rot.columns) == ROTATION and list(rot.index) == ["O4"]
    r = rot.loc["O4"]
    # chairs in the cycle: U4 (E1), O7 (E3), U1 (E4), none (E5)
    assert (r["events"], r["members"], r["chaired"]) == (4, 3, 2)
    assert (r["never_chaired"], r["chairs_not_members"]) == ("U2", "O7")
    assert r["mean_score"] == pytest.approx((9.5 + 8 + 9 + 8 + 7) / 5)
    scores = rot.attrs["scores"]
    assert scores.loc["O4"].to_dict() == {"O7": 8.0, "U1": 8.0, "U2": 7.0, "U4": 9.25}


def test_rotation_cycle_boundary(conf):
    # cycle (2025-01-10, 2026-01-10]: E1 (U4's only chair, 2025-01-10) falls out
    r = linkage.rotation(conf, as_of="2026-01-10").loc["O4"]
    assert (r["events"], r["chaired"], r["never_chaired"]) == (3, 1, "U2,U4")
    assert r["mean_score"] == pytest.approx((9 + 8 + 7) / 3)
    assert linkage.rotation(conf, as_of="2026-01-10", cycle_days=366).loc["O4", "chaired"] == 2


def test_rotation_fallback_members_and_no_scores(net):
    r = linkage.rotation(net).loc["O4"]
    assert (r["members"], r["chaired"], r["never_chaired"]) == (2, 1, "O7")
    assert pd.isna(r["chairs_not_members"]) and r["mean_score"] == pytest.approx((9.5 + 8) / 2)
    svc = linkage.rotation(net, kinds="service").loc["C11"]
    assert (svc["chaired"], svc["never_chaired"]) == (0, "U3") and np.isnan(svc["mean_score"])
    with pytest.raises(OrgnetParameterError, match="'cycle_days' parameter of rotation"):
        linkage.rotation(net, cycle_days=-1)


def test_row_order_does_not_matter(conf):
    t = tables(conference=True)
    for k in ("ties", "events", "attendance"):
        t[k] = t[k].iloc[::-1]
    rev = orgnet.OrgNetwork(**t)
    pd.testing.assert_frame_equal(linkage.cadence(rev), linkage.cadence(conf))
    a, b = linkage.rotation(rev), linkage.rotation(conf)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a.attrs["scores"], b.attrs["scores"])


def test_absent_events_table():
    plain = orgnet.OrgNetwork(**tiny_tables())
    for f in (linkage.cadence, linkage.rotation):
        with pytest.raises(OrgnetMissingDataError, match=f"{f.__name__} needs the 'events' table"):
            f(plain)


def test_results_without_events_are_unchanged():
    # an empty events table (and no cases) gives exactly the results of a ledger without them
    plain = orgnet.OrgNetwork(**tiny_tables())
    t = tables()
    t.pop("cases")  # cases add whistle ties (below)
    t["events"], t["attendance"] = t["events"].iloc[:0], t["attendance"].iloc[:0]
    full = orgnet.OrgNetwork(**t)
    pd.testing.assert_frame_equal(linkage.tie_strength(plain), linkage.tie_strength(full))
    pd.testing.assert_frame_equal(linkage.linkage_index(plain), linkage.linkage_index(full))
    assert linkage.tie_table(full).attrs["activity_from_events"] == 0


def test_tie_strength_reads_the_events_as_activity_ties():
    # E1: O4 convened on 2025-01-10, U4 and O7 attended; E2: C11 convened on 2025-03-05, U3 attended
    t = tables()
    t.pop("cases")
    net = orgnet.OrgNetwork(**t)
    plain = linkage.tie_strength(orgnet.OrgNetwork(**tiny_tables())).set_index(["a", "b"])
    tt = linkage.tie_table(net)
    assert tt.attrs["activity_from_events"] == 4 and tt.attrs["activity_ties_merged"] == 1
    ts = linkage.tie_strength(net).set_index(["a", "b"])
    # U4-O4: the ledger's activity tie (3 activities, latest 2025-03-01) is the fuller record of
    # the pair's one shared event (E1, 2025-01-10): max count, later date, nothing moves
    assert ts.loc[("O4", "U4"), "strength"] == pytest.approx(plain.loc[("O4", "U4"), "strength"], abs=1e-12)
    assert ts.loc[("O4", "U4"), "activity"] == 1
    # O4-O7 (dual_report of 12 since 2024-02-01) gains one activity 171 days old
    extra = 1.0 * np.log2(2) * 0.5 ** (171 / 365)
    assert ts.loc[("O4", "O7"), "strength"] == pytest.approx(plain.loc[("O4", "O7"), "strength"] + extra, abs=1e-12)
    assert ts.loc[("O4", "O7"), "multiplexity"] == 2
    # both attended E1: O7-U4 is a new pair; C11-U3 (convened / attended E2, 117 days old) too
    assert ts.loc[("O7", "U4"), "strength"] == pytest.approx(extra, abs=1e-12)
    assert ts.loc[("C11", "U3"), "strength"] == pytest.approx(0.5 ** (117 / 365), abs=1e-12)
    assert ts.loc[("C11", "U3"), "last_activity"] == pd.Timestamp("2025-03-05")
    assert len(ts) == len(plain) + 2
    # on the event's date it counts; the day before it does not exist yet
    assert ("C11", "U3") in linkage.tie_strength(net, as_of="2025-03-05").set_index(["a", "b"]).index
    assert ("C11", "U3") not in linkage.tie_strength(net, as_of="2025-03-04").set_index(["a", "b"]).index


def test_events_count_once_per_pair_and_the_larger_record_wins():
    # two events shared by U4 and O4 after the ledger's activity tie (3, 2025-03-01), one before
    events = [["E1", "meeting", "O4", "2025-01-10", "", "", ""], ["E3", "activity", "O4", "2025-04-01", "", "", ""],
              ["E4", "meeting", "C11", "2025-05-01", "", "", ""], ["E5", "other", "O4", "2025-05-20", "", "", ""]]
    attendance = [["E1", "U4", "", ""], ["E3", "U4", "", ""], ["E4", "U4", "", ""], ["E4", "O4", "", ""],
                  ["E5", "U4", "1", ""], ["E5", "U4", "2", ""]]  # a double row names one participant once
    ts = linkage.tie_strength(_with(events=events, attendance=attendance)).set_index(["a", "b"])
    # 4 shared events > 3 ledger activities: count 4 at 2025-05-20 (41 days before 2025-06-30)
    co = 1.0 * np.log2(2) * 0.5 ** (902 / 365)  # the co_building tie of 2023-01-10
    assert ts.loc[("O4", "U4"), "strength"] == pytest.approx(co + np.log2(5) * 0.5 ** (41 / 365), abs=1e-12)
    assert ts.loc[("O4", "U4"), "last_activity"] == pd.Timestamp("2025-05-20")
    assert ts.loc[("C11", "U4"), "activity"] == 1 and ts.loc[("C11", "O4"), "activity"] == 1


def test_event_ties_are_invariant_to_row_order_and_id_renaming():
    t = tables(conference=True)
    t.pop("cases")
    base = linkage.tie_strength(orgnet.OrgNetwork(**t))
    shuffled = {k: (v.sample(frac=1, random_state=3) if k in ("events", "attendance", "ties") else v)
                for k, v in t.items()}
    pd.testing.assert_frame_equal(base, linkage.tie_strength(orgnet.OrgNetwork(**shuffled)))
    ren = {k: v.copy() for k, v in t.items()}
    ren["events"]["id"] = "X" + ren["events"]["id"]
    ren["attendance"]["event"] = "X" + ren["attendance"]["event"]
    pd.testing.assert_frame_equal(base, linkage.tie_strength(orgnet.OrgNetwork(**ren)))


def test_whistle_ties_are_read_from_cases_when_the_ledger_records_none():
    net = orgnet.OrgNetwork(**tiny_tables(), **activity_tables())  # K1 O6 -> U4, K2 C11 -> U5, K3 unrouted
    t = linkage.tie_table(net)
    assert t.attrs["whistles_from_cases"] == 2
    w = t[t["kind"] == "whistle"].set_index(["a", "b"])
    # K1 raised 2025-02-01, 149 days before 2025-06-30: 0.75 x log2(1 + 1) x 0.5 ** (149 / 365)
    assert w.loc[("O6", "U4"), "strength"] == pytest.approx(0.75 * 0.5 ** (149 / 365), abs=1e-12)
    assert list(w.index) == [("C11", "U5"), ("O6", "U4")] and (w["count"] == 1).all()
    ts = linkage.tie_strength(net)
    assert int(ts["whistle"].sum()) == 2
    # two cases between the same pair are one tie of count 2 dated at the latest
    t2 = {**tiny_tables(), **activity_tables()}
    t2["cases"] = pd.concat([t2["cases"], pd.DataFrame([["K4", "G111", "O6", "", "2025-04-01", "U4", "", ""]],
                                                       columns=t2["cases"].columns)], ignore_index=True)
    w2 = linkage.tie_table(orgnet.OrgNetwork(**t2))
    row = w2[(w2["kind"] == "whistle") & (w2["a"] == "O6")].iloc[0]
    assert (row["count"], row["start"]) == (2, pd.Timestamp("2025-04-01"))
    # a case raised after as_of is not read; a ledger with its own whistle ties keeps only those
    assert linkage.tie_table(net, as_of="2025-02-28").attrs["whistles_from_cases"] == 1
    t3 = {**tiny_tables(), **activity_tables()}
    t3["ties"] = pd.concat([t3["ties"], pd.DataFrame([["O4", "U4", "whistle", "2025-01-01", "", "1", ""]],
                                                     columns=t3["ties"].columns)], ignore_index=True)
    own = linkage.tie_table(orgnet.OrgNetwork(**t3))
    assert own.attrs["whistles_from_cases"] == 0 and int((own["kind"] == "whistle").sum()) == 1


# ---------------------------------------------------------------- the demo's documented answers

@pytest.fixture(scope="module")
def demo():
    return orgnet.datasets.load("demo")


def test_demo_tables(demo):
    assert demo.as_of == pd.Timestamp("2025-06-30")
    assert (len(demo.events), len(demo.attendance)) == (39, 95)
    assert demo.events["kind"].value_counts().to_dict() == {"meeting": 25, "activity": 8, "service": 6}
    assert demo.events["date"].max() == pd.Timestamp("2025-06-30")


def test_demo_cadence(demo):
    cd = linkage.cadence(demo)
    assert list(cd.index) == ["O11", "O13", "O2", "O3"]
    assert cd["events"].to_dict() == {"O11": 6, "O13": 3, "O2": 12, "O3": 4}
    assert (cd["periods"] == 12).all()
    assert cd["periods_met"].to_dict() == {"O11": 6, "O13": 3, "O2": 12, "O3": 4}
    assert cd["members"].to_dict() == {"O11": 3, "O13": 4, "O2": 4, "O3": 4}
    rate = cd["attendance_rate"]
    assert rate["O2"] == pytest.approx((6 * 1 + 6 * 0.75) / 12)  # U27 at every other meeting
    assert rate["O3"] == pytest.approx(0.75)  # OJ1 never attends
    assert rate["O11"] == pytest.approx((2 / 3 + 5) / 6)  # OU10 joins from the second meeting
    assert rate["O13"] == pytest.approx((1 + 0.75 + 0.5) / 3)
    assert cd.loc["O13", "last_event"] == pd.Timestamp("2024-09-12")
    q = linkage.cadence(demo, period="Q")
    assert q["periods_met"].to_dict() == {"O11": 4, "O13": 1, "O2": 4, "O3": 4}
    assert q["events_per_period"].to_dict() == {"O11": 1.5, "O13": 0.75, "O2": 3.0, "O3": 1.0}
    # the activities and services: one convener per agreement kept alive, plus OU04's 2023 activity
    act = linkage.cadence(demo, kinds=("activity", "service"))
    assert act["events"].sum() == 12 and act.loc["O22", "last_event"] == pd.Timestamp("2025-05-08")
    assert act.loc["O23", "events"] == 1  # OU07's 2024-05-10 activity is before the window


def test_demo_rotation(demo):
    rot = linkage.rotation(demo)
    assert rot["chaired"].to_dict() == {"O11": 3, "O13": 3, "O2": 3, "O3": 3}
    assert pd.isna(rot.loc["O11", "never_chaired"])  # every member of O11 chaired
    assert rot["never_chaired"].drop("O11").to_dict() == {"O13": "U26", "O2": "U27", "O3": "OJ1"}
    assert rot.loc["O3", "chairs_not_members"] == "OU08" and rot["chairs_not_members"].notna().sum() == 1
    assert np.isnan(rot.loc["O11", "mean_score"])
    assert rot.loc["O2", "mean_score"] == pytest.approx((114 + 102 + 96 + 36) / 42)
    assert rot.loc["O3", "mean_score"] == pytest.approx((32 + 36 + 28 + 8.5) / 13)
    assert rot.loc["O13", "mean_score"] == pytest.approx(70 / 9)
    s = rot.attrs["scores"]
    assert s.loc["O2", ["OU01", "OU02", "OS1", "U27"]].tolist() == [9.5, 8.5, 8.0, 6.0]
    assert s.loc["O3", ["OU04", "OS2", "U29", "OU08"]].tolist() == [8.0, 9.0, 7.0, 8.5]
    assert np.isnan(s.loc["O3", "OJ1"])  # a member who never attended


# ------------------------------------------------------------------ dormancy read from events


def _co_pair(ts, a, b):
    row = ts[(ts["a"] == min(a, b)) & (ts["b"] == max(a, b))]
    assert len(row) == 1
    return row.iloc[0]


def _with(events=None, attendance=None, **kw):
    t = {**tiny_tables(), **activity_tables()}
    if events is not None:
        t["events"] = pd.DataFrame(events, columns=t["events"].columns)
    if attendance is not None:
        t["attendance"] = pd.DataFrame(attendance, columns=t["attendance"].columns)
    return orgnet.OrgNetwork(**t, **kw)


def test_dormancy_reads_events_when_there_are_events():
    # the U4-O4 agreement: E1 (convened by O4, attended by U4) on 2025-01-10 keeps it alive
    ts = linkage.tie_strength(_with())
    assert ts.attrs["dormancy_from"] == "activity ties and events" and not _co_pair(ts, "U4", "O4")["dormant"]
    # without U4 at E1, the activity tie U4 -> O4 of 2025-03-01 still keeps it alive ...
    alone = _with(attendance=[["E1", "O7", "", "8"], ["E2", "U3", "5", ""]])
    assert not _co_pair(linkage.tie_strength(alone), "U4", "O4")["dormant"]
    # ... and without that tie nothing happened between them in the window: dormant
    t = {**tiny_tables(), **activity_tables()}
    t["ties"] = t["ties"][t["ties"]["kind"] != "activity"]
    t["attendance"] = pd.DataFrame([["E1", "O7", "", "8"], ["E2", "U3", "5", ""]], columns=t["attendance"].columns)
    assert _co_pair(linkage.tie_strength(orgnet.OrgNetwork(**t)), "U4", "O4")["dormant"]
    t["attendance"] = pd.DataFrame([["E1", "U4", "", ""]], columns=t["attendance"].columns)
    assert not _co_pair(linkage.tie_strength(orgnet.OrgNetwork(**t)), "U4", "O4")["dormant"]  # the event alone
    # both attended an event convened by a third party: alive
    both = _with(events=[["E1", "meeting", "C11", "2025-01-10", "", "", ""]],
                 attendance=[["E1", "U4", "", ""], ["E1", "O4", "", ""]])
    assert not _co_pair(linkage.tie_strength(both), "U4", "O4")["dormant"]


def test_dormancy_window_edge_with_events():
    def net_with(date):
        t = {**tiny_tables(), **activity_tables()}
        t["ties"] = t["ties"][t["ties"]["kind"] != "activity"]
        t["events"] = pd.DataFrame([["E1", "meeting", "O4", date, "", "", ""]], columns=t["events"].columns)
        t["attendance"] = pd.DataFrame([["E1", "U4", "", ""]], columns=t["attendance"].columns)
        return orgnet.OrgNetwork(**t, as_of="2025-06-30")

    assert not _co_pair(linkage.tie_strength(net_with("2024-06-30")), "U4", "O4")["dormant"]  # 365 days before
    assert _co_pair(linkage.tie_strength(net_with("2024-06-29")), "U4", "O4")["dormant"]
    # linkage_index counts the same dormant agreements
    assert linkage.linkage_index(net_with("2024-06-29")).loc["C11", "dormant_share"] == 1.0


def test_without_events_dormancy_reads_activity_ties(tiny_net):
    ts = linkage.tie_strength(tiny_net)
    assert ts.attrs["dormancy_from"] == "activity ties" and not _co_pair(ts, "U4", "O4")["dormant"]


def test_demo_dormant_agreements_are_the_same_read_from_events():
    # the demo's events repeat the latest activity of each activity tie (README "Events and attendance")
    ts = linkage.tie_strength(orgnet.datasets.load("demo"))
    assert ts.attrs["dormancy_from"] == "activity ties and events"
    assert sorted(map(tuple, ts.loc[ts["dormant"], ["a", "b"]].to_numpy().tolist())) == [("O22", "OU04"), ("O22", "U30")]


def test_demo_strength_equals_a_brute_force_from_the_csv_files():
    """Every pair strength of the demo recomputed from its CSV files in plain Python, by the
    documented definitions (docs/linkage.md): the ledger's active ties, the events' pairs
    (convener and attendee, or two attendees) merged with the pair's activity ties."""
    import csv
    import datetime as dt
    import itertools
    import math
    from collections import defaultdict
    from pathlib import Path

    folder = Path(orgnet.__file__).parent / "datasets" / "demo"
    rows = lambda name: list(csv.DictReader((folder / name).open(encoding="utf-8")))  # noqa: E731
    day = lambda s: dt.date.fromisoformat(s) if s else None  # noqa: E731
    as_of = dt.date(2025, 6, 30)
    ties = []
    for r in rows("ties.csv"):
        s, e = day(r["start"]), day(r["end"])
        if (s is None or s <= as_of) and (e is None or e >= as_of):
            ties.append((tuple(sorted((r["source"], r["target"]))), r["kind"], s, int(r["count"] or 1)))
    assert any(k == "whistle" for _, k, _, _ in ties)  # so no whistle tie is read from the cases
    who, when = defaultdict(set), {}
    for r in rows("events.csv"):
        if day(r["date"]) <= as_of:
            who[r["id"]].add(r["convener"])
            when[r["id"]] = day(r["date"])
    for r in rows("attendance.csv"):
        if r["event"] in who:
            who[r["event"]].add(r["entity"])
    shared = defaultdict(list)
    for e, ps in who.items():
        for pair in itertools.combinations(sorted(ps), 2):
            shared[pair].append(when[e])
    kept, ledger_activity = [], defaultdict(list)
    for pair, kind, s, c in ties:
        if kind == "activity" and pair in shared:
            ledger_activity[pair].append((s, c))
        else:
            kept.append((pair, kind, s, c))
    for pair, dates in shared.items():
        n, last = len(dates), max(dates)
        if pair in ledger_activity:
            n = max(n, sum(c for _, c in ledger_activity[pair]))
            last = max(last, *(s for s, _ in ledger_activity[pair]))
        kept.append((pair, "activity", last, n))
    expected = defaultdict(float)
    for pair, kind, s, c in kept:
        age = max((as_of - s).days, 0) if s else 0
        expected[pair] += linkage.DEFAULT_WEIGHTS[kind] * math.log2(1 + c) * 0.5 ** (age / 365)
    ts = linkage.tie_strength(orgnet.datasets.load("demo"))
    got = dict(zip(zip(ts["a"], ts["b"]), ts["strength"]))
    assert len(got) == len(expected) == 73
    assert got == pytest.approx(dict(expected), abs=1e-12)
