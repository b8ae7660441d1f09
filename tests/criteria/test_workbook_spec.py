"""A province types its own thresholds (TDMNPB column of QĐ 318/2022) into the exported workbook."""

from io import StringIO

import pytest
from django.core.management import call_command

from ntm.audit.models import AuditEvent
from ntm.criteria.models import ProvincialSpec, SpecThreshold
from ntm.criteria.selectors import criteria_set_for_province
from ntm.units.models import Unit
from tests.criteria.workbook_files import exported, meta_set, put, saved

pytestmark = pytest.mark.django_db

LEGAL = "QĐ 1285/QĐ-UBND tỉnh Lai Châu (bản của văn phòng)"


def spec_book():
    book = exported("qd318-2022")
    for key, value in {
        "kind": "spec",
        "spec_id": "lc-1285-2023",
        "province_code": "12",
        "criteria_set": "qd318-2022",
        "legal_source": LEGAL,
        "first_year": 2022,
        "last_year": 2025,
    }.items():
        meta_set(book, key, value)
    put(book, "2.1", "TDMNPB", 70)
    put(book, "3.1", "TDMNPB", "≥80%")
    put(book, "8.1", "TDMNPB", "Đạt")
    put(book, "10", "TDMNPB", "45,5")
    put(book, "6.3", "TDMNPB", 100)  # the national threshold already: not the province's
    put(book, "2.1", "TDMNPB", 90, tier="nang_cao")
    return book


def run(path, *extra):
    out = StringIO()
    call_command("criteria", "import", path, *extra, stdout=out)
    return out.getvalue()


def test_the_dry_run_lists_each_cell_and_writes_nothing(laichau, tmp_path):
    text = run(saved(spec_book(), tmp_path / "lc.xlsx"), "--dry-run")
    assert "Quy định lc-1285-2023 của Tỉnh Lai Châu trên bộ qd318-2022 (mới)" in text
    assert "thêm       2.1    [ntm] TDMNPB: ≥ 70" in text
    assert "thêm       2.1    [nang_cao] TDMNPB: ≥ 90" in text
    assert "thêm       8.1    [ntm] TDMNPB: đạt" in text
    assert "giữ nguyên 6.3    [ntm] TDMNPB: ≥ 100 (bằng mức quốc gia, không lưu)" in text
    assert "5 ô khác mức quốc gia sẽ được lưu" in text
    assert not ProvincialSpec.objects.exists() and not AuditEvent.objects.exists()


def test_only_cells_that_differ_from_the_national_set_become_the_provinces(laichau, tmp_path):
    run(saved(spec_book(), tmp_path / "lc.xlsx"))
    spec = ProvincialSpec.objects.get(spec_id="lc-1285-2023")
    assert spec.legal_source == LEGAL and (spec.first_year, spec.last_year) == (2022, 2025)
    assert sorted(spec.thresholds.values_list("indicator", "class_code", "tier", "value")) == [
        ("10", "TDMNPB", "", 45.5),
        ("2.1", "TDMNPB", "", 70.0),
        ("2.1", "TDMNPB", "nang_cao", 90.0),
        ("3.1", "TDMNPB", "", 80.0),
        ("8.1", "TDMNPB", "", 1.0),
    ]
    event = AuditEvent.objects.get(action="spec.save")
    assert event.origin == "cli" and "lc.xlsx (sha256 " in event.origin_detail


def test_the_communes_of_the_province_are_judged_with_the_imported_thresholds(laichau, tmp_path):
    run(saved(spec_book(), tmp_path / "lc.xlsx"))
    province = Unit.objects.get(level="province", code="12", valid_from__isnull=True)
    cset = criteria_set_for_province(province_id=province.id, year=2023)
    cell = cset.indicator("2.1").threshold("ntm", "TDMNPB")
    assert (cell.value, cell.origin, cell.source) == (70.0, "lc-1285-2023", LEGAL)
    assert cset.indicator("2.1").threshold("ntm", "DBSH") is None  # other regions untouched


def test_an_exported_specification_imports_again_without_change(laichau, tmp_path):
    run(saved(spec_book(), tmp_path / "lc.xlsx"))
    again = exported("lc-1285-2023")
    text = run(saved(again, tmp_path / "again.xlsx"), "--dry-run")
    assert "(thay bản đã lưu)" in text
    assert "thêm 0, đổi 0" in text and ", bỏ 0" in text
    assert "giữ nguyên 2.1    [ntm] TDMNPB: ≥ 70" in text


def test_clearing_a_cell_removes_the_provinces_threshold(laichau, tmp_path):
    run(saved(spec_book(), tmp_path / "lc.xlsx"))
    book = exported("lc-1285-2023")
    put(book, "2.1", "TDMNPB", None)
    put(book, "3.1", "TDMNPB", 85)
    text = run(saved(book, tmp_path / "edit.xlsx"))
    assert "bỏ         2.1    [ntm] TDMNPB: ≥ 70 → chưa xác nhận" in text
    assert "đổi        3.1    [ntm] TDMNPB: ≥ 80 → ≥ 85" in text
    assert not SpecThreshold.objects.filter(indicator="2.1", tier="").exists()
