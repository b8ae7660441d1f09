import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import Workbook

from ntm.audit.models import AuditEvent, Origin
from ntm.exchange.records import records_import, records_template, spec_for
from ntm.programs.models import Body, Cooperative, Course, OcopProduct, Resolution, Target

# kind -> (model, header row, good rows, the bad row, the bad column letter, word in the error)
CASES = {
    "courses": (
        Course,
        ["Mã đơn vị", "Chủ đề", "Cấp", "Ngày bắt đầu", "Ngày kết thúc", "Số lượt người"],
        [
            ["03409", "Kỹ thuật trồng chè", "xã", "05/03/2021", "07/03/2021", 45],
            ["12", "Bồi dưỡng cán bộ", "Cấp tỉnh", "10/04/2021", None, "1.200"],
        ],
        ["03409", "Lớp hỏng", "xã", "31/02/2021", None, 10],
        "D",
        "DD/MM/YYYY",
    ),
    "ocop": (
        OcopProduct,
        ["Mã xã", "Tên sản phẩm", "Chủ thể sản xuất", "Số sao", "Ngày công nhận"],
        [
            ["03409", "Chè Shan tuyết thử", "HTX thử", 3, "01/06/2021"],
            ["03409", "Mật ong thử", "Hộ thử", "4", "15/09/2021"],
        ],
        ["03409", "Gạo thử", "HTX thử", 6, "01/06/2021"],
        "D",
        "từ 3 đến 5 sao",
    ),
    "cooperatives": (
        Cooperative,
        ["Mã xã", "Tên hợp tác xã", "Ngày thành lập", "Theo luật", "Hoạt động hiệu quả"],
        [
            ["03409", "HTX thử một", "01/01/2020", "2012", "có"],
            ["03409", "HTX thử hai", "02/02/2020", "Luật Hợp tác xã 2012", None],
        ],
        ["03409", "HTX thử ba", "01/01/2020", "1997", "có"],
        "D",
        "không phải một trong",
    ),
    "bodies": (
        Body,
        ["Mã đơn vị", "Loại bộ máy", "Số quyết định", "Ngày quyết định", "Thành lập chậm nhất năm"],
        [
            ["03386", "Ban quản lý xã", "12/QĐ-UBND", "01/03/2021", None],
            ["03409", "Ban phát triển thôn", None, None, 2015],
        ],
        ["03409", "Ban Chỉ đạo", None, None, None],
        "D",
        "cần ghi ngày quyết định",
    ),
    "resolutions": (
        Resolution,
        ["Mã đơn vị", "Cơ quan ban hành", "Số hiệu", "Ngày ban hành", "Trích yếu"],
        [
            ["12", "HĐND tỉnh thử", "99/NQ-HĐND", "10/12/2021", "Chính sách hỗ trợ thử"],
            ["03409", "Đảng ủy xã thử", None, "05/01/2021", "Nghị quyết chuyên đề thử"],
        ],
        ["12", "UBND tỉnh thử", "1/QĐ", "hôm qua", "Quyết định thử"],
        "D",
        "DD/MM/YYYY",
    ),
    "targets": (
        Target,
        ["Mã đơn vị", "Năm (cuối kỳ)", "Từ năm", "Loại mục tiêu", "Giá trị", "Nội dung mục tiêu"],
        [
            ["12", 2025, 2021, "Số xã đạt chuẩn NTM", 77, "Số xã đạt chuẩn thử"],
            ["12", 2025, 2021, "Bình quân tiêu chí/xã", "16,5", "Bình quân thử"],
        ],
        ["12", 2025, 2021, "Số xã đạt chuẩn NTM", None, "Thiếu giá trị"],
        "E",
        "cần ghi giá trị",
    ),
}


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


def _run(kind, data, user, dry_run):
    return records_import(
        spec=spec_for(kind), file_bytes=data, file_name=f"{kind}.xlsx", actor=user, dry_run=dry_run
    )


@pytest.fixture
def office(demo, db):
    return get_user_model().objects.get(username="vanphong.laichau")


@pytest.mark.parametrize("kind", CASES)
def test_a_sheet_imports_after_a_dry_run_and_then_is_unchanged(kind, office):
    model, headers, rows, *_ = CASES[kind]
    data = _xlsx(spec_for(kind).sheet, headers, rows)
    before = model.objects.count()

    dry = _run(kind, data, office, dry_run=True)
    assert dry.ok, [p.text() for p in dry.problems]
    assert dry.counts == {"added": 2, "changed": 0, "unchanged": 0, "errors": 0}
    assert model.objects.count() == before

    done = _run(kind, data, office, dry_run=False)
    assert done.ok and done.written
    assert model.objects.count() == before + 2
    events = AuditEvent.objects.filter(action__startswith="programs.", origin=Origin.FILE)
    assert events.count() == 2
    assert all(e.origin_detail.startswith(f"{kind}.xlsx sha256=") for e in events)

    again = _run(kind, data, office, dry_run=False)
    assert again.counts == {"added": 0, "changed": 0, "unchanged": 2, "errors": 0}
    assert model.objects.count() == before + 2


