"""Every shipped set survives export and import unchanged (the workbook loses nothing)."""

from io import StringIO

import pytest
from django.core.management import call_command

from ntm.audit.models import AuditEvent
from ntm.core.registry import national_sets
from ntm.criteria.models import CriteriaSetRecord
from ntm.criteria.workbook_import import workbook_plan
from tests.criteria.workbook_files import exported, meta_set, saved, to_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("set_id", sorted(national_sets()))
def test_an_exported_set_imports_as_the_same_set(set_id):
    book = exported(set_id)
    meta_set(book, "replaces_national", "có")
    plan = workbook_plan(content=to_bytes(book), filename=f"{set_id}.xlsx")
    assert plan.parsed_set is not None
    assert plan.parsed_set.cset == national_sets()[set_id]
    assert plan.counts["added"] == plan.counts["changed"] == plan.counts["removed"] == 0


def test_the_dry_run_of_an_exported_set_lists_every_cell_unchanged_and_writes_nothing(tmp_path):
    book = exported("qd1980-2016")
    meta_set(book, "replaces_national", "có")
    out = StringIO()
    call_command("criteria", "import", saved(book, tmp_path / "b.xlsx"), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "giữ nguyên 10" in text and "thêm 0" in text and "chưa ghi gì" in text
    assert "giữ nguyên 10     [ntm] TDMNPB: ≥ 36" in text
    assert not CriteriaSetRecord.objects.exists() and not AuditEvent.objects.exists()


def test_export_writes_the_documented_sheets(tmp_path):
    path = tmp_path / "qd318.xlsx"
    call_command("criteria", "export", "qd318-2022", "-o", str(path), stdout=StringIO())
    from openpyxl import load_workbook

    book = load_workbook(path)
    assert {"Huong dan", "Bo tieu chi", "Chi tieu", "Nguon"} <= set(book.sheetnames)
    headers = [c.value for c in book["Chi tieu"][1]]
    assert headers[:8] == [
        "Tiêu chí",
        "Tên tiêu chí",
        "Nhóm tiêu chí",
        "Mã chỉ tiêu",
        "Nội dung",
        "Đơn vị",
        "So sánh",
        "Mức",
    ]
    assert "TDMNPB" in headers and "Cách gộp khi sáp nhập" in headers
    tiers = {row[7].value for row in book["Chi tieu"].iter_rows(min_row=2)}
    assert tiers == {"ntm", "nang_cao"}  # one row per tier: nâng cao cells are visible, empty
