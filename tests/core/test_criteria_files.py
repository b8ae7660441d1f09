"""The shipped criteria-set data files and the Lai Châu demo specifications.

Expected values are written out by hand from the reference transcriptions, never read back
from the data files, so that a wrong edit to a file makes a test fail.
"""

from pathlib import Path

import pytest

from ntm.core.loader import SETS_DIR, load_file
from ntm.core.model import Level, Op
from ntm.core.registry import get_set, national_sets, set_for_year
from ntm.core.specs import apply_spec, load_spec_file

DEMO_SPECS_DIR = Path(__file__).parents[2] / "src" / "ntm" / "demo" / "specs"
REGIONS = ["TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL"]

EXPECTED_SETS = {
    # id: (level, classification, number of criteria)
    "qd491-2009": (Level.COMMUNE, "region", 19),
    "qd1980-2016": (Level.COMMUNE, "region", 19),
    "qd318-2022": (Level.COMMUNE, "region", 19),
    "qd51-2025": (Level.COMMUNE, "group", 10),
    "qd320-2022": (Level.DISTRICT, "region", 9),
    "qd51-2025-province": (Level.PROVINCE, "none", 3),
}

QD1980_CODES = [
    "1.1", "1.2",
    "2.1", "2.2", "2.3", "2.4",
    "3.1", "3.2",
    "4.1", "4.2",
    "5",
    "6.1", "6.2", "6.3",
    "7",
    "8.1", "8.2", "8.3", "8.4",
    "9.1", "9.2",
    "10", "11", "12",
    "13.1", "13.2",
    "14.1", "14.2", "14.3",
    "15.1", "15.2", "15.3",
    "16",
    "17.1", "17.2", "17.3", "17.4", "17.5", "17.6", "17.7", "17.8",
    "18.1", "18.2", "18.3", "18.4", "18.5", "18.6",
    "19.1", "19.2",
]  # fmt: skip


