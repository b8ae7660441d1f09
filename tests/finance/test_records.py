import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from ntm.audit.models import AuditEvent, Origin
from ntm.exchange.records import records_import, spec_for
from ntm.finance.models import CapitalEntry, Contribution

CAPITAL_HEADERS = [
    "Mã đơn vị",
    "Từ năm",
    "Đến năm",
    "Nguồn vốn",
    "Giai đoạn",
    "Số tiền (triệu đồng)",
    "Công trình",
]


def _xlsx(sheet, headers, rows):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _capital(rows):
    return _xlsx("Vốn", CAPITAL_HEADERS, rows)


def test_it_writes_capital_rows_with_audit_naming_the_file(demo_user, commune):
    data = _capital(
        [
            ["03409", 2022, None, "central_dev", "đã bố trí", "1.500", "Đường bản Sì Thâu Chải"],
            [
                "03409",
                2022,
                None,
                "Ngân sách Trung ương – vốn đầu tư phát triển",
                "đã giải ngân",
                900,
                None,
            ],
        ]
    )
    report = records_import(
        spec=spec_for("capital"),
        file_bytes=data,
        file_name="von.xlsx",
        actor=demo_user("xa.santhang"),
        dry_run=False,
    )
    assert report.ok, [p.text() for p in report.problems]
    assert report.counts == {"added": 2, "changed": 0, "unchanged": 0, "errors": 0}
    assert CapitalEntry.objects.filter(unit=commune, year_from=2022).count() == 2
    events = AuditEvent.objects.filter(action="capital.set", origin=Origin.FILE)
    assert events.count() == 2
    assert all(e.origin_detail.startswith("von.xlsx sha256=") for e in events)
    again = records_import(
        spec=spec_for("capital"),
        file_bytes=data,
        file_name="von.xlsx",
        actor=demo_user("xa.santhang"),
        dry_run=False,
    )
    assert again.counts["unchanged"] == 2


def test_a_dry_run_writes_nothing(demo_user, commune):
    data = _capital([["03409", 2022, None, "credit", "kế hoạch", 10, None]])
    report = records_import(
        spec=spec_for("capital"), file_bytes=data, file_name="a.xlsx", actor=None, dry_run=True
    )
    assert report.ok and report.counts["added"] == 1
    assert not CapitalEntry.objects.filter(unit=commune).exists()


def test_excel_errors_and_uncomputed_formulas_are_refused_naming_their_cells(commune):
    data = _capital(
        [
            ["03409", 2022, None, "credit", "kế hoạch", "#DIV/0!", None],
            [
                "03409",
                2022,
                None,
                "credit",
                "đã bố trí",
                "=F2*2",
                None,
            ],  # openpyxl stores no result
        ]
    )
    report = records_import(
        spec=spec_for("capital"), file_bytes=data, file_name="a.xlsx", actor=None, dry_run=False
    )
    texts = [p.text() for p in report.problems]
    assert texts == [
        "Trang «Vốn», dòng 2, cột F: «Số tiền (triệu đồng)»: ô báo lỗi #DIV/0! của Excel, "
        "không có giá trị",
        "Trang «Vốn», dòng 3, cột F: «Số tiền (triệu đồng)»: ô chứa công thức «=F2*2» nhưng tệp "
        "không lưu kết quả tính (tệp không được lưu bằng Excel): hãy mở tệp bằng Excel rồi lưu "
        "lại, hoặc dán dưới dạng giá trị",
    ]
    assert not CapitalEntry.objects.filter(unit=commune).exists()


def test_one_bad_row_refuses_the_whole_file_naming_row_and_column(demo_user, commune):
    data = _capital(
        [
            ["03409", 2022, None, "credit", "kế hoạch", 10, None],
            ["03409", 2022, None, "credit", "đã bố trí", "mười", None],
            ["03409", 2022, None, "vốn lạ", "kế hoạch", 5, None],
        ]
    )
    report = records_import(
        spec=spec_for("capital"), file_bytes=data, file_name="a.xlsx", actor=None, dry_run=False
    )
    texts = [p.text() for p in report.problems]
    assert texts[0].startswith("Trang «Vốn», dòng 3, cột F: «Số tiền (triệu đồng)»")
    assert texts[1].startswith("Trang «Vốn», dòng 4, cột D: «Nguồn vốn»")
    assert not CapitalEntry.objects.filter(unit=commune).exists()


def test_it_refuses_rows_outside_the_users_scope(demo_user, commune):
    data = _capital([["03409", 2022, None, "credit", "kế hoạch", 10, None]])
    report = records_import(
        spec=spec_for("capital"),
        file_bytes=data,
        file_name="a.xlsx",
        actor=demo_user("xa.daosan"),
        dry_run=False,
    )
    assert "không được nhập số liệu của" in report.problems[0].text()
    assert "dòng 2" in report.problems[0].text()
    assert not CapitalEntry.objects.filter(unit=commune).exists()


def test_it_refuses_duplicate_rows(demo_user, commune):
    row = ["03409", 2022, None, "credit", "kế hoạch", 10, None]
    report = records_import(
        spec=spec_for("capital"),
        file_bytes=_capital([row, row]),
        file_name="a.xlsx",
        actor=None,
        dry_run=False,
    )
    assert "trùng với dòng 2" in report.problems[0].text()


def test_the_command_imports_contributions_and_exits_1_on_errors(demo, db, commune, tmp_path):
    headers = ["Mã đơn vị", "Từ tháng", "Đến tháng", "Đất hiến (m²)", "Ngày công"]
    good = tmp_path / "dg.xlsx"
    good.write_bytes(_xlsx("Đóng góp", headers, [["03409", "01/2021", "12/2021", "250,5", 40]]))
    call_command("import-records", str(good), "--kind", "contributions")
    row = Contribution.objects.get(unit=commune)
    assert row.land_m2 == Decimal("250.5") and row.labour_days == 40
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_xlsx("Đóng góp", headers, [["03409", "13/2021", "12/2021", 1, 1]]))
    with pytest.raises(CommandError) as exc:
        call_command("import-records", str(bad), "--kind", "contributions")
    assert exc.value.returncode == 1


def test_the_template_has_the_headers_and_instructions(demo, db, tmp_path):
    out = tmp_path / "mau.xlsx"
    call_command("records-template", "--kind", "capital", "-o", str(out))
    book = load_workbook(out)
    assert [c.value for c in book["Vốn"][1]][:6] == CAPITAL_HEADERS[:6]
    assert "Hướng dẫn" in book.sheetnames


def test_the_upload_page_reports_problems(as_user, commune):
    client = as_user("xa.santhang")
    data = _capital([["03409", 2022, None, "credit", "sai", 10, None]])
    upload = io.BytesIO(data)
    upload.name = "von.xlsx"
    response = client.post(f"/nguon-luc/{commune.pk}/nhap-tep/capital/", {"file": upload})
    assert response.status_code == 400
    assert "dòng 2, cột E" in response.content.decode()


@pytest.mark.parametrize("amount", ["1e400", 1e308, "9" * 60, "1.000.000.001", "1.2.3", -5])
def test_it_refuses_a_capital_amount_that_is_not_a_bounded_number(demo_user, commune, amount):
    data = _capital([["03409", 2022, None, "credit", "kế hoạch", amount, None]])
    report = records_import(
        spec=spec_for("capital"),
        file_bytes=data,
        file_name="von.xlsx",
        actor=demo_user("xa.santhang"),
        dry_run=False,
    )
    assert not report.ok and "dòng 2" in report.problems[0].text()
    assert not CapitalEntry.objects.filter(unit=commune, year_from=2022).exists()
