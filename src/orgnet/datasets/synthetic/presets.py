"""The presets of the synthetic generator: every knob's value per preset.

``lanzhou`` and ``district`` are calibrated on the glossary's reference
figures (see :data:`PRESET_NOTES` and docs/synthetic.md); ``large`` is sized
for scale tests. Each preset gives every knob of
:data:`~orgnet.datasets.synthetic.parameters.PARAMETERS`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["AS_OF", "PRESETS", "PRESET_NOTES"]

#: reference date of every preset (passed to OrgNetwork as ``as_of``)
AS_OF = pd.Timestamp("2025-06-30")

_LANZHOU: dict[str, Any] = dict(
    name="兰州市 (synthetic)", city_name="兰州", root="city", layout="valley",
    centre=(103.83, 36.06),
    centreline=((103.600, 36.090), (103.660, 36.100), (103.720, 36.098), (103.770, 36.075),
                (103.820, 36.060), (103.870, 36.052), (103.930, 36.055), (103.990, 36.070)),
    valley_half_width_km=2.6, radius_km=18.0, street_size_sigma=0.45, suburban_scale=7.0,
    districts=4, district_names=("西固区", "安宁区", "七里河区", "城关区"), district_weights=(10, 9, 12, 22),
    streets=53, communities=427, grids=1768,
    compounds_per_grid=5.0, building_share=0.05, households_median=170, households_sigma=0.8,
    persons_per_household=2.6,
    three_no=526, three_no_share=0.06, campaign=False, campaign_remaining=66, campaign_success=0.875,
    units=20000,
    unit_mix=dict(agency=0.05, state_enterprise=0.025, public_institution=0.08, private_enterprise=0.60,
                  social_organisation=0.08, property_company=0.045, owners_committee=0.07, other=0.05),
    sector_units=dict(business_building=1500, park=900, market=900, internet=250),
    sector_social_share=0.08, business_buildings=180, parks=25, markets=120,
    employees_median=dict(agency=40, state_enterprise=150, public_institution=60, private_enterprise=10,
                          social_organisation=8, property_company=30, owners_committee=5, other=5),
    employees_sigma=dict(agency=0.8, state_enterprise=1.2, public_institution=1.0, private_enterprise=1.3,
                         social_organisation=0.9, property_company=0.8, owners_committee=0.3, other=0.8),
    member_rate=dict(agency=0.55, state_enterprise=0.22, public_institution=0.30, private_enterprise=0.05,
                     social_organisation=0.07, property_company=0.08, owners_committee=0.30, other=0.05),
    unit_coords_share=0.9,
    org_coverage=dict(agency=1.0, state_enterprise=1.0, public_institution=0.97, private_enterprise=0.8818,
                      social_organisation=0.9033, property_company=0.72, owners_committee=0.45, other=0.5),
    own_rate=dict(agency=0.97, state_enterprise=0.95, public_institution=0.80, private_enterprise=0.22,
                  social_organisation=0.25, property_company=0.25, owners_committee=0.08, other=0.05),
    size_rule=True, size_rule_enterprise=100, size_rule_social=30, street_effect=0.6,
    sector_org_share=0.85, emerging_orgs=895,
    work_coverage=0.65, instructors=2714, instructor_share=0.8, ended_instructor_share=0.1,
    grid_orgs=1602, grid_org_share=0.9, building_group_share=0.8, weak_share=0.04, joint_chunk=8.0,
    co_building_units=3297, co_building_share=0.16, co_building_street_share=0.25,
    co_building_multi_share=0.15, lapsed_share=0.08, dormant_share=0.25, activity_years=4,
    part_time_share=0.3, dual_report_share=0.9, dual_report_spread=2.0, pairings_per_community=0.8,
    whistle_per_community=4.0,
    jc_city=22, jc_district=120, jc_street=424, jc_community=854,
    station_share=35 / 45, posts=150, demands_per_community=4.5, resources_per_unit=0.8,
    projects=1200, projects_per_community=2.8, two_way_share=0.15,
    # the activity layer. Huichang (seed 003): one full-time grid worker in each of its 66 grids,
    # 2 to 3 staff per station, 8,600 in-service members reporting, each claiming at least one
    # post and placed in the grid branch or building group where they live; 860 cases since
    # last year, 98% satisfied. Per community (its 66 merged grids taken as the community-sized
    # cells of a county town): 8,600 / 66 = 130.3 members, 860 / 66 / 1.5 years = 8.7 cases a year.
    activity=True, grid_workers_per_grid=1, grid_gap_share=0.02, station_staff_min=2, station_staff_max=3,
    members_reporting=None, members_per_community=8600 / 66, reporting_unit_share=0.5, member_grid_share=0.8,
    posts_per_member=1.3, first_secretary_share=0.25, cadres_per_community=0.5,
    cases_per_community=8.7, case_years=2,
    case_routing=dict(grid=0.15, community=0.25, street=0.15, department=0.45),
    case_closure=0.95, case_days_median=7.0, case_days_sigma=0.8, case_answered_share=0.9,
    case_satisfaction=0.98,
    # joint conferences meet monthly under a rotating chair (轮值主席) whom the members score; on
    # wherever the activity layer is (every preset), members of dormant agreements staying away
    meetings=True, meeting_months=12, meeting_skip_share=0.1, attendance_share=0.85,
    # red property (红色物业): off by default, so every table stays as before; when on, most managed
    # compounds have their company on record, owners' committees reach half Party members
    # (业委会党员比例不少于50%) and half the compounds with all three parties are tied three ways
    red_property=False, red_manages_share=0.9, red_committee_party_share=0.6, red_triad_share=0.5,
)

_DISTRICT = dict(
    _LANZHOU,
    name="甲区 (synthetic district A)", city_name="甲区", root="district", layout="radial",
    centre=(123.43, 41.80), radius_km=7.0, street_size_sigma=0.2, suburban_scale=1.5,
    districts=1, district_names=("甲区",), district_weights=(),
    streets=9, communities=70, grids=420, three_no=None, three_no_share=0.06,
    campaign_remaining=None, units=3000,
    sector_units=dict(business_building=150, park=80, market=90, internet=20),
    business_buildings=15, parks=3, markets=10,
    # Liaoning: private enterprise / social organisation establishment rate 45.4% / 45.1%
    own_rate=dict(_LANZHOU["own_rate"], private_enterprise=0.454, social_organisation=0.451),
    org_coverage=dict(_LANZHOU["org_coverage"], private_enterprise=0.85, social_organisation=0.85),
    emerging_orgs=None, instructors=None, grid_orgs=None,
    co_building_units=196, part_time_share=1.0,
    jc_city=None, jc_district=40, jc_street=86, jc_community=155,
    posts=15, projects=146,
)

_LARGE = dict(
    _LANZHOU,
    name="特大城市 (synthetic large city)", city_name="江城", root="city", layout="radial",
    centre=(114.30, 30.59), radius_km=40.0, street_size_sigma=0.45, suburban_scale=3.0,
    districts=16, district_names=(), district_weights=(),
    streets=300, communities=3000, grids=30000, compounds_per_grid=4.0,
    three_no=None, campaign_remaining=None, units=300000,
    sector_units=dict(business_building=24000, park=14000, market=13000, internet=5000),
    business_buildings=2500, parks=300, markets=1500,
    emerging_orgs=None, instructors=None, grid_orgs=None, co_building_units=None, co_building_share=0.22,
    activity_years=8, dual_report_spread=5.0, pairings_per_community=3.0,
    jc_city=30, jc_district=None, jc_street=None, jc_community=None,
    posts=2000, projects=None,
)

#: the presets: name -> every parameter (see :data:`~.parameters.PARAMETERS`)
PRESETS: dict[str, dict[str, Any]] = {"lanzhou": _LANZHOU, "district": _DISTRICT, "large": _LARGE}

#: what each preset is calibrated on (documentation; the numbers are in calibration())
PRESET_NOTES = {
    "lanzhou": "Lanzhou (seed 002): 53 streets, 427 communities, 1,768 grids, 1,602 grid organisations, "
               "3,297 co-building units, 895 emerging-sector organisations, 2,714 instructors, coverage of "
               "private enterprises 88.18% and social organisations 90.33%, 22 city joint-conference members; "
               "Weinan (seed 001): 526 three-no compounds before a campaign, 66 after.",
    "district": "District A of Liaoning (seed 000): 9 streets, 70 communities; 40 / 86 / 155 units in the "
                "district / street / community joint conferences; 196 co-building units absorbed into big "
                "committees; 146 projects; Liaoning establishment rates 45.4% / 45.1% and the size rule.",
    "large": "A city of the largest Chinese scale for scale tests: about 3,000 communities, 30,000 grids, "
             "300,000 units and 10^6 ties.",
}
