"""Stored verdicts are a cache of the engine: after each kind of change, `ntm verify` finds
nothing to correct, and the summaries show the new verdicts."""

from __future__ import annotations

import json
from io import StringIO

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ntm.accounts.models import Membership, Role
from ntm.criteria.services import commune_class_set
from ntm.criteria.workbook_import import workbook_import
from ntm.criteria.workbook_read import WorkbookError
from ntm.demo.services import SPECS_DIR
from ntm.exchange.services import ImportSource, import_commit
from ntm.indicators.models import Evaluation
from ntm.indicators.services import values_set
from ntm.units.models import Unit, UnitEventLink
from tests.criteria.workbook_files import exported, meta_set, put, to_bytes

pytestmark = pytest.mark.django_db


def verify(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def summary(year: int) -> dict:
    out = StringIO()
    call_command("summary", unit="12", year=year, format="json", stdout=out)
    return json.loads(out.getvalue())


def san_thang() -> Unit:
    return Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)


def test_the_demo_leaves_nothing_to_correct(demo):
    assert verify() == (0, "Mọi kết quả đánh giá đã lưu khớp với kết quả tính lại.\n")


def test_a_tampered_verdict_is_listed_and_reevaluate_corrects_it(demo):
    Evaluation.objects.filter(unit=san_thang(), year=2018).update(criteria_met=3)
    code, text = verify("--unit", "03409", "--years", "2018")
    assert code == 1 and "Xã San Thàng (03409), năm 2018: số tiêu chí đạt đã lưu 3" in text
    call_command("reevaluate", "--unit", "105", stdout=StringIO(), stderr=StringIO())
    assert verify()[0] == 0


def test_a_provincial_specification_reevaluates_the_province(demo, tmp_path):
    """The issue's case: indicator 11 set to 1 for TDMNPB gives 0 communes / 12,81 in 2018."""
    spec = yaml.safe_load((SPECS_DIR / "laichau_demo_qd1980.yaml").read_text(encoding="utf-8"))
    spec["thresholds"]["11"] = {"TDMNPB": 1}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    call_command("criteria", "spec-load", str(path), stdout=StringIO())
    after = summary(2018)
    assert (after["meeting_standard"], after["avg_criteria"]) == (0, 12.81)
    assert verify()[0] == 0


def test_a_value_written_on_the_page_reevaluates_its_commune_year(demo):
    before = Evaluation.objects.get(unit=san_thang(), year=2018)
    values_set(unit=san_thang(), year=2018, values={"19.1": 0.0})
    after = Evaluation.objects.get(unit=san_thang(), year=2018)
    assert after.criteria_met == before.criteria_met - 1 and not after.meets_standard
    assert verify("--unit", "12")[0] == 0


def test_a_class_change_reevaluates_the_commune(demo):
    commune = Unit.objects.get(level="commune", code="03595", valid_from__isnull=False)
    assert not Evaluation.objects.filter(unit=commune, year=2026).exists()
    commune_class_set(
        unit=commune, criteria_set="qd51-2025", class_code="2", legal_basis="thử nghiệm"
    )
    assert verify()[0] == 0


def test_replacing_a_national_set_reevaluates_every_year_it_judges(demo):
    book = exported("qd1980-2016")
    meta_set(book, "replaces_national", "có")
    put(book, "14.2", "TDMNPB", 99)  # 70 in the shipped file
    before = summary(2018)["avg_criteria"]
    workbook_import(content=to_bytes(book), filename="qd1980.xlsx")
    assert summary(2018)["avg_criteria"] < before
    assert verify()[0] == 0


def test_a_province_office_cannot_replace_a_national_set(demo):
    office = get_user_model().objects.get(username="vanphong.laichau")
    assert Membership.objects.get(user=office).role == Role.PROVINCE
    book = exported("qd1980-2016")
    meta_set(book, "replaces_national", "có")
    with pytest.raises(WorkbookError) as refused:
        workbook_import(content=to_bytes(book), filename="qd1980.xlsx", user=office)
    assert "chỉ quản trị hệ thống" in str(refused.value.problems[0].reason)


def test_an_imported_file_reevaluates_the_commune_years_it_writes(demo):
    source = ImportSource(
        "2019.csv", b"unit_code,year,indicator,value\n03409,2019,19.1,0\n03409,2018,19.1,0\n"
    )
    import_commit(source=source, user=None)
    assert not Evaluation.objects.get(unit=san_thang(), year=2019).meets_standard
    assert verify("--unit", "03409")[0] == 0


def test_a_unit_event_loaded_later_reevaluates_the_units_it_links(demo):
    """A 2025 commune takes its region from its predecessors: a new event can change it."""
    commune = Unit.objects.get(level="commune", code="03571", valid_from__isnull=False)
    values_set(unit=commune, year=2025, values={"1.1": 1.0})  # judged by region (QĐ 318)
    UnitEventLink.objects.filter(unit=commune).delete()  # a registry without the 2025 event
    assert verify("--unit", "03571")[0] == 1  # no region any more: the verdict is stale
    call_command("reevaluate", "--unit", "03571", stdout=StringIO(), stderr=StringIO())
    assert not Evaluation.objects.filter(unit=commune, year=2025).exists()
    call_command("units", "load", "--province", "12", stdout=StringIO(), stderr=StringIO())
    assert Evaluation.objects.get(unit=commune, year=2025).class_code == "TDMNPB"
    assert verify()[0] == 0
