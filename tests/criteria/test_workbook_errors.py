"""A refused workbook writes nothing and says where (sheet, row, column) and why, in Vietnamese."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ntm.audit.models import AuditEvent
from ntm.criteria.models import CriteriaSetRecord, ProvincialSpec
from ntm.criteria.workbook_import import workbook_plan
from ntm.criteria.workbook_read import WorkbookError
from tests.criteria.workbook_files import (
    column,
    exported,
    meta_set,
    put,
    qd51_annex,
    row_of,
    saved,
    to_bytes,
)

pytestmark = pytest.mark.django_db


def qd318_copy():
    book = exported("qd318-2022")
    meta_set(book, "replaces_national", "có")
    return book


def refused(book, tmp_path) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("criteria", "import", saved(book, tmp_path / "x.xlsx"), stdout=StringIO())
    assert caught.value.returncode == 1
    assert not CriteriaSetRecord.objects.exists()
    assert not ProvincialSpec.objects.exists()
    assert not AuditEvent.objects.exists()
    return str(caught.value)


def problems(book) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        workbook_plan(content=to_bytes(book), filename="x.xlsx")
    return [p.text() for p in caught.value.problems]


def test_it_rejects_an_unknown_comparison(tmp_path):
    book = qd318_copy()
    where = put(book, "2.1", "So sánh", "≈")
    message = refused(book, tmp_path)
    assert (
        f"Trang «Chi tieu», dòng {where[1:]}, cột {where[0]}: so sánh '≈' không hợp lệ" in message
    )


def test_it_rejects_text_as_the_threshold_of_a_numeric_indicator(tmp_path):
    book = qd318_copy()
    where = put(book, "2.1", "TDMNPB", "cao")
    message = refused(book, tmp_path)
    assert (
        f"dòng {where[1:]}, cột {where[0]}: chỉ tiêu 2.1, TDMNPB: ngưỡng 'cao' không phải là số"
        in message
    )


def test_it_rejects_a_threshold_written_with_the_opposite_comparison(tmp_path):
    book = qd318_copy()
    put(book, "2.1", "TDMNPB", "≤ 70")
    assert "ô ghi '≤ 70' nhưng so sánh của chỉ tiêu là '>='" in refused(book, tmp_path)


def test_it_rejects_a_duplicate_indicator_code(tmp_path):
    book = qd318_copy()
    first = row_of(book, "2.1")
    second = row_of(book, "2.2")
    put(book, "2.2", "Mã chỉ tiêu", "2.1")
    message = refused(book, tmp_path)
    assert f"dòng {second}, cột D: chỉ tiêu 2.1 (mức ntm) trùng với dòng {first}" in message


def test_it_rejects_an_unknown_class_column(tmp_path):
    book = qd318_copy()
    ws = book["Chi tieu"]
    ws.cell(1, ws.max_column + 1).value = "Vùng XYZ"
    letter = ws.cell(1, ws.max_column).column_letter
    message = refused(book, tmp_path)
    assert f"Trang «Chi tieu», dòng 1, cột {letter}: tiêu đề 'Vùng XYZ'" in message
    assert "vùng/nhóm có: TDMNPB, DBSH" in message


def test_it_rejects_a_workbook_without_its_indicator_sheet(tmp_path):
    book = qd318_copy()
    del book["Chi tieu"]
    assert "Trang «Chi tieu»: thiếu trang này trong tệp" in refused(book, tmp_path)


def test_it_rejects_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"unit_code,year,indicator,value\n")
    with pytest.raises(CommandError, match="không phải tệp Excel") as caught:
        call_command("criteria", "import", str(path), stdout=StringIO())
    assert caught.value.returncode == 1


def test_it_rejects_an_excel_error_naming_its_cell(tmp_path):
    book = qd318_copy()
    where = put(book, "2.1", "TDMNPB", "#N/A")
    assert f"cột {where[0]}: ô báo lỗi #N/A của Excel, không có giá trị" in refused(book, tmp_path)


def test_it_rejects_a_formula(tmp_path):
    book = qd318_copy()
    where = put(book, "2.1", "TDMNPB", "=50+20")
    message = refused(book, tmp_path)
    assert (
        f"cột {where[0]}: ô chứa công thức «=50+20»: hãy chép và dán dưới dạng giá trị" in message
    )


def test_it_rejects_a_threshold_without_a_source():
    book = qd51_annex()
    ws = book["Chi tiêu"]
    ws["K5"] = None  # 2.1 has thresholds for the three groups
    assert any(
        "dòng 5, cột K: chỉ tiêu 2.1 có ngưỡng nhưng không ghi nguồn" in p for p in problems(book)
    )


def test_it_reports_every_problem_at_once():
    book = qd318_copy()
    put(book, "2.1", "So sánh", "≈")
    put(book, "2.2", "TDMNPB", "cao")
    put(book, "3.1", "Cách gộp khi sáp nhập", "trộn")
    found = problems(book)
    assert len(found) == 3 and "cách gộp 'trộn' không hợp lệ" in found[2]


def test_it_refuses_a_shipped_set_id_unless_the_workbook_replaces_it(tmp_path):
    book = exported("qd318-2022")
    assert "replaces_national = có" in refused(book, tmp_path)


def test_it_refuses_a_second_set_in_force_from_the_same_day(tmp_path):
    book = exported("qd318-2022")
    meta_set(book, "id", "qd318-2022-ban-sao")
    assert "bộ qd318-2022 cùng cấp commune đã có hiệu lực từ 08/03/2022" in refused(book, tmp_path)


def test_it_refuses_a_set_that_a_stored_specification_no_longer_fits(laichau, tmp_path):
    from ntm.core.specs import ProvincialSpec as SpecData
    from ntm.core.specs import SpecCell
    from ntm.criteria.services import spec_save

    spec_save(
        data=SpecData("lc-51", "12", "qd51-2025", "QĐ thử", (SpecCell("4", "3", "đạt"),), 2026)
    )
    with pytest.raises(WorkbookError, match=r"lc-51: chỉ tiêu '4' không có trong qd51-2025"):
        workbook_plan(content=to_bytes(qd51_annex()), filename="pl1.xlsx")


def test_a_specification_names_an_indicator_the_set_does_not_have(laichau):
    book = exported("qd318-2022")
    for key, value in {
        "kind": "spec",
        "spec_id": "s",
        "province_code": "12",
        "criteria_set": "qd318-2022",
        "legal_source": "QĐ thử",
    }.items():
        meta_set(book, key, value)
    where = put(book, "2.1", "Mã chỉ tiêu", "99.9")
    assert (
        f"dòng {where[1:]}, cột D: chỉ tiêu '99.9' không có trong bộ qd318-2022"
        in problems(book)[0]
    )


def test_a_specification_may_not_change_a_comparison(laichau):
    book = exported("qd318-2022")
    for key, value in {
        "kind": "spec",
        "spec_id": "s",
        "province_code": "12",
        "criteria_set": "qd318-2022",
        "legal_source": "QĐ thử",
    }.items():
        meta_set(book, key, value)
    put(book, "2.1", "So sánh", "<=")
    assert "không đổi được phép so sánh của chỉ tiêu 2.1" in problems(book)[0]


def test_a_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("criteria", "import", str(tmp_path / "none.xlsx"), stdout=StringIO())
    assert caught.value.returncode == 2


def test_columns_are_found_by_their_header_not_their_position():
    book = qd318_copy()
    ws = book["Chi tieu"]
    ws.move_range(f"A1:A{ws.max_row}", cols=ws.max_column)  # criterion column moved last
    plan = workbook_plan(content=to_bytes(book), filename="x.xlsx")
    assert plan.counts["changed"] == 0 and column(book, "Tiêu chí") > 20
