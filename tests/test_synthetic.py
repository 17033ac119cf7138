"""The synthetic city generator: determinism, calibration, validity, CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import orgnet
from orgnet import schema
from orgnet.cli import main
from orgnet.datasets import calibration, synthetic_city

OTHER_SEED = 7
#: the tables of the network layer the generator fills
GENERATED = ("areas", "organisations", "units", "stations", "ties", "demands", "resources", "projects")
#: the activity-layer tables it fills (``activity=True``, the default) besides the meetings
ACTIVITY = ("people", "cases", "ratings")
#: the meetings' tables (``meetings=True``, the default in every preset)
MEETINGS = ("events", "attendance")
#: their calibration rows
MEETING_ROWS = ("joint-conference meetings per convener and month", "members (not chairing) attending a meeting (%)",
                "members who chaired a meeting within 365 days (轮值主席) (%)")


@pytest.fixture(scope="module")
def nets():
    """Generated once per module: (preset, seed) -> network."""
    cache = {}

    def get(preset, seed=0, **kw):
        key = (preset, seed, tuple(sorted(kw.items())))
        if key not in cache:
            cache[key] = synthetic_city(preset, seed=seed, **kw)
        return cache[key]

    return get


def _assert_same(a, b):
    for t in schema.TABLE_ORDER:
        pd.testing.assert_frame_equal(a.tables[t], b.tables[t], check_exact=True)


def _active(net, kind):
    return net.active_ties(kinds=kind)


def _territorial_level(net):
    o = net.organisations
    terr = o[o["scope"] == "territorial"]
    return terr["area"].astype(object).map(net.areas["level"])


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize("preset", ["district", "lanzhou"])
def test_same_seed_gives_identical_tables(nets, preset):
    _assert_same(nets(preset, 0), synthetic_city(preset, seed=0))


@pytest.mark.parametrize("preset", ["district", "lanzhou"])
def test_other_seed_gives_other_tables_same_calibration(nets, preset):
    a, b = nets(preset, 0), nets(preset, OTHER_SEED)
    for t in GENERATED:
        assert not a.tables[t].equals(b.tables[t]), t
    ca, cb = calibration(a), calibration(b)
    assert ca.index.equals(cb.index)
    figures = ca["source"].str.startswith("GLOSSARY")  # knob-derived targets may scale with the city
    assert figures.sum() >= 5
    assert ca.loc[figures, "target"].equals(cb.loc[figures, "target"])
    assert cb["ok"].all(), cb[~cb["ok"]]


# ---------------------------------------------------------------- calibration


@pytest.mark.parametrize("seed", [0, OTHER_SEED])
def test_lanzhou_calibration(nets, seed):
    net = nets("lanzhou", seed)
    cal = calibration(net)
    assert cal["ok"].all(), cal[~cal["ok"]]
    exact = cal[(cal["tolerance"] == 0) & cal["target"].notna()]
    assert (exact["achieved"] == exact["target"]).all()
    # the glossary figures, recomputed here from the tables
    lv = net.areas["level"].value_counts()
    assert (lv["street"], lv["community"], lv["grid"]) == (53, 427, 1768)
    assert (_territorial_level(net) == "grid").sum() == 1602
    cb = _active(net, "co_building")
    tl = _territorial_level(net)
    cb = cb[cb["source"].isin(net.units.index) & cb["target"].astype(object).map(tl).isin(["street", "community"])]
    assert cb["source"].nunique() == 3297
    o, u = net.organisations, net.units
    unit_orgs = o[o["scope"] == "unit"]
    emerging = (o["scope"] == "sector").sum() + unit_orgs["unit"].astype(object).map(u["sector"]).notna().sum()
    assert emerging == 895
    assert len(_active(net, "instructor")) == 2714
    covers = _active(net, "covers")
    covers = covers[covers["source"].astype(object).map(o["scope"]).isin(["joint", "industry", "sector"])]
    covered = u.index.isin(unit_orgs["unit"].astype(object)) | u.index.isin(covers["target"].astype(object))
    for typ, rate in (("private_enterprise", 88.18), ("social_organisation", 90.33)):
        m = (u["type"] == typ).to_numpy()
        assert abs(100 * covered[m].mean() - rate) <= 1.0
    assert cal.loc["three-no compounds", "achieved"] == 526
    assert cal.loc["joint conference member units, city level", "achieved"] == 22
    unserved = cal.loc["residents farther than the station radius (1 km) from every station (%)", "achieved"]
    assert 5 <= unserved <= 20


@pytest.mark.parametrize("seed", [0, OTHER_SEED])
def test_district_calibration(nets, seed):
    net = nets("district", seed)
    cal = calibration(net)
    assert cal["ok"].all(), cal[~cal["ok"]]
    lv = net.areas["level"].value_counts()
    assert (lv["district"], lv["street"], lv["community"]) == (1, 9, 70)
    assert "city" not in lv
    jc = _active(net, "joint_conference")
    jc = jc[jc["source"].isin(net.units.index)]
    lvl = jc["target"].astype(object).map(_territorial_level(net))
    got = [jc.loc[(lvl == level).to_numpy(), "source"].nunique() for level in ("district", "street", "community")]
    assert got == [40, 86, 155]
    assert cal.loc["units holding an active co-building agreement", "achieved"] == 196
    assert cal.loc["co-building units absorbed into big committees", "achieved"] == 196
    assert len(net.projects) == 146
    for figure, target in (("own organisation (establishment) rate, private enterprises (%)", 45.4),
                           ("own organisation (establishment) rate, social organisations (%)", 45.1)):
        assert abs(cal.loc[figure, "achieved"] - target) <= 1.0


def test_campaign_526_to_66(nets):
    before, after = nets("lanzhou", 0), nets("lanzhou", 0, campaign=True)

    def three_no(net):
        a = net.areas[net.areas["level"] == "compound"]
        flags = a[["property_management", "supervisor", "security"]].fillna(False)
        return set(a.index[~flags.any(axis=1).to_numpy()])

    b, a = three_no(before), three_no(after)
    assert (len(b), len(a)) == (526, 66)
    assert a <= b
    # the same city: only the remediated compounds changed
    for t in schema.TABLE_ORDER:
        if t != "areas":
            pd.testing.assert_frame_equal(before.tables[t], after.tables[t])
    changed = (before.areas.astype(object).fillna("") != after.areas.astype(object).fillna("")).any(axis=1)
    assert set(changed.index[changed.to_numpy()]) == b - a
    cal = calibration(after)
    assert cal.loc["three-no compounds after the campaign", ["target", "achieved"]].tolist() == [66, 66]


TWO_WAY = "(community, partner) pairs with projects in both directions (%)"


@pytest.mark.parametrize("preset, n_projects, reverse, pairs", [("district", 146, 15, 103),
                                                                ("lanzhou", 1200, 124, 825)])
def test_two_way_projects(nets, preset, n_projects, reverse, pairs):
    # 双向认领: some partners also own a project the community is partner of (was 0 everywhere)
    net = nets(preset, 0)
    p = net.projects
    assert len(p) == n_projects  # the project count stays exact
    back = p[p["demand"].isna()]  # the reverse projects: no listed community demand behind them
    assert len(back) == reverse and (back["status"] == "done").all() and (back["date"] <= net.as_of).all()
    # each mirrors a done forward project: its owner is that project's partner, its partner
    # the community organisation of that project's owner's community
    party = orgnet.sharing.party_of(net)
    comm = net.area_paths["community"]
    fwd = p[p["demand"].notna() & (p["status"] == "done")]
    fwd_pairs = set(zip(fwd["owner"].map(party).map(comm), fwd["partner"]))
    back_pairs = list(zip(back["partner"].map(party).map(comm), back["owner"]))
    assert len(set(back_pairs)) == reverse and set(back_pairs) <= fwd_pairs
    assert (back["partner"].astype(object).map(net.organisations["scope"]) == "territorial").all()
    rs = orgnet.sharing.realised(net)
    assert (rs["two_way_share"] > 0).any() and rs["two_way_share"].max() == 1.0
    # pooled over communities: reverse / pairs, e.g. district 15 / 103 = 14.56%
    assert rs["partners"].sum() == pairs
    assert (rs["two_way_share"].fillna(0) * rs["partners"]).sum() == pytest.approx(reverse)
    cal = calibration(net)
    assert cal.loc[TWO_WAY, ["target", "tolerance"]].tolist() == [15.0, 1.0]
    assert cal.loc[TWO_WAY, "achieved"] == pytest.approx(100 * reverse / pairs)


@pytest.mark.parametrize("share", [0.0, 0.4, 1.0])
def test_two_way_share_is_recovered(nets, share):
    net = synthetic_city("district", seed=0, two_way_share=share)
    cal = calibration(net)
    assert cal["ok"].all(), cal[~cal["ok"]]
    assert abs(cal.loc[TWO_WAY, "achieved"] - 100 * share) <= 1.0
    assert len(net.projects) == 146
    for t in schema.TABLE_ORDER:  # only the three lists' projects (and the demands they meet) change
        if t not in ("projects", "demands"):
            pd.testing.assert_frame_equal(net.tables[t], nets("district", 0).tables[t])
    if share == 0:  # no reverse project: the forward projects alone, as before the knob existed
        assert net.projects["demand"].notna().all()
        assert (orgnet.sharing.realised(net)["two_way_share"].fillna(0) == 0).all()


# ---------------------------------------------------------------- validity and realism


def test_every_vocabulary_is_used_and_dates_respect_as_of(nets):
    net = nets("lanzhou", 0)
    assert net.as_of == pd.Timestamp("2025-06-30")
    assert set(net.areas["level"]) == set(schema.LEVELS)
    assert set(net.organisations["form"]) == set(schema.VOCABULARIES["form"].values)
    assert set(net.organisations["scope"]) == set(schema.VOCABULARIES["scope"].values)
    assert set(net.units["type"]) == set(schema.VOCABULARIES["unit_type"].values)
    assert set(net.units["sector"].dropna()) == set(schema.VOCABULARIES["sector"].values)
    assert set(net.stations["type"]) == set(schema.VOCABULARIES["station_type"].values)
    # every kind but the activity layer's service and administrative lines (not generated yet)
    assert set(net.ties["kind"]) == set(schema.TIE_KINDS) - {"manages", "supervises"}
    assert set(net.organisations["status"]) == {"normal", "weak"}
    for t in GENERATED:
        assert len(net.tables[t]), t
    for col in (net.ties["start"], net.organisations["established"], net.demands["date"],
                net.resources["date"], net.projects["date"]):
        assert col.max() <= net.as_of
    t = net.ties
    assert (t["end"].isna() | (t["end"] >= t["start"])).all()
    assert (t["end"] < net.as_of).any() and (t["end"] > net.as_of).any()  # ended and term agreements


def test_ids_have_a_prefix_per_kind(nets):
    net = nets("district", 0)
    prefixes = {"areas": set("DSCGQB"), "organisations": {"O"}, "units": {"U"}, "stations": {"T"},
                "demands": {"N"}, "resources": {"R"}, "projects": {"P"}, "people": {"H"}, "cases": {"K"}}
    for table, allowed in prefixes.items():
        assert set(net.tables[table].index.str[0]) <= allowed, table


def test_round_trip_through_files_validates(nets, tmp_path):
    net = nets("district", 0)
    folder = orgnet.write_dataset(net, tmp_path / "district")
    back = orgnet.read_dataset(folder, as_of="2025-06-30")
    assert back == net
    pd.testing.assert_frame_equal(calibration(back, "district"), calibration(net))


def test_geography_makes_sense(nets):
    net = nets("lanzhou", 0)
    a = net.areas
    assert a["lon"].between(103.4, 104.2).all() and a["lat"].between(35.85, 36.35).all()
    core = a[a["level"] == "community"]
    assert core["lon"].between(103.55, 104.05).mean() > 0.9
    # grids lie near their community
    g = a[a["level"] == "grid"]
    c = a.loc[g["parent"].astype(object)]
    dlat = (g["lat"].to_numpy() - c["lat"].to_numpy()) * 110.6
    dlon = (g["lon"].to_numpy() - c["lon"].to_numpy()) * 111.3 * np.cos(np.radians(36.06))
    assert np.median(np.hypot(dlat, dlon)) < 1.5


def test_structure_is_heavy_tailed_and_uneven(nets):
    net = nets("lanzhou", 0)
    u = net.units
    emp = u.loc[u["type"] == "private_enterprise", "employees"].astype(float)
    assert emp.max() > 20 * emp.median()
    cb = _active(net, "co_building")
    comm_org = net.organisations[_territorial_level(net).reindex(net.organisations.index) == "community"]
    per = cb[cb["target"].isin(comm_org.index)].groupby("target")["source"].nunique()
    assert per.max() > 4 * per.median()
    # emerging-sector units cluster: a business building holds many units
    bb = u[u["sector"] == "business_building"]
    assert bb["area"].str.startswith("B").all() and bb["area"].value_counts().max() >= 20
    cal = calibration(net)
    spread = (cal.loc["coverage of private enterprises by street, highest (%)", "achieved"]
              - cal.loc["coverage of private enterprises by street, lowest (%)", "achieved"])
    assert spread > 15
    assert 0 < (net.organisations["status"] == "weak").mean() < 0.1
    grids = net.areas.index[net.areas["level"] == "grid"]
    assert 0 < (~grids.isin(net.organisations["area"].astype(object))).sum() < len(grids) / 5


def test_small_override_of_large_generates(nets):
    net = synthetic_city("large", seed=0, districts=3, streets=12, communities=120, grids=1200, units=12000,
                         sector_units=dict(business_building=900, park=500, market=500, internet=150),
                         business_buildings=100, parks=10, markets=60, posts=80)
    lv = net.areas["level"].value_counts()
    assert (lv["district"], lv["street"], lv["community"], lv["grid"]) == (3, 12, 120, 1200)
    assert len(net.units) == 12000
    assert 2.5 < len(net.ties) / len(net.units) < 4.5  # the large preset's density: ~10^6 ties for 300,000 units


# ---------------------------------------------------------------- parameters


def test_unknown_override_lists_the_known_ones():
    with pytest.raises(orgnet.OrgnetParameterError, match=r"unknown override 'unitz'.*Known overrides: .*units"):
        synthetic_city("district", unitz=10)


@pytest.mark.parametrize("kw, match", [
    (dict(dormant_share=1.5), r"'dormant_share' parameter .* in \[0, 1\]\. Got 1.5"),
    (dict(grids=60), r"'grids' parameter .* at least communities=70"),
    (dict(unit_mix={"agency": 1.0}), r"'unit_mix' parameter .* every unit type"),
    (dict(campaign="yes"), r"'campaign' parameter .* True or False"),
])
def test_bad_override_values(kw, match):
    with pytest.raises(orgnet.OrgnetParameterError, match=match):
        synthetic_city("district", **kw)


def test_infeasible_counts_say_what_to_change():
    with pytest.raises(orgnet.OrgnetParameterError, match=r"'grid_orgs' .* at most grids \(500\).*grid_orgs=None"):
        synthetic_city("lanzhou", grids=500)
    with pytest.raises(orgnet.OrgnetParameterError, match=r"'preset' parameter .* 'lanzhou', 'district', 'large'"):
        synthetic_city("beijing")


def test_overrides_change_only_their_knob(nets):
    net = synthetic_city("district", seed=0, dormant_share=0.5, co_building_units=150)
    cal = calibration(net)
    assert cal["ok"].all()
    assert cal.loc["units holding an active co-building agreement", "achieved"] == 150
    assert abs(cal.loc["dormant agreements (no activity within 365 days) (%)", "achieved"] - 50) <= 1
    pd.testing.assert_frame_equal(net.areas, nets("district", 0).areas)


def test_every_knob_declares_a_constraint_of_the_one_mechanism():
    from orgnet._params import Constraint
    from orgnet.datasets.synthetic import PARAMETERS, PRESETS

    for name, knob in PARAMETERS.items():
        cs = knob.constraint if isinstance(knob.constraint, list) else [knob.constraint]
        assert cs and all(c is None or isinstance(c, Constraint) for c in cs), name
        assert knob.doc, name
    for preset, params in PRESETS.items():  # every preset sets every knob, and only knobs
        assert list(params) == list(PARAMETERS), preset


def test_vocabularies_come_from_the_schema():
    from orgnet.datasets.synthetic import SECTORS, UNIT_TYPES

    assert sorted(UNIT_TYPES) == sorted(schema.VOCABULARIES["unit_type"].values)
    assert UNIT_TYPES[:3] == ("agency", "state_enterprise", "public_institution")  # public sector first
    assert SECTORS == tuple(schema.VOCABULARIES["sector"].values)


@pytest.mark.parametrize("kw, message", [
    (dict(centre=(200, 41.8)), "must be a (lon, lat) pair. Got (200, 41.8) instead."),
    (dict(centreline=((103.6, 36.09),)),
     "must be a sequence of at least two (lon, lat) points. Got ((103.6, 36.09),) instead."),
    (dict(district_names=("",)), "must be a tuple of names. Got ('',) instead."),
    (dict(district_weights=(1, -2)), "must be a tuple of positive numbers. Got (1, -2) instead."),
    (dict(own_rate=dict(orgnet.datasets.synthetic.PRESETS["district"]["own_rate"], agency=1.5)),
     ("must be a dict with a share in [0, 1] for every unit type (agency, state_enterprise, public_institution, "
      "private_enterprise, social_organisation, property_company, owners_committee, other). Got {'agency': 1.5,")),
    (dict(sector_units=dict(business_building=150.0, park=80, market=90, internet=20)),
     "must be a dict with an integer >= 0 for every sector (business_building, park, market, internet)."),
    (dict(units=0), "'units' parameter of synthetic_city must be an integer >= 1. Got 0 instead."),
    (dict(three_no=-1), "'three_no' parameter of synthetic_city must be an integer >= 0 or None. Got -1 instead."),
    (dict(name=" "), "'name' parameter of synthetic_city must be a non-empty text. Got ' ' instead."),
    (dict(root="town"), "'root' parameter of synthetic_city must be one of 'city', 'district'. Got 'town' instead."),
    (dict(radius_km=float("inf")), "'radius_km' parameter of synthetic_city must be a number > 0. Got inf instead."),
    (dict(suburban_scale=0.5), "'suburban_scale' parameter of synthetic_city must be a number >= 1. Got 0.5 instead."),
])
def test_knob_errors_in_the_one_message_style(kw, message):
    with pytest.raises(orgnet.OrgnetParameterError) as info:
        synthetic_city("district", **kw)
    assert str(info.value).startswith(f"The {next(iter(kw))!r} parameter of synthetic_city ")
    assert message in str(info.value)


def test_several_unknown_overrides_are_named():
    with pytest.raises(orgnet.OrgnetParameterError,
                       match=r"^synthetic_city got unknown overrides 'unitz', 'gridz'\. Known overrides: "):
        synthetic_city("district", unitz=1, gridz=2)


def test_seed_convention_is_as_rng(nets):
    # a Generator is taken as it is: default_rng(0) gives the city of seed=0
    net = synthetic_city("district", seed=np.random.default_rng(0))
    _assert_same(net, nets("district", 0))
    assert net.synthetic["seed"] is None and nets("district", 0).synthetic["seed"] == 0
    for bad in (-1, 1.5, "0", True):
        with pytest.raises(orgnet.OrgnetParameterError,
                           match=r"'seed' parameter of synthetic_city must be an integer >= 0 or a "
                                 r"numpy\.random\.Generator\. Got"):
            synthetic_city("district", seed=bad)


def test_integer_knobs_are_passed_on_as_int(nets):
    net = synthetic_city("district", seed=0, units=3000.0, projects=146.0)
    assert type(net.synthetic["params"]["units"]) is int and type(net.synthetic["params"]["projects"]) is int
    _assert_same(net, nets("district", 0))


def test_same_output_as_the_single_module_generator(nets):
    # table sizes of district seed 0 from the generator before it became a package (identical tables)
    net = nets("district", 0)
    assert {t: len(net.tables[t]) for t in GENERATED} == dict(
        areas=3130, organisations=2400, units=3000, stations=79, ties=4834, demands=297, resources=208,
        projects=146)
    a = net.areas
    assert int(a.loc[a["level"] == "district", "population"].sum()) == 1_408_236
    assert net.units.iloc[0][["name", "type", "area"]].tolist() == ["青白宗教活动场所管理处", "other", "G001"]
    assert net.organisations.iloc[100][["name", "form"]].tolist() == ["振华社区第四网格党支部", "branch"]
    assert int(net.ties["count"].sum()) == 19_702


def test_unserved_share_by_brute_force(nets):
    # every compound against every station, haversine written out here
    net = nets("district", 0)
    a = net.areas
    q = a[a["level"] == "compound"]
    st = net.locations.loc[net.stations.index]
    radius = net.stations["radius_m"].fillna(1000.0).to_numpy()
    lon1, lat1 = np.radians(q["lon"].to_numpy(float))[:, None], np.radians(q["lat"].to_numpy(float))[:, None]
    lon2, lat2 = np.radians(st["lon"].to_numpy(float))[None, :], np.radians(st["lat"].to_numpy(float))[None, :]
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    d = 2 * 6371008.8 * np.arcsin(np.sqrt(h))
    served = (d <= radius[None, :]).any(axis=1)
    pop = q["population"].to_numpy(float)
    expected = 100 * (1 - pop[served].sum() / pop.sum())
    got = calibration(net).loc["residents farther than the station radius (1 km) from every station (%)", "achieved"]
    assert got == pytest.approx(expected, abs=1e-9)
    assert round(got, 2) == 8.12  # docs/synthetic.md, district seed 0


@pytest.mark.parametrize("share", [0.25, 0.5])
def test_dormant_share_by_hand(share):
    # agreements (unit -> street/community organisation) with no activity between the same ends
    # started within the 365 days before as_of, counted here from the tables
    net = synthetic_city("district", seed=0, dormant_share=share)
    cb = _active(net, "co_building")
    tl = _territorial_level(net)
    cb = cb[cb["source"].isin(net.units.index) & cb["target"].astype(object).map(tl).isin(["street", "community"])]
    t = net.ties
    recent = t[(t["kind"] == "activity") & (t["start"] <= net.as_of)
               & (t["start"] >= net.as_of - pd.Timedelta(days=365))]
    live = set(zip(recent["source"], recent["target"]))
    dormant = [(s, g) not in live for s, g in zip(cb["source"], cb["target"])]
    expected = 100 * np.mean(dormant)
    assert abs(expected - 100 * share) <= 1.0
    got = calibration(net).loc["dormant agreements (no activity within 365 days) (%)", "achieved"]
    assert got == pytest.approx(expected, abs=1e-12)


def test_calibration_checks_its_preset(nets):
    with pytest.raises(orgnet.OrgnetParameterError,
                       match=r"^The 'preset' parameter of calibration must be one of 'lanzhou', 'district', "
                             r"'large' or None\. Got 'beijing' instead\.$"):
        calibration(nets("district", 0), "beijing")


def test_calibration_needs_a_preset_for_foreign_networks(tiny_net):
    with pytest.raises(orgnet.OrgnetParameterError, match="preset"):
        calibration(tiny_net)


# ---------------------------------------------------------------- command line


def test_cli_synth_writes_a_readable_dataset(tmp_path, capsys, nets):
    out = tmp_path / "d"
    assert main(["synth", "--preset", "district", "--seed", "0", "-o", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}")
    back = orgnet.read_dataset(out)
    _assert_same(back, nets("district", 0))
    assert main(["synth", "--preset", "district", "--seed", "0", "--campaign", "-o", str(tmp_path / "c")]) == 0
    assert calibration(orgnet.read_dataset(tmp_path / "c"), "district", campaign=True)["ok"].all()


def test_cli_synth_xlsx_with_overrides_and_progress(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    out = tmp_path / "small.xlsx"
    args = ["synth", "--preset", "district", "--seed", "2", "-o", str(out), "--progress",
            "--set", "grids=150", "--set", "units=800", "--set", "co_building_units=60",
            "--set", "jc_community=40", "--set", "projects=30"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "[synth district] units: 800" in err
    back = orgnet.read_dataset(out)
    assert len(back.units) == 800 and (back.areas["level"] == "grid").sum() == 150


def test_cli_synth_bad_override_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:  # refused by argparse, before any generating
        main(["synth", "--preset", "district", "-o", str(tmp_path / "x"), "--set", "nope=1"])
    assert info.value.code == 2
    assert "argument --set: unknown parameter 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_zero_projects_is_a_city_without_projects():
    # used to fail inside numpy (zfill of an empty array) instead of generating the city
    net = orgnet.datasets.synthetic_city("district", projects=0)
    assert len(net.projects) == 0 and len(net.demands) > 0


# ---------------------------------------------------------------- the activity layer (issue 12 part 7)

#: (preset, seed) -> pandas.util.hash_pandas_object(table).sum() mod 2**63 of each table of GENERATED,
#: computed at commit 12b6834, before the activity layer existed: the layer must leave them as they were
NETWORK_LAYER_HASHES = {
    ("lanzhou", 0): (5929192089617679190, 7127575745837140229, 2853055985537148865, 5955498603145528622,
                     4330205228085839564, 1833136029494262771, 270827607377396845, 7594228043568426936),
    ("lanzhou", 7): (2484339207684988485, 2527762161012329203, 4971666983042762867, 6244066612653094203,
                     3693752009755722323, 8991272690217431380, 2312912286128333414, 5943686141466084000),
    ("district", 0): (1654330958435512703, 6849914270206871081, 5661692489551689375, 1484656757003711467,
                      4089506341316567123, 4923099013014463393, 1323541626962027965, 2724819213162443071),
    ("district", 7): (2774520664639466672, 3912468616301294684, 405651431725248402, 6079665299795882830,
                      1883693852711979347, 1325533637528415456, 452084325282697125, 8941777473438764493),
}


def _hashes(net):
    return tuple(int(pd.util.hash_pandas_object(net.tables[t], index=True).sum() % (1 << 63)) for t in GENERATED)


@pytest.mark.parametrize("preset, seed", list(NETWORK_LAYER_HASHES))
def test_activity_layer_leaves_the_network_layer_as_it_was(nets, preset, seed):
    on, off = nets(preset, seed), nets(preset, seed, activity=False)
    assert _hashes(on) == NETWORK_LAYER_HASHES[preset, seed]
    assert _hashes(off) == NETWORK_LAYER_HASHES[preset, seed]
    for t in GENERATED:
        pd.testing.assert_frame_equal(on.tables[t], off.tables[t], check_exact=True)
    assert on.as_of == off.as_of == pd.Timestamp("2025-06-30")
    for t in ACTIVITY + MEETINGS:
        assert len(on.tables[t]) and not len(off.tables[t]), t
    # activity=False: no activity row; the old rows are the same with the layer on
    con, coff = calibration(on), calibration(off)
    assert list(con.index[: len(coff)]) == list(coff.index)
    pd.testing.assert_frame_equal(con.iloc[: len(coff)], coff, check_exact=True)
    assert not any(k in " ".join(coff.index) for k in ("grid worker", "members", "cases", "station staff"))
    assert len(con) - len(coff) == len(ACTIVITY_ROWS) + len(MEETING_ROWS)
    assert set(con.index[len(coff):]) == set(ACTIVITY_ROWS + MEETING_ROWS)


ACTIVITY_ROWS = (
    "full-time grid workers per grid (mean)", "grids without a full-time grid worker (%)",
    "grids with nobody in place (unstaffed) (%)", "stations with fewer than 2 staff", "staff per station (mean)",
    "in-service members reporting (双报到)", "reporting members placed down to a grid (%)",
    "service posts claimed per reporting member", "units with party members whose members report (%)",
    "first secretaries (第一书记)", "cadres sent down (下沉干部)", "whistle-and-report cases (吹哨报到)",
    "cases closed (%)", "satisfied among closed cases with an answer (%)", "median days from raised to closed",
    "cases routed to departments (%)",
)


@pytest.mark.parametrize("preset", ["lanzhou", "district"])
@pytest.mark.parametrize("seed", [0, OTHER_SEED])
def test_activity_targets_met_and_recounted_from_the_tables(nets, preset, seed):
    net = nets(preset, seed)
    cal = calibration(net)
    assert cal.loc[list(ACTIVITY_ROWS + MEETING_ROWS), "ok"].all(), cal.loc[list(ACTIVITY_ROWS + MEETING_ROWS)]
    a, p, c = net.areas, net.people, net.cases
    nc, ng = int((a["level"] == "community").sum()), int((a["level"] == "grid").sum())
    by_role = p.groupby("role")["count"].sum()
    # counted here from the tables, by hand
    members = int(by_role["in_service_member"])
    assert members == round(8600 / 66 * nc)  # Huichang's 8,600 for 66 grids, per community
    assert members == {"lanzhou": 55_639, "district": 9_121}[preset]
    assert cal.loc["in-service members reporting (双报到)", "achieved"] == members
    grid_rows = p[p["role"] == "grid_worker"]
    gap = ng - grid_rows["area"].nunique()
    assert gap == round(0.02 * ng) and (grid_rows["count"] == 1).all()
    assert cal.loc["full-time grid workers per grid (mean)", "achieved"] == pytest.approx((ng - gap) / ng)
    staff = p[p["station"].notna()]
    per_station = staff.groupby("station")["count"].sum().reindex(net.stations.index, fill_value=0)
    assert per_station.between(2, 3).all()  # two to three staff per station, every station
    assert cal.loc["staff per station (mean)", "achieved"] == pytest.approx(per_station.mean())
    m = p[p["role"] == "in_service_member"]
    in_grid = m.loc[m["area"].map(a["level"]) == "grid", "count"].sum()
    assert cal.loc["reporting members placed down to a grid (%)", "achieved"] == pytest.approx(100 * in_grid / members)
    assert (m["posts"] >= m["count"]).all()  # 每人至少认领1个服务岗位: at least one post each
    assert m["source"].map(net.units["party_members"]).gt(0).all()
    assert (m.groupby("source")["count"].sum() <= net.units["party_members"].reindex(m["source"].unique())).all()
    assert by_role["first_secretary"] == round(0.25 * nc) and by_role["cadre"] == round(0.5 * nc)
    # cases: closure, satisfaction among the answered, median days, routing
    assert len(c) == round(8.7 * 2 * nc)
    closed = c["closed"].notna()
    assert 100 * closed.mean() == pytest.approx(cal.loc["cases closed (%)", "achieved"])
    assert abs(100 * closed.mean() - 95) <= 1
    answered = c.loc[closed & c["satisfied"].notna(), "satisfied"].astype(bool)
    assert abs(len(answered) / closed.sum() - 0.9) < 0.01
    assert 100 * answered.mean() == pytest.approx(cal.loc["satisfied among closed cases with an answer (%)", "achieved"])
    assert abs(100 * answered.mean() - 98) <= 1
    days = (c.loc[closed, "closed"] - c.loc[closed, "raised"]).dt.days
    assert days.min() >= 0 and abs(days.median() - 7) <= 1
    assert cal.loc["median days from raised to closed", "achieved"] == days.median()
    dep = c["routed_to"].isin(net.units.index)
    assert set(net.units.loc[c.loc[dep, "routed_to"], "type"]) <= {"agency", "state_enterprise", "public_institution"}
    assert abs(100 * dep.mean() - 45) <= 1
    assert c["satisfied"].isna()[~closed].all()


def test_activity_dates_respect_as_of_and_the_default_as_of_does_not_move(nets):
    net = nets("district", 0)
    for col in (net.people["start"], net.cases["raised"], net.cases["closed"], net.ratings["period"]):
        assert col.max() <= net.as_of
    assert (net.cases["closed"].dropna() >= net.cases.loc[net.cases["closed"].notna(), "raised"]).all()
    # a network built from the tables without as_of takes the latest date: still the preset's
    assert orgnet.OrgNetwork(**net.tables).as_of == pd.Timestamp("2025-06-30")


def test_unstaffed_grids_are_the_blank_spots(nets):
    net = nets("district", 0)
    va = orgnet.vacuum.vacuum_areas(net)
    assert "unstaffed" in orgnet.vacuum.reasons_of(va)
    unstaffed = set(va.index[va["unstaffed"].to_numpy(dtype=bool)])
    workers = set(net.people.loc[net.people["role"] == "grid_worker", "area"])
    grids = set(net.areas.index[net.areas["level"] == "grid"])
    assert unstaffed == grids - workers and len(unstaffed) == round(0.02 * 420) == 8
    # nobody at all is placed in a blank spot or below it
    placed = set(net.ancestor(net.people["area"], "grid").dropna())
    assert not placed & unstaffed
    gaps = orgnet.staffing.rule_gaps(net)
    assert set(gaps.index[gaps["rule"] == "grid_workers_per_grid"]) == unstaffed
    assert not (gaps["rule"] == "staff_per_station").any()
    heads = gaps[gaps["rule"] == "building_heads_per_building"]
    assert set(net.ancestor(pd.Series(heads.index, index=heads.index), "grid")) <= unstaffed
    assert va.loc[list(unstaffed), "vacuum"].all()


def test_ratings_are_stars_of_community_organisations(nets):
    net = nets("lanzhou", 0)
    r = net.ratings
    o = net.organisations
    comm = o.index[(o["scope"] == "territorial") & (o["area"].map(net.areas["level"]) == "community")]
    assert sorted(r["entity"]) == sorted(comm) and (r["scheme"] == "stars").all()
    assert r["score"].between(1, 5).all() and (r["max_score"] == 5).all()
    assert (r["period"] == pd.Timestamp("2024-12-31")).all()
    weak = r["entity"].map(o["status"]) == "weak"
    assert r.loc[weak, "score"].mean() < r.loc[~weak, "score"].mean() - 1


def test_activity_overrides_and_infeasible_counts():
    net = synthetic_city("district", seed=0, members_reporting=3000, case_closure=0.8, case_satisfaction=0.9,
                         station_staff_min=3, station_staff_max=3, grid_gap_share=0.1)
    cal = calibration(net)
    assert cal["ok"].all(), cal[~cal["ok"]]
    assert cal.loc["in-service members reporting (双报到)", "achieved"] == 3000
    assert cal.loc["in-service members reporting (双报到)", "source"] == "knob members_reporting / members_per_community"
    assert abs(cal.loc["cases closed (%)", "achieved"] - 80) <= 1
    assert cal.loc["staff per station (mean)", "achieved"] == 3
    assert cal.loc["grids with nobody in place (unstaffed) (%)", "achieved"] == 100 * 42 / 420
    with pytest.raises(orgnet.OrgnetParameterError,
                       match=r"'members_reporting' parameter .* at most the party members of the reporting units"):
        synthetic_city("district", members_reporting=10 ** 7)
    with pytest.raises(orgnet.OrgnetParameterError, match=r"'station_staff_max' parameter .* at least station_staff_min=2"):
        synthetic_city("district", station_staff_max=1)
    with pytest.raises(orgnet.OrgnetParameterError, match=r"'case_routing' parameter .* some weight > 0"):
        synthetic_city("district", case_routing=dict(grid=0, community=0, street=0, department=0))
    with pytest.raises(orgnet.OrgnetParameterError, match=r"'activity' parameter .* True or False"):
        synthetic_city("district", activity="no")


@pytest.mark.parametrize("preset", ["district", "lanzhou"])
def test_meetings_rotate_their_chair_and_change_nothing_else(nets, preset):
    net, base = nets(preset, 0), nets(preset, 0, meetings=False)
    for t in GENERATED + ACTIVITY:  # meetings draw from a fourth new stream
        pd.testing.assert_frame_equal(net.tables[t], base.tables[t], check_exact=True)
    assert not len(base.events) and not len(base.attendance)  # on by default, off on request
    assert all(p["meetings"] for p in orgnet.datasets.synthetic.PRESETS.values())
    ev, at = net.events, net.attendance
    assert (ev["kind"] == "meeting").all() and ev["date"].max() <= net.as_of
    assert ev["date"].min() >= pd.Timestamp("2024-07-01")  # meeting_months=12, ending at as_of
    o = net.organisations
    lvl = ev["convener"].map(o["area"]).map(net.areas["level"])
    assert set(lvl) == {"street", "community"}
    # members: active joint_conference ties to the convener; chairs and attendees are members
    jc = net.active_ties(kinds="joint_conference")
    members = jc.groupby("target")["source"].agg(set)
    assert all(ch in members[cv] for cv, ch in zip(ev["convener"], ev["chair"]))
    conv = at["event"].map(ev["convener"])
    assert all(e in members[cv] for cv, e in zip(conv, at["entity"]))
    # at most one meeting a convener a month, 90% of the months held
    month = ev["date"].dt.to_period("M")
    assert not pd.DataFrame({"c": ev["convener"], "m": month}).duplicated().any()
    assert abs(len(ev) / (ev["convener"].nunique() * 12) - 0.9) < 0.01
    # dormant agreements (active co_building, no activity tie within 365 days) stay dormant: within
    # the window their two ends never meet (brute force over the tables: convener + attendees)
    t = base.ties
    lo = base.as_of - pd.Timedelta(days=365)
    cb = base.active_ties(kinds="co_building")
    recent = t[(t["kind"] == "activity") & (t["start"] >= lo) & (t["start"] <= base.as_of)]
    live = {frozenset(p) for p in zip(recent["source"], recent["target"])}
    dormant = {frozenset(p) for p in zip(cb["source"], cb["target"])} - live
    assert abs(len(dormant) / len(cb) - 0.25) < 0.01
    held = ev[ev["date"] >= lo]
    took_part = {e: {cv} for e, cv in zip(held.index, held["convener"])}
    for e, x in zip(at["event"], at["entity"]):
        if e in took_part:
            took_part[e].add(x)
    assert not any(frozenset((a, b)) in dormant for group in took_part.values() for a in group for b in group)
    barred = {(cv, m) for cv, ms in members.items() for m in ms if frozenset((cv, m)) in dormant}
    assert barred  # some members hold a dormant agreement with their convener ...
    assert not {(cv, ch) for cv, ch in zip(held["convener"], held["chair"])} & barred  # ... never chair in it
    # a conference whose members are all dormant partners does not meet; the others all do
    street_or_community = members.index.map(o["area"]).map(net.areas["level"]).isin(["street", "community"])
    silent = {cv for cv in members.index[street_or_community] if all((cv, m) in barred for m in members[cv])}
    assert set(ev["convener"]) == set(members.index[street_or_community]) - silent
    # the chair rotates in a fixed order: with no barred member, months k apart (k = the number of
    # members) have the same chair and consecutive months another
    for cv, group in list(ev.groupby("convener"))[:60]:
        n = len(members[cv])
        if any((cv, m) in barred for m in members[cv]):
            continue
        by_month = dict(zip(group["date"].dt.to_period("M"), group["chair"]))
        for m, ch in by_month.items():
            if m + n in by_month:
                assert by_month[m + n] == ch
            if n > 1 and m + 1 in by_month:
                assert by_month[m + 1] != ch
    # every chair attends; peer scores in [0, 100]
    chaired = set(zip(ev.index, ev["chair"]))
    assert chaired <= set(zip(at["event"], at["entity"]))
    assert at["score"].between(0, 100).all()
    cal = calibration(net)
    assert cal["ok"].all(), cal[~cal["ok"]]
    dormant_row = "dormant agreements (no activity within 365 days) (%)"
    assert cal.loc[dormant_row, "achieved"] == calibration(base).loc[dormant_row, "achieved"]
    pd.testing.assert_series_equal(orgnet.linkage.tie_strength(net).set_index(["a", "b"])["dormant"]
                                   .loc[lambda d: d], orgnet.linkage.tie_strength(base)
                                   .set_index(["a", "b"])["dormant"].loc[lambda d: d])
    # the quota counts every non-chair seat, barred ones included: 85% of them are taken
    assert cal.loc["members (not chairing) attending a meeting (%)", "achieved"] == pytest.approx(85, abs=0.05)
    # rotating chairs (no target): the members who chaired / the members, over the conveners, by hand
    chairs = ev.groupby("convener")["chair"].agg(set)
    chaired = sum(len(chairs[cv] & members[cv]) for cv in chairs.index)
    seated = sum(len(members[cv]) for cv in chairs.index)
    row = cal.loc["members who chaired a meeting within 365 days (轮值主席) (%)"]
    assert row["achieved"] == pytest.approx(100 * chaired / seated) and pd.isna(row["target"])
    assert 50 < row["achieved"] < 100  # barred members never chair
    assert chaired == {"district": 197, "lanzhou": 1017}[preset]
    assert orgnet.OrgNetwork(**net.tables).as_of == net.as_of


# ---------------------------------------------------------------- red property

RED_ROWS = (
    "compounds with property management and a property company on record (manages) (%)",
    "owners' committees with at least half Party members (%)",
    "compounds with all three parties tied three ways (complete triads) (%)",
)


@pytest.mark.parametrize("preset", ["district", "lanzhou"])
def test_red_property_is_off_by_default_and_changes_only_ties_and_committees(nets, preset):
    base, net = nets(preset, 0), nets(preset, 0, red_property=True)
    assert not (base.ties["kind"] == "manages").any()  # off in every preset
    assert not any(p["red_property"] for p in orgnet.datasets.synthetic.PRESETS.values())
    for t in schema.TABLE_ORDER:
        if t not in ("ties", "units"):
            pd.testing.assert_frame_equal(net.tables[t], base.tables[t], check_exact=True)
    # ties: the old ones, then the new manages and pairing (三方共治) rows
    old = net.ties.iloc[: len(base.ties)]
    pd.testing.assert_frame_equal(old, base.ties, check_exact=True)
    new = net.ties.iloc[len(base.ties):]
    assert set(new["kind"]) == {"manages", "pairing"}
    assert set(new.loc[new["kind"] == "pairing", "note"]) == {"三方共治"}
    assert new["start"].max() <= net.as_of and new["end"].isna().all()
    # units: only party_members of owners' committees, raised to half their members (rounded up)
    u, b = net.units, base.units
    pd.testing.assert_frame_equal(u.drop(columns="party_members"), b.drop(columns="party_members"), check_exact=True)
    changed = u["party_members"] != b["party_members"]
    assert changed.any() and set(u.loc[changed, "type"]) == {"owners_committee"}
    assert (u.loc[changed, "party_members"] == (u.loc[changed, "employees"] + 1) // 2).all()
    assert (u.loc[changed, "party_members"] > b.loc[changed, "party_members"]).all()
    # the network validates and the default as_of does not move
    assert net.as_of == base.as_of == pd.Timestamp("2025-06-30")
    assert orgnet.OrgNetwork(**net.tables).as_of == net.as_of
    # calibration: the old rows as before (but the units-with-members denominator, which the raised
    # committees join), the three red rows only with the knob on
    cal, cb = calibration(net), calibration(base)
    assert not set(RED_ROWS) & set(cb.index)
    assert list(cal.index) == list(cb.index) + list(RED_ROWS)
    moved = "units with party members whose members report (%)"
    pd.testing.assert_frame_equal(cal.loc[cb.index].drop(index=moved), cb.drop(index=moved), check_exact=True)
    assert cal["ok"].all(), cal[~cal["ok"]]


@pytest.mark.parametrize("preset", ["district", "lanzhou"])
@pytest.mark.parametrize("seed", [0, OTHER_SEED])
def test_red_property_targets_met_and_recounted_by_hand(nets, preset, seed):
    net = nets(preset, seed, red_property=True)
    a, u, t = net.areas, net.units, net.ties
    cal = calibration(net)
    assert cal.loc[list(RED_ROWS), "ok"].all(), cal.loc[list(RED_ROWS)]
    q = a[a["level"] == "compound"]
    pm = q.index[q["property_management"].fillna(False).to_numpy(dtype=bool)]
    m = t[t["kind"] == "manages"]
    # one manages tie per chosen compound, exactly 90% of the managed compounds, from a property company
    assert m["target"].is_unique and set(m["target"]) <= set(pm)
    assert len(m) == round(0.9 * len(pm))
    assert (u.loc[m["source"], "type"] == "property_company").all()
    assert cal.loc[RED_ROWS[0], "achieved"] == pytest.approx(100 * len(m) / len(pm))
    # the company sits in the compound's grid when the grid has one, else in its community, else its street
    paths = net.area_paths
    pc = u[u["type"] == "property_company"]
    pc_path = paths.loc[pc["area"].to_numpy()].set_axis(pc.index)
    for level in ("grid", "community", "street"):
        have = set(pc_path[level].dropna())
        at = m["target"].map(paths[level])
        on = at.isin(have).to_numpy()
        assert (m["source"][on].map(pc_path[level]).to_numpy() == at[on].to_numpy()).all(), level
        m = m[~on]
    # owners' committees at half Party members: exactly 60% (more were never at half by chance)
    oc = u[u["type"] == "owners_committee"]
    at_half = (2 * oc["party_members"] >= oc["employees"]).sum()
    assert at_half == round(0.6 * len(oc))
    assert cal.loc[RED_ROWS[1], "achieved"] == pytest.approx(100 * at_half / len(oc))
    # complete triads: the compounds with an owners' committee and a manages tie, half of them tied three ways
    with_all = set(oc["area"]) & set(t.loc[t["kind"] == "manages", "target"])
    tri = t[(t["kind"] == "pairing") & (t["note"] == "三方共治")]
    assert len(tri) % 3 == 0 and len(tri) // 3 == round(0.5 * len(with_all))
    pt = orgnet.coverage.property_triads(net)
    assert pt.attrs["with_all_parties"] == len(with_all)
    assert pt.attrs["complete"] == len(tri) // 3
    assert set(pt.index[pt["complete"]]) <= with_all
    assert cal.loc[RED_ROWS[2], "achieved"] == pytest.approx(100 * len(tri) / 3 / len(with_all))


def test_red_property_knobs_and_zero_shares(nets):
    with pytest.raises(orgnet.OrgnetParameterError, match=r"'red_triad_share' parameter .* \[0, 1\]"):
        synthetic_city("district", red_property=True, red_triad_share=1.5)
    with pytest.raises(orgnet.OrgnetParameterError, match=r"'red_property' parameter .* True or False"):
        synthetic_city("district", red_property="yes")
    net = synthetic_city("district", red_property=True, red_manages_share=0.0, red_committee_party_share=0.0)
    base = nets("district", 0)
    pd.testing.assert_frame_equal(net.units, base.units, check_exact=True)  # nobody raised
    pd.testing.assert_frame_equal(net.ties, base.ties, check_exact=True)  # no company, so no triad
    cal = calibration(net)
    assert cal.loc[RED_ROWS[0], "achieved"] == 0 and np.isnan(cal.loc[RED_ROWS[2], "achieved"])
    # the natural share of committees at half is reported (a knob below it cannot lower it)
    oc = base.units[base.units["type"] == "owners_committee"]
    assert cal.loc[RED_ROWS[1], "achieved"] == pytest.approx(100 * (2 * oc["party_members"] >= oc["employees"]).mean())
