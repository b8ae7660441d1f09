"""Lai Châu's 2019 and 2025 structures and the history that links them."""

import datetime as dt

import pytest

from ntm.units.models import Level, Unit, UnitEvent, UnitEventLink
from ntm.units.selectors import (
    unit_at,
    unit_children,
    unit_predecessors,
    unit_region,
    unit_search,
    unit_successors_current,
)
from ntm.units.services import (
    LAICHAU_2025_BASIS,
    LEGAL_BASIS_UNKNOWN,
    SUCCESSOR_UNKNOWN,
    units_load_laichau,
)

IN_2019 = dt.date(2019, 6, 30)
IN_2025 = dt.date(2025, 7, 1)


def _commune(code: str, on: dt.date) -> Unit:
    unit = unit_at(code=code, level=Level.COMMUNE, on=on)
    assert unit is not None, f"no commune {code} on {on}"
    return unit


def _province(on: dt.date) -> Unit:
    unit = unit_at(code="12", level=Level.PROVINCE, on=on)
    assert unit is not None
    return unit


def test_lai_chau_2019_has_108_communes_under_8_districts_96_in_the_programme(laichau):
    districts = unit_children(unit=_province(IN_2019), on=IN_2019)
    communes = [c for d in districts for c in unit_children(unit=d, on=IN_2019)]
    assert len(districts) == 8
    assert len(communes) == 108
    assert sum(c.ntm_eligible for c in communes) == 96
    assert {c.code for c in communes} >= {"03397", "03556"}


def test_lai_chau_2025_has_38_communes_directly_under_the_province(laichau):
    communes = unit_children(unit=_province(IN_2025), on=IN_2025)
    assert len(communes) == 38
    assert {c.level for c in communes} == {Level.COMMUNE}


def test_lai_chau_before_the_2025_reform_has_106_communes(laichau):
    last_day = dt.date(2025, 6, 30)
    districts = unit_children(unit=_province(last_day), on=last_day)
    assert sum(len(unit_children(unit=d, on=last_day)) for d in districts) == 106


def test_a_reused_code_names_different_units_in_each_period(laichau):
    assert _commune("03388", IN_2019).name == "Phường Quyết Tiến"
    assert _commune("03388", IN_2025).name == "Phường Đoàn Kết"
    assert _commune("03403", IN_2019).name == "Xã Nậm Loỏng"
    assert _commune("03403", dt.date(2021, 1, 1)).name == "Xã Sùng Phài"


def test_doan_ket_2025_was_formed_from_five_wards_and_communes_back_to_2019(laichau):
    formed_from = {(u.code, u.name) for u in unit_predecessors(unit=_commune("03388", IN_2025))}
    assert formed_from >= {
        ("03386", "Phường Quyết Thắng"),
        ("03388", "Phường Quyết Tiến"),
        ("03389", "Phường Đoàn Kết"),
        ("03403", "Xã Nậm Loỏng"),
        ("03397", "Xã Sùng Phài"),
    }


def test_sung_phai_03397_is_now_ward_doan_ket(laichau):
    now = unit_successors_current(unit=_commune("03397", IN_2019), on=dt.date(2026, 1, 1))
    assert [(u.code, u.name, u.valid_from) for u in now] == [("03388", "Phường Đoàn Kết", IN_2025)]


def test_ma_li_chai_abolition_records_no_invented_successor(laichau):
    ma_li_chai = _commune("03556", IN_2019)
    (event,) = UnitEvent.objects.filter(links__unit=ma_li_chai)
    assert event.kind == UnitEvent.Kind.ABOLISH
    assert SUCCESSOR_UNKNOWN in event.note
    assert not event.links.filter(role=UnitEventLink.Role.SUCCESSOR).exists()
    assert unit_successors_current(unit=ma_li_chai) == []


def test_2020_events_say_their_legal_basis_is_missing_and_2025_events_cite_nq_1670(laichau):
    in_2020 = UnitEvent.objects.filter(effective__year=2020)
    communes_2025 = UnitEvent.objects.filter(
        effective=IN_2025, links__unit__level=Level.COMMUNE
    ).distinct()
    assert {e.legal_basis for e in in_2020} == {LEGAL_BASIS_UNKNOWN}
    assert communes_2025.count() == 38
    assert {e.legal_basis for e in communes_2025} == {LAICHAU_2025_BASIS}


def test_the_district_level_ends_on_1_july_2025(laichau):
    abolished = UnitEvent.objects.filter(kind=UnitEvent.Kind.ABOLISH, effective=IN_2025)
    assert abolished.count() == 8
    assert set(abolished.values_list("links__unit__level", flat=True)) == {Level.DISTRICT}


def test_a_commune_takes_the_region_of_its_province(laichau):
    assert unit_region(unit=_commune("03571", IN_2019)) == "TDMNPB"
    # 2025 provinces have none: a 2025 commune takes the region its predecessors share (2025
    # is judged in the new structure under QĐ 318/2022, by region).
    assert unit_region(unit=_commune("03571", IN_2025)) == "TDMNPB"


def test_search_ignores_accents_and_case(laichau):
    assert [u.name for u in unit_search(query="dao san", at=IN_2019)] == ["Xã Dào San"]
    assert [u.name for u in unit_search(query="LAI CHÂU", level=Level.PROVINCE)] == [
        "Tỉnh Lai Châu",
        "Tỉnh Lai Châu",
    ]


def test_search_results_follow_vietnamese_alphabetical_order(laichau):
    names = [u.name for u in unit_search(query="a", at=IN_2025, level=Level.COMMUNE)]
    # By code point "Đ" sorts after "K"; in Vietnamese it follows "D". The type word is ignored.
    dao_san, doan_ket = names.index("Xã Dào San"), names.index("Phường Đoàn Kết")
    assert dao_san < doan_ket < names.index("Xã Khổng Lào")
    nam = [u.name for u in unit_search(query="nậm", at=IN_2019, level=Level.COMMUNE)]
    assert nam[:4] == ["Xã Nậm Ban", "Xã Nậm Cần", "Xã Nậm Cha", "Xã Nậm Chà"]


@pytest.mark.django_db
def test_loading_lai_chau_twice_adds_nothing():
    first = units_load_laichau()
    second = units_load_laichau()
    assert (first.units_created, first.events_created) == (157, 49)
    assert (second.units_created, second.events_created) == (0, 0)
