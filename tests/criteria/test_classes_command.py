"""`ntm classes list|import`: communes' regions and groups with their legal basis, via the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from ntm.audit.models import AuditEvent
from ntm.criteria.demo import AREA_III, BASIS, classes_demo_load
from ntm.criteria.models import CommuneClass
from ntm.criteria.services import commune_class_set
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db
QD113 = "QĐ 113/QĐ-UBND ngày 16/01/2026"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("classes", *args, stdout=out)
    return out.getvalue()


def listed(set_id: str, *extra: str, unit: str = "12") -> list[dict]:
    return json.loads(
        run("list", "--unit", unit, "--criteria-set", set_id, "--format", "json", *extra)
    )


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return caught.value


def commune_2025(code: str) -> Unit:
    return Unit.objects.get(level="commune", code=code, valid_from=dt.date(2025, 7, 1))


def write(tmp_path: Path, text: str, name: str = "ds.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8-sig"))
    return str(path)


def import_args(path: str, *extra: str) -> list[str]:
    return ["import", path, "--criteria-set", "qd51-2025", "--basis", QD113, *extra]


# --- list ------------------------------------------------------------------------------------


def test_it_lists_unassigned_communes_with_null_class(laichau):
    rows = listed("qd51-2025")
    assert len(rows) == 36  # the 2025 structure: 36 xã (the two phường are not in the programme)
    assert set(rows[0]) == {"unit_code", "name", "class", "basis", "inherited", "reason"}
    assert all(r["class"] is None and r["basis"] is None for r in rows)
    assert all(r["reason"] == "chưa được phân nhóm" and r["inherited"] is False for r in rows)


def test_it_lists_communes_in_vietnamese_name_order(laichau):
    names = [r["name"] for r in listed("qd51-2025")]
    assert names[:3] == ["Xã Bản Bo", "Xã Bình Lư", "Xã Bum Nưa"]
    assert names.index("Xã Tà Tổng") < names.index("Xã Tả Lèng") < names.index("Xã Tân Uyên")


def test_a_region_set_gives_a_commune_its_provinces_region_and_says_so(laichau):
    rows = listed("qd1980-2016")
    assert len(rows) == 96  # the pre-2025 rural communes
    first = rows[0]
    assert first["class"] == "TDMNPB" and first["inherited"] is True and first["reason"] is None
    assert first["basis"].startswith("vùng của tỉnh: Tỉnh Lai Châu thuộc vùng Trung du")
    assert "1980/QĐ-TTg" in first["basis"]


def test_a_commune_record_overrides_the_inherited_region(laichau):
    san_thang = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    commune_class_set(
        unit=san_thang, criteria_set="qd1980-2016", class_code="DBSH", legal_basis="QĐ thử"
    )
    row = next(r for r in listed("qd1980-2016") if r["unit_code"] == "03409")
    assert row == {
        "unit_code": "03409",
        "name": "Xã San Thàng",
        "class": "DBSH",
        "basis": "QĐ thử",
        "inherited": False,
        "reason": None,
    }


def test_the_unit_code_is_read_on_the_sets_first_year(laichau):
    new = {r["unit_code"] for r in listed("qd51-2025")}
    old = {r["unit_code"] for r in listed("qd1980-2016")}
    assert "03409" in old and "03409" not in new  # San Thàng was merged on 1/7/2025
    assert "03390" in new  # Xã Bình Lư of the 2025 structure


def test_the_year_option_picks_that_years_communes(laichau):
    assert len(listed("qd318-2022")) == 94  # 2022: after the 2020 mergers
    rows = listed("qd318-2022", "--year", "2025")  # 2025 is judged in the new structure
    assert len(rows) == 36
    assert all(r["class"] == "TDMNPB" and r["inherited"] for r in rows)


def test_the_table_format_marks_inherited_and_missing_classes(laichau):
    text = run("list", "--unit", "12", "--criteria-set", "qd51-2025")
    assert "Xã Bản Bo" in text and "chưa được phân nhóm" in text
    assert "0/36 xã đã có vùng/nhóm." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "99", "--criteria-set", "qd51-2025"], "Không có đơn vị mã 99"),
        (["--unit", "12", "--criteria-set", "qd999"], "qd999"),
        (["--unit", "12", "--criteria-set", "qd51-2025-province"], "không phân vùng hay phân nhóm"),
    ],
)
def test_it_refuses_an_unknown_unit_or_set_with_exit_code_2(laichau, args, message):
    error = refused("list", *args)
    assert error.returncode == 2 and message in str(error)


# --- import ----------------------------------------------------------------------------------


def test_it_imports_names_ignoring_accents_and_records_the_basis(laichau, tmp_path):
    path = write(tmp_path, "name,class\nMuong Kim,3\nXã Khoen On,Nhóm 3\nnam so,3\n")
    out = run(*import_args(path))
    assert "thêm 3" in out
    records = CommuneClass.objects.filter(criteria_set="qd51-2025")
    assert sorted(r.unit.name for r in records) == ["Xã Khoen On", "Xã Mường Kim", "Xã Nậm Sỏ"]
    assert {r.legal_basis for r in records} == {QD113}
    events = AuditEvent.objects.filter(action="class.set")
    assert events.count() == 3
    assert {e.origin for e in events} == {"cli"}
    assert all(e.origin_detail.startswith("ds.csv sha256=") for e in events)


def test_it_imports_codes_from_an_xlsx_sheet(laichau, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Danh sách xã khu vực III"])
    sheet.append(["unit_code", "name", "class"])
    sheet.append([3637, "Mường Kim", 3])  # Excel drops the leading zero and keeps 3 a number
    path = tmp_path / "ds.xlsx"
    book.save(path)
    run(*import_args(str(path)))
    assert CommuneClass.objects.get(unit=commune_2025("03637")).class_code == "3"


def test_an_excel_error_in_a_sheet_is_refused_naming_its_cell(laichau, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "KV III"
    sheet.append(["unit_code", "class"])
    sheet.append(["03637", "#REF!"])
    path = tmp_path / "ds.xlsx"
    book.save(path)
    error = refused(*import_args(str(path)))
    assert "Trang «KV III», dòng 2, cột B: ô báo lỗi #REF! của Excel" in str(error)
    assert not CommuneClass.objects.exists()


def test_one_bad_row_refuses_the_whole_file_with_exit_code_1(laichau, tmp_path):
    path = write(tmp_path, "name,class\nMường Kim,3\nKhoen On,4\n")
    error = refused(*import_args(path))
    assert error.returncode == 1
    assert "bị từ chối, không ghi gì" in str(error)
    assert not CommuneClass.objects.exists()
    assert not AuditEvent.objects.filter(action="class.set").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name,class\nMường Xyz,3\n",
            "Dòng 2, cột name: không có xã tên «Mường Xyz» trong số các xã của cả nước vào ngày "
            "31/12/2026",
        ),
        (
            "unit_code,class\n03409,3\n",
            "Dòng 2, cột unit_code: không có xã mã 03409",
        ),
        (
            "name,class\nMường Kim,4\n",
            "Dòng 2, cột class: «4» không phải nhóm của bộ tiêu chí qd51-2025 (có: 1, 2, 3)",
        ),
        ("name,class\nMường Kim,\n", "Dòng 2, cột class: thiếu nhóm"),
        (
            "name;class\nMường Kim;3\n\nmuong kim;2\n",
            "Dòng 4, cột name: Xã Mường Kim (03637) đã có ở dòng 2",
        ),
        (
            "unit_code,name,class\n03637,Khoen On,3\n",
            "Dòng 2, cột name: mã 03637 là Xã Mường Kim, không phải «Khoen On»",
        ),
        ("name,class\n,3\n", "Dòng 2, cột name: thiếu mã xã (unit_code) hoặc tên xã (name)"),
    ],
)
def test_errors_name_the_row_column_and_reason(laichau, tmp_path, text, expected):
    error = refused(*import_args(write(tmp_path, text)))
    assert expected in str(error)


def test_an_ambiguous_name_is_refused_listing_the_communes(laichau, tmp_path):
    province = Unit.objects.get(level="province", code="12", valid_from=dt.date(2025, 7, 1))
    Unit.objects.create(
        code="99990",
        name="Xã Binh Lu",
        kind="xa",
        level="commune",
        parent=province,
        valid_from=dt.date(2025, 7, 1),
        ntm_eligible=True,
    )
    error = refused(*import_args(write(tmp_path, "name,class\nBình Lư,2\n")))
    assert "Dòng 2, cột name: tên «Bình Lư» trùng với nhiều xã" in str(error)
    assert "Xã Bình Lư (03390)" in str(error) and "Xã Binh Lu (99990)" in str(error)


def test_the_unit_option_limits_names_to_that_province(laichau, tmp_path):
    path = write(tmp_path, "name,class\nMường Kim,3\n")
    run(*import_args(path, "--unit", "12"))
    assert CommuneClass.objects.count() == 1
    error = refused(*import_args(path, "--unit", "01"))
    assert error.returncode == 2 and "Không có đơn vị mã 01" in str(error)


def test_a_dry_run_reports_the_changes_and_writes_nothing(laichau, tmp_path):
    commune_class_set(
        unit=commune_2025("03637"), criteria_set="qd51-2025", class_code="2", legal_basis="QĐ cũ"
    )
    path = write(tmp_path, "name,class\nMường Kim,3\nKhoen On,3\n")
    out = run(*import_args(path, "--dry-run"))
    assert "Dòng 2: Xã Mường Kim (03637): 2 → 3" in out
    assert "Dòng 3: Xã Khoen On (03640): chưa có → 3" in out
    assert "thêm 1, đổi 1, giữ nguyên 0" in out and "chưa ghi gì" in out
    assert CommuneClass.objects.get().class_code == "2"
    assert CommuneClass.objects.count() == 1


def test_a_missing_basis_is_refused(laichau, tmp_path):
    path = write(tmp_path, "name,class\nMường Kim,3\n")
    error = refused("import", path, "--criteria-set", "qd51-2025", "--basis", "  ")
    assert error.returncode == 1 and "Cần ghi căn cứ" in str(error)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,class\nM\x00ng,3\n", "ký tự NUL"),
        (b"name,class\n\xe0\xe1,3\n", "UTF-8"),
        (b"", "Tệp rỗng"),
        (b"a,b\n1,2\n", "Không tìm thấy dòng tiêu đề"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
        (b"PK\x03\x04 broken zip", "bị hỏng"),
        (b"name,class\n" + b"x" * (6 * 1024 * 1024), "lớn hơn 5 MB"),
    ],
)
def test_unreadable_files_are_refused_with_a_sentence(laichau, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    error = refused(*import_args(str(path)))
    assert error.returncode == 1 and message in str(error)


def test_a_macro_enabled_workbook_is_refused(laichau, tmp_path):
    book = Workbook()
    book.active.append(["name", "class"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    path = tmp_path / "ds.xlsm"
    path.write_bytes(buffer.getvalue())
    error = refused(*import_args(str(path)))
    assert "macro" in str(error) and not CommuneClass.objects.exists()


def test_a_missing_file_exits_2(laichau, tmp_path):
    error = refused(*import_args(str(tmp_path / "nowhere.csv")))
    assert error.returncode == 2


# --- verdicts follow the class ---------------------------------------------------------------


def test_a_class_change_re_evaluates_the_communes_stored_verdicts(laichau, tmp_path):
    kim = commune_2025("03637")
    IndicatorValue.objects.create(
        unit=kim, year=2026, criteria_set="qd51-2025", indicator="1.1", value=1
    )
    run(*import_args(write(tmp_path, "name,class\nMường Kim,3\n")))
    assert Evaluation.objects.get(unit=kim, year=2026).class_code == "3"
    commune_class_set(unit=kim, criteria_set="qd51-2025", class_code="2", legal_basis="QĐ khác")
    assert Evaluation.objects.get(unit=kim, year=2026).class_code == "2"


# --- demo ------------------------------------------------------------------------------------


def test_the_demo_puts_the_32_area_iii_communes_of_lai_chau_in_group_3(laichau):
    assert classes_demo_load() == 32
    assert classes_demo_load() == 32  # idempotent
    records = CommuneClass.objects.filter(criteria_set="qd51-2025")
    assert records.count() == 32 and {r.class_code for r in records} == {"3"}
    assert {r.legal_basis for r in records} == {BASIS}
    assert len(AREA_III) == 32
    assert AuditEvent.objects.filter(action="class.set").count() == 32


def test_the_demo_leaves_four_communes_without_a_group_and_says_why(laichau):
    classes_demo_load()
    rows = listed("qd51-2025")
    missing = {r["name"]: r["reason"] for r in rows if r["class"] is None}
    assert set(missing) == {"Xã Than Uyên", "Xã Mường Than", "Xã Tân Uyên", "Xã Bình Lư"}
    reason = missing["Xã Than Uyên"]
    assert reason.startswith("chưa được phân nhóm: không thuộc danh sách đã nhập theo QĐ 113")
    assert "(xã khu vực III)" in reason and "chưa có căn cứ để biết xã thuộc nhóm nào" in reason
