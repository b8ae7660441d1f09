"""`ntm rescore`: a commune of the 2025 structure scored from its predecessors' data, through
the command line, on the Lai Châu demo.

Xã Sin Suối Hồ (03394, from 1/7/2025) was formed from three rural communes of the 2019
structure: Nậm Xe, Sin Suối Hồ and Thèn Sin. Xã Bình Lư (03390) also took in Thị trấn Tam
Đường, a town outside the programme.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ntm.core.evaluate import evaluate_unit
from ntm.core.registry import get_set
from ntm.criteria.models import CommuneClass
from ntm.indicators.models import Evaluation
from ntm.indicators.rescore import commune_rescore
from ntm.indicators.services import commune_criteria
from ntm.units.models import Unit, UnitEventLink

pytestmark = pytest.mark.django_db

SIN_SUOI_HO = {"03586": "Xã Nậm Xe", "03592": "Xã Sin Suối Hồ", "03394": "Xã Thèn Sin"}


def rescore(*args: str) -> dict:
    out = StringIO()
    call_command("rescore", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as info:
        call_command("rescore", *args, stdout=StringIO())
    return info.value


def unit_2025(code: str) -> Unit:
    return Unit.objects.get(level="commune", code=code, valid_from=dt.date(2025, 7, 1))


def test_it_lists_the_three_communes_merged_into_xa_sin_suoi_ho(demo):
    data = rescore("--unit", "03394", "--year", "2019")
    assert (data["unit_code"], data["year"], data["criteria_set"]) == (
        "03394",
        2019,
        "qd1980-2016",
    )
    assert {p["unit_code"]: p["name"] for p in data["predecessors"]} == SIN_SUOI_HO


def test_the_json_has_the_documented_shape(demo):
    data = rescore("--unit", "03394", "--year", "2019")
    assert list(data) == ["unit_code", "year", "criteria_set", "predecessors", "combined"]
    assert all(
        list(p) == ["unit_code", "name", "criteria_met", "meets_standard"]
        for p in data["predecessors"]
    )
    combined = data["combined"]
    assert list(combined) == ["criteria_met", "meets_standard", "indicators"]
    assert list(combined["indicators"]) == [i.code for i in get_set("qd1980-2016").indicators]
    assert all(
        list(i) == ["value", "combine", "status", "caveats"]
        for i in combined["indicators"].values()
    )


def test_each_predecessor_shows_its_stored_verdict(demo):
    data = rescore("--unit", "03394", "--year", "2019")
    for p in data["predecessors"]:
        stored = Evaluation.objects.get(unit__code=p["unit_code"], unit__level="commune", year=2019)
        assert (p["criteria_met"], p["meets_standard"]) == (
            stored.criteria_met,
            stored.meets_standard,
        )


def test_the_combined_verdict_is_the_engines_on_the_combined_values(demo):
    data = rescore("--unit", "03394", "--year", "2019")
    indicators = data["combined"]["indicators"]
    nam_xe = Unit.objects.get(level="commune", code="03586", valid_from__isnull=True)
    cset, region = commune_criteria(unit=nam_xe, year=2019)  # with Lai Châu's specification
    result = evaluate_unit(cset, region, {code: i["value"] for code, i in indicators.items()})
    assert data["combined"]["criteria_met"] == result.criteria_met
    assert data["combined"]["meets_standard"] == result.meets_standard
    assert {c: i["status"] for c, i in indicators.items()} == {
        c: r.status for c, r in result.indicators.items()
    }
    # Sin Suối Hồ met 6 criteria in 2019: the merged commune cannot meet all 19.
    assert 0 < data["combined"]["criteria_met"] < 19 and not data["combined"]["meets_standard"]


def test_rates_fall_back_to_the_plain_mean_and_say_that_no_weight_is_known(demo):
    """ntm keeps no population or household figures: it never invents them."""
    poverty = rescore("--unit", "03394", "--year", "2019")["combined"]["indicators"]["11"]
    assert poverty["combine"] == "mean"
    assert poverty["caveats"] == [
        "Thiếu số hộ của Xã Nậm Xe, Xã Sin Suối Hồ, Xã Thèn Sin: lấy trung bình cộng, "
        "không theo số hộ"
    ]


def test_weights_given_by_a_data_source_are_used(demo):
    unit = unit_2025("03394")
    plain = commune_rescore(unit=unit, year=2019)
    households = {
        p.unit.pk: {"households": 100.0 * (n + 1)} for n, p in enumerate(plain.predecessors)
    }
    weighted = commune_rescore(unit=unit, year=2019, weights=households)
    poverty = weighted.scored.indicators["11"]
    own = [
        {
            c: v
            for c, v in p.unit.indicator_values.filter(year=2019).values_list("indicator", "value")
        }
        for p in weighted.predecessors
    ]
    expected = sum(100.0 * (n + 1) * v["11"] for n, v in enumerate(own)) / 600.0
    assert poverty.combine == "mean_by:households" and poverty.caveats == ()
    assert poverty.value == pytest.approx(expected)


def test_a_2019_merger_goes_back_through_the_2020_merger(demo):
    """Phường Đoàn Kết (2025) took in Xã Sùng Phài of 2020, itself Nậm Loỏng + Sùng Phài of
    2019: the 2019 data are those two communes', not the 2020 row's."""
    data = rescore("--unit", "03388", "--year", "2019")
    codes = {p["unit_code"]: p["name"] for p in data["predecessors"]}
    assert codes["03397"] == "Xã Sùng Phài" and codes["03403"] == "Xã Nậm Loỏng"
    assert "03391" in codes  # Xã Lả Nhì Thàng, merged directly in 2025


def test_a_town_outside_the_programme_is_listed_without_a_verdict_and_left_out(demo):
    data = rescore("--unit", "03390", "--year", "2019")
    town = next(p for p in data["predecessors"] if p["unit_code"] == "03390")
    assert town["name"] == "Thị trấn Tam Đường"
    assert (town["criteria_met"], town["meets_standard"]) == (None, None)
    for indicator in data["combined"]["indicators"].values():
        assert any(
            "Thị trấn Tam Đường không thuộc chương trình NTM" in c for c in indicator["caveats"]
        )


def test_the_set_in_force_in_the_year_is_the_default(demo):
    assert rescore("--unit", "03394", "--year", "2015")["criteria_set"] == "qd491-2009"
    named = rescore("--unit", "03394", "--year", "2019", "--criteria-set", "qd1980-2016")
    assert named == rescore("--unit", "03394", "--year", "2019")


def test_a_partial_predecessor_is_flagged(demo):
    link = UnitEventLink.objects.get(
        unit__code="03586", unit__level="commune", role=UnitEventLink.Role.PREDECESSOR
    )
    link.partial = True
    link.save()
    found = commune_rescore(unit=unit_2025("03394"), year=2019)
    assert [p.unit.code for p in found.predecessors if p.partial] == ["03586"]
    caveats = rescore("--unit", "03394", "--year", "2019")["combined"]["indicators"]["1.1"]
    assert any("Chỉ một phần địa bàn của Xã Nậm Xe" in c for c in caveats["caveats"])


def test_the_table_names_the_predecessors_and_the_combined_result(demo):
    out = StringIO()
    call_command("rescore", "--unit", "03394", "--year", "2019", stdout=out)
    text = out.getvalue()
    assert text.startswith("Xã Sin Suối Hồ (03394): tính lại từ số liệu năm 2019")
    assert "  03586  Xã Nậm Xe: " in text and "Sau khi gộp: " in text


def test_it_refuses_an_unknown_code_with_exit_code_2(demo):
    error = refused("--unit", "99999", "--year", "2019")
    assert error.returncode == 2 and "mã «99999»" in str(error)


def test_it_refuses_a_year_to_come(demo):
    error = refused("--unit", "03394", "--year", str(dt.date.today().year + 1))
    assert error.returncode == 2 and "chưa đến" in str(error)


def test_it_refuses_a_year_without_predecessor_data(demo):
    error = refused("--unit", "03394", "--year", "2024")
    assert error.returncode == 2
    assert str(error).startswith("Không có số liệu năm 2024 theo bộ tiêu chí qd318-2022")


def test_it_refuses_an_unknown_criteria_set(demo):
    error = refused("--unit", "03394", "--year", "2019", "--criteria-set", "qd0")
    assert error.returncode == 2 and "qd0" in str(error)


def test_it_refuses_predecessors_of_different_regions(demo):
    nam_xe = Unit.objects.get(level="commune", code="03586", valid_from__isnull=True)
    CommuneClass.objects.create(unit=nam_xe, criteria_set="qd1980-2016", class_code="DBSH")
    error = refused("--unit", "03394", "--year", "2019")
    assert error.returncode == 2
    assert "vùng/nhóm khác nhau" in str(error) and "Xã Nậm Xe: DBSH" in str(error)