@pytest.mark.parametrize("kind", CASES)
def test_a_bad_row_refuses_the_whole_file(kind, office):
    model, headers, rows, bad, letter, words = CASES[kind]
    data = _xlsx(spec_for(kind).sheet, headers, [*rows, bad])
    before = model.objects.count()
    report = _run(kind, data, office, dry_run=False)
    assert not report.written
    assert [(p.row, p.column) for p in report.problems] == [(4, letter)]
    assert words in report.problems[0].text()
    assert model.objects.count() == before


@pytest.mark.parametrize("kind", CASES)
def test_an_account_outside_its_scope_is_refused(kind, demo, db):
    board = get_user_model().objects.filter(membership__role="commune").first()
    model, headers, rows, *_ = CASES[kind]
    before = model.objects.count()
    report = _run(kind, _xlsx(spec_for(kind).sheet, headers, rows), board, dry_run=False)
    assert not report.ok and not report.written
    assert all("Tài khoản không được ghi" in p.text() for p in report.problems)
    assert model.objects.count() == before


def test_a_changed_row_updates_the_stored_record(office):
    headers = ["Mã xã", "Tên sản phẩm", "Chủ thể sản xuất", "Số sao", "Ngày công nhận"]
    first = _xlsx("OCOP", headers, [["03409", "Chè nâng sao", "HTX thử", 3, "01/06/2021"]])
    assert _run("ocop", first, office, dry_run=False).written
    second = _xlsx("OCOP", headers, [["03409", "Chè nâng sao", "HTX thử", 4, "01/06/2021"]])
    report = _run("ocop", second, office, dry_run=False)
    assert report.counts["changed"] == 1
    assert OcopProduct.objects.get(name="Chè nâng sao").stars == 4
    assert AuditEvent.objects.filter(action="programs.ocop.update").count() == 1


def test_an_unknown_unit_code_names_its_column(office):
    headers = ["Mã xã", "Tên sản phẩm", "Chủ thể sản xuất", "Số sao", "Ngày công nhận"]
    data = _xlsx("OCOP", headers, [["99999", "Chè", "HTX", 3, "01/06/2021"]])
    report = _run("ocop", data, office, dry_run=True)
    assert [(p.row, p.column) for p in report.problems] == [(2, "A")]
    assert "99999" in report.problems[0].text()


@pytest.mark.parametrize("kind", CASES)
def test_the_template_has_the_headers(kind, demo, db):
    from openpyxl import load_workbook

    spec = spec_for(kind)
    book = load_workbook(io.BytesIO(records_template(spec)))
    headers = [c.value for c in book[spec.sheet][1]]
    assert headers == [c.header for c in spec.columns]


def test_the_upload_page_checks_then_writes(as_user):
    client = as_user("vanphong.laichau")
    from ntm.units.models import Unit

    province = Unit.objects.get(level="province", code="12", valid_from__isnull=True)
    url = f"/don-vi/{province.pk}/chuong-trinh/nhap-tep/ocop/"
    assert "Nhập OCOP từ Excel" in client.get(f"/don-vi/{province.pk}/san-xuat/").text
    assert client.get(url + "?mau=1")["Content-Type"].startswith("application/vnd.openxml")
    headers = ["Mã xã", "Tên sản phẩm", "Chủ thể sản xuất", "Số sao", "Ngày công nhận"]
    data = _xlsx("OCOP", headers, [["03409", "Chè trang", "HTX", 5, "01/06/2021"]])
    upload = io.BytesIO(data)
    upload.name = "trang.xlsx"
    page = client.post(url, {"file": upload, "dry_run": "on"})
    assert page.status_code == 200 and "Chưa ghi gì" in page.text
    assert not OcopProduct.objects.filter(name="Chè trang").exists()
    upload.seek(0)
    page = client.post(url, {"file": upload})
    assert OcopProduct.objects.filter(name="Chè trang", stars=5).exists()


def test_the_upload_page_is_the_province_office_s(as_user):
    board = get_user_model().objects.filter(membership__role="commune").first()
    unit = board.membership.unit
    client = as_user(board.username)
    assert client.get(f"/don-vi/{unit.pk}/chuong-trinh/nhap-tep/ocop/").status_code == 403
