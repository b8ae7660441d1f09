"""QĐ 51/2025's annex typed by an office becomes the set that judges 2026 (tests use made-up
thresholds: the real annex is not known to ntm)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from ntm.audit.models import AuditEvent
from ntm.core import registry
from ntm.criteria.models import CriteriaSetRecord
from ntm.criteria.selectors import all_sets, criteria_set_for_province, get_any_set
from ntm.criteria.workbook_import import workbook_plan
from ntm.indicators.services import commune_criteria
from ntm.units.selectors import unit_at
from tests.criteria.workbook_files import qd51_annex, saved, to_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(laichau, tmp_path):
    call_command(
        "criteria", "import", saved(qd51_annex(), tmp_path / "pl1.xlsx"), stdout=StringIO()
    )


def province_2026():
    return unit_at(code="12", level="province", on=dt.date(2026, 12, 31))


def test_the_annex_becomes_the_set_for_2026(imported):
    cset = criteria_set_for_province(province_id=province_2026().id, year=2026)
    assert cset.id == "qd51-2025" and len(cset.criteria) == 10 and len(cset.indicators) == 16
    assert [t.value for t in cset.indicator("2.1").thresholds["ntm"].values()] == [100, 100, 90]


def test_thresholds_are_read_as_the_office_wrote_them(imported):
    cset = get_any_set("qd51-2025")
    by_group = {code: cset.indicator(code).thresholds["ntm"] for code in ("2.2", "2.3", "3.1")}
    assert {g: t.value for g, t in by_group["2.2"].items()} == {"1": 99, "2": 98, "3": 95}
    assert {g: t.value for g, t in by_group["2.3"].items()} == {"1": 80, "2": 60, "3": 40}
    assert by_group["3.1"]["1"].value == 8.5  # "8,5"
    assert set(cset.indicator("1.1").thresholds["ntm"]) == {"1", "2", "3"}  # merged "Đạt"
    assert cset.indicator("8.2").op.value == "khong"
    assert cset.indicator("2.1").combine == "mean" and cset.indicator("1.1").combine == "all"
    assert cset.criterion("2").name == "Hạ tầng kinh tế - xã hội"  # merged down
    assert cset.indicator("3.2").criterion == "3"  # left blank: the row above's criterion
    assert cset.indicator("2.1").threshold("ntm", "1").source.startswith("PL1: Bảng thử nghiệm")


def test_a_commune_judged_in_2026_uses_the_imported_set(imported):
    from ntm.criteria.services import commune_class_set
    from ntm.units.models import Unit

    commune = Unit.objects.filter(level="commune", code="03595", valid_from__isnull=False).first()
    commune_class_set(unit=commune, criteria_set="qd51-2025", class_code="3", legal_basis="QĐ 113")
    cset, group = commune_criteria(unit=commune, year=2026)
    assert (cset.id, len(cset.indicators), group) == ("qd51-2025", 16, "3")


def test_earlier_years_and_the_core_registry_are_unchanged(imported):
    assert criteria_set_for_province(province_id=None, year=2025).id == "qd318-2022"
    assert len(registry.get_set("qd51-2025").indicators) == 10  # the core reads only its files
    assert len(all_sets()["qd51-2025"].indicators) == 16


def test_the_list_marks_the_imported_set(imported):
    out = StringIO()
    call_command("criteria", "list", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if x.startswith("qd51-2025 "))
    assert "16 chỉ tiêu" in line and "[nhập từ bảng tính, thay bộ quốc gia]" in line


def test_the_import_is_recorded_with_its_file_and_audited(imported):
    record = CriteriaSetRecord.objects.get()
    assert record.source_name == "pl1.xlsx" and len(record.source_sha256) == 64
    assert record.replaces_national
    event = AuditEvent.objects.get(action="criteria_set.import")
    assert event.after["indicators"] == 16 and event.before is None


def test_importing_the_annex_again_changes_no_cell_and_keeps_the_old_content(imported, tmp_path):
    book = qd51_annex()
    plan = workbook_plan(content=to_bytes(book), filename="pl1.xlsx")
    assert plan.counts["unchanged"] > 0 and plan.counts["added"] == plan.counts["changed"] == 0
    book["Chi tiêu"]["H5"] = 95  # 2.1, group 1
    call_command("criteria", "import", saved(book, tmp_path / "pl1b.xlsx"), stdout=StringIO())
    last = AuditEvent.objects.filter(action="criteria_set.import").order_by("-id").first()
    assert last.before["source_name"] == "pl1.xlsx" and "criteria" in last.before["data"]
    assert get_any_set("qd51-2025").indicator("2.1").threshold("ntm", "1").value == 95


def test_the_first_import_reports_the_indicators_it_replaces(laichau):
    plan = workbook_plan(content=to_bytes(qd51_annex()), filename="pl1.xlsx")
    assert plan.summary[0].startswith("Bộ qd51-2025 từ bảng tính sẽ thay bộ quốc gia")
    assert any(line.startswith("Chỉ tiêu bỏ") and "2, 4, 5" in line for line in plan.summary)


def test_an_imported_set_exports_and_imports_again_unchanged(imported):
    from tests.criteria.workbook_files import exported

    plan = workbook_plan(content=to_bytes(exported("qd51-2025")), filename="again.xlsx")
    assert plan.parsed_set.cset == get_any_set("qd51-2025")
    assert plan.counts["added"] == plan.counts["changed"] == plan.counts["removed"] == 0