@pytest.mark.parametrize("path", sorted(SETS_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_criteria_file_loads(path):
    cset = load_file(path)
    assert cset.criteria
    assert all(c.indicators for c in cset.criteria)


def test_the_shipped_set_ids_are_exactly_the_six_decisions():
    assert set(national_sets()) == set(EXPECTED_SETS)


@pytest.mark.parametrize("set_id", EXPECTED_SETS)
def test_each_set_has_its_level_classification_and_number_of_criteria(set_id):
    level, classification, criteria = EXPECTED_SETS[set_id]
    cset = get_set(set_id)
    assert (cset.level, cset.classification, len(cset.criteria)) == (
        level,
        classification,
        criteria,
    )


@pytest.mark.parametrize("set_id", ["qd491-2009", "qd1980-2016", "qd318-2022", "qd320-2022"])
def test_region_sets_have_the_seven_regions_and_no_general_column(set_id):
    assert list(get_set(set_id).classes) == REGIONS


def test_qd51_classes_are_the_three_final_commune_groups():
    cset = get_set("qd51-2025")
    assert list(cset.classes) == ["1", "2", "3"]
    assert "ven đô thị" in cset.classes["1"]
    assert "khu vực II, III" in cset.classes["3"]


def test_qd1980_has_the_49_indicator_codes_in_order():
    assert [i.code for i in get_set("qd1980-2016").indicators] == QD1980_CODES


def test_criterion_codes_run_from_one_to_the_number_of_criteria():
    for set_id, (_, _, n) in EXPECTED_SETS.items():
        assert [c.code for c in get_set(set_id).criteria] == [str(k) for k in range(1, n + 1)]


def test_qd1980_known_cells():
    cset = get_set("qd1980-2016")
    income = cset.indicator("10")
    assert income.threshold("ntm", "TDMNPB").value == 36
    assert income.threshold("ntm", "DBSH").value == 50
    assert cset.indicator("14.2").threshold("ntm", "TDMNPB").value == 70
    stunting = cset.indicator("15.3")
    assert stunting.op is Op.LE
    assert stunting.threshold("ntm", "TN").value == 31.4


def test_indirect_provincial_evidence_is_not_a_threshold():
    cset = get_set("qd1980-2016")
    # Bắc Kạn 95% (4.2), Vĩnh Long 70% (9.2), Lắk 70% (5): provincial sources only.
    assert cset.indicator("4.2").threshold("ntm", "TDMNPB") is None
    assert cset.indicator("9.2").threshold("ntm", "DBSCL") is None
    assert cset.indicator("5").threshold("ntm", "TN") is None


def test_every_confirmed_threshold_names_its_source():
    for cset in national_sets().values():
        for ind in cset.indicators:
            for cells in ind.thresholds.values():
                for cell in cells.values():
                    assert cell.source.strip(), (cset.id, ind.code)
                    assert cell.origin == "national"
                    assert not cell.illustrative


def test_qd51_has_no_confirmed_threshold():
    cset = get_set("qd51-2025")
    assert all(not cells for ind in cset.indicators for cells in ind.thresholds.values())
    assert len(cset.unconfirmed_cells()) == 3 * len(cset.indicators)


def test_qd51_commune_groups_are_all_missing_for_lack_of_thresholds():
    from ntm.core.evaluate import evaluate_unit

    cset = get_set("qd51-2025")
    for group in ["1", "2", "3"]:
        result = evaluate_unit(cset, group, {i.code: 1.0 for i in cset.indicators})
        assert {r.reason for r in result.indicators.values()} == {"no_threshold"}
        assert not result.meets_standard


def test_unconfirmed_cells_are_reported():
    qd1980 = get_set("qd1980-2016")
    unconfirmed = set(qd1980.unconfirmed_cells())
    assert ("ntm", "TDMNPB", "11") in unconfirmed
    assert ("ntm", "DHNTB", "17.1") in unconfirmed
    assert ("ntm", "TDMNPB", "10") not in unconfirmed
    assert ("ntm", "DBSCL", "5") not in unconfirmed
    qd491 = get_set("qd491-2009")
    assert set(qd491.unconfirmed_cells()) == {("ntm", r, "10") for r in REGIONS}
    qd318 = get_set("qd318-2022")
    assert ("nang_cao", "TDMNPB", "6.3") in qd318.unconfirmed_cells()
    assert ("ntm", "TDMNPB", "6.3") not in qd318.unconfirmed_cells()


def test_qd318_has_both_tiers_and_records_the_special_difficulty_rule():
    cset = get_set("qd318-2022")
    assert [t.code for t in cset.tiers] == ["ntm", "nang_cao"]
    assert all(ind.tiers == ("ntm", "nang_cao") for ind in cset.indicators)
    assert any("đặc biệt khó khăn" in n and "miền núi phía Bắc" in n for n in cset.notes)


def test_qd318_uses_no_vague_sub_codes():
    codes = [i.code for i in get_set("qd318-2022").indicators]
    assert not [c for c in codes if "x" in c]
    for criterion in ["12", "13", "15", "17", "18"]:
        assert [i.code for i in get_set("qd318-2022").criterion(criterion).indicators] == [
            criterion
        ]


def test_the_set_in_force_at_the_end_of_each_year():
    expected = {
        2010: "qd491-2009",
        2015: "qd491-2009",
        2016: "qd1980-2016",
        2021: "qd1980-2016",
        2022: "qd318-2022",
        2025: "qd318-2022",
        2026: "qd51-2025",
    }
    assert {year: set_for_year(year).id for year in expected} == expected
    assert set_for_year(2023, Level.DISTRICT).id == "qd320-2022"
    assert set_for_year(2026, Level.PROVINCE).id == "qd51-2025-province"


DEMO_SPECS = {
    # file: (criteria set, first year, last year)
    "laichau_demo_qd491.yaml": ("qd491-2009", 2011, 2015),
    "laichau_demo_qd1980.yaml": ("qd1980-2016", 2016, 2020),
    "laichau_demo_qd51.yaml": ("qd51-2025", 2026, 2030),
}


def test_the_demo_specifications_are_the_expected_files():
    assert sorted(p.name for p in DEMO_SPECS_DIR.glob("*.yaml")) == sorted(DEMO_SPECS)


@pytest.mark.parametrize("name", DEMO_SPECS)
def test_demo_spec_is_illustrative_for_lai_chau_and_its_years(name):
    spec = load_spec_file(DEMO_SPECS_DIR / name)
    assert (spec.criteria_set, spec.first_year, spec.last_year) == DEMO_SPECS[name]
    assert spec.province_code == "12"
    assert spec.illustrative
    assert "không phải quy định chính thức" in spec.legal_source


@pytest.mark.parametrize("name", DEMO_SPECS)
def test_demo_spec_leaves_no_tdmnpb_cell_unconfirmed(name):
    spec = load_spec_file(DEMO_SPECS_DIR / name)
    applied = apply_spec(get_set(spec.criteria_set), spec)
    assert [c for c in applied.unconfirmed_cells() if c[1] == "TDMNPB"] == []


@pytest.mark.parametrize("name", DEMO_SPECS)
def test_demo_spec_only_fills_gaps_and_marks_every_filled_cell_illustrative(name):
    spec = load_spec_file(DEMO_SPECS_DIR / name)
    national = get_set(spec.criteria_set)
    applied = apply_spec(national, spec)
    # Lai Châu is TDMNPB under the region sets; under QĐ 51 it fills every commune group.
    classes = ("TDMNPB",) if national.classification == "region" else tuple(national.classes)
    for cell in spec.cells:
        assert cell.class_code in classes
        assert national.indicator(cell.indicator).threshold("ntm", cell.class_code) is None
        filled = applied.indicator(cell.indicator).threshold("ntm", cell.class_code)
        assert filled.illustrative
        assert filled.origin == spec.id
        assert filled.source == spec.legal_source


def test_demo_spec_values_for_lai_chau():
    qd491 = apply_spec(
        get_set("qd491-2009"), load_spec_file(DEMO_SPECS_DIR / "laichau_demo_qd491.yaml")
    )
    assert qd491.indicator("10").threshold("ntm", "TDMNPB").value == 15
    qd1980 = apply_spec(
        get_set("qd1980-2016"), load_spec_file(DEMO_SPECS_DIR / "laichau_demo_qd1980.yaml")
    )
    assert qd1980.indicator("11").threshold("ntm", "TDMNPB").value == 6
    assert qd1980.indicator("9.1").threshold("ntm", "TDMNPB").value == 0.0  # "không"
    assert qd1980.indicator("2.1").threshold("ntm", "TDMNPB").value == 1.0  # "đạt"
