"""The upload page: dry run shown per cell, commit on request, errors given back in the file,
live status for large files, scope and ownership."""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from ntm.audit.models import AuditEvent
from ntm.exchange.models import ImportJob
from ntm.indicators.models import IndicatorValue
from ntm.indicators.services import values_set
from tests.exchange.conftest import BINH_LU, SAN_THANG, YEAR, long_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def import_root(settings, tmp_path):
    settings.NTM_IMPORT_ROOT = tmp_path / "imports"


def upload(client, name, data):
    response = client.post("/nhap-tep/", {"tep": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"], client.get(response["Location"]).content.decode()


def test_the_dry_run_shows_each_change_and_writes_nothing(client, board, commune):
    values_set(unit=commune, year=YEAR, values={"14.2": 60.0})
    client.force_login(board)
    data = long_csv((SAN_THANG, YEAR, "14.2", 75.5), (SAN_THANG, YEAR, "1.1", "đạt"))
    url, page = upload(client, "so-lieu.csv", data)
    assert "CSV dạng dài" in page
    assert "Thêm mới<b>1</b>" in page and "Sửa (cũ → mới)<b>1</b>" in page
    assert '<td>60%</td><td class="new">75,5%</td>' in page
    assert "Ghi vào hệ thống (1 thêm, 1 sửa)" in page
    assert IndicatorValue.objects.get(indicator="14.2").value == 60.0
    job = ImportJob.objects.get()
    assert job.status == "checked" and job.user == board
    diff = client.get(url + "doi-chieu/").content.decode("utf-8-sig")
    assert 'dòng 2,03409,Xã San Thàng,2018,14.2,60%,"75,5%",sửa' in diff


def test_the_commit_writes_and_audits_with_the_file_hash(client, board, commune):
    client.force_login(board)
    data = long_csv((SAN_THANG, YEAR, "14.2", 80))
    url, _ = upload(client, "bao-cao.csv", data)
    response = client.post(url + "ghi/")
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Đã ghi: thêm 1 giá trị, sửa 0 giá trị" in page
    assert IndicatorValue.objects.get(indicator="14.2").value == 80.0
    event = AuditEvent.objects.get(origin="file")
    job = ImportJob.objects.get()
    assert event.origin_detail == f"bao-cao.csv sha256={job.sha256}"
    assert event.actor_name == "bql.santhang"
    assert client.post(url + "ghi/").status_code == 409  # a job is written once


def test_values_changed_after_the_dry_run_are_checked_again(client, board, commune):
    client.force_login(board)
    url, _ = upload(client, "a.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    values_set(unit=commune, year=YEAR, values={"14.2": 50.0})  # someone saves meanwhile
    client.post(url + "ghi/")
    page = client.get(url).content.decode()
    assert "đã thay đổi kể từ lúc kiểm tra tệp; chưa ghi gì" in page
    assert '<td>50%</td><td class="new">80%</td>' in page
    assert IndicatorValue.objects.get(indicator="14.2").value == 50.0


def test_errors_come_back_as_red_commented_cells(client, board, commune):
    client.force_login(board)
    book = Workbook()
    ws = book.active
    ws.title = "Nhập"
    ws.append(["unit_code", "year", "indicator", "value"])
    ws.append([SAN_THANG, YEAR, "14.2", 80])
    ws.append([BINH_LU, YEAR, "14.2", 80])
    ws.append([SAN_THANG, YEAR, "15.1", "=B2/3"])
    out = io.BytesIO()
    book.save(out)
    url, page = upload(client, "bang.xlsx", out.getvalue())
    assert "Lỗi (2)" in page and "nằm ngoài phạm vi" in page
    assert "Ghi vào hệ thống" not in page
    response = client.get(url + "tep-loi/")
    assert response["Content-Disposition"] == 'attachment; filename="bang-loi.xlsx"'
    back = load_workbook(io.BytesIO(response.content))
    assert back.sheetnames[0] == "Lỗi nhập"
    cell = back["Nhập"]["D3"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "nằm ngoài phạm vi" in cell.comment.text
    assert "công thức" in back["Nhập"]["D4"].comment.text
    assert back["Nhập"]["D2"].comment is None
    assert not IndicatorValue.objects.exists()
    back["Nhập"].delete_rows(3, 2)  # the user fixes the file they were given back
    fixed = io.BytesIO()
    back.save(fixed)
    url, page = upload(client, "bang-loi.xlsx", fixed.getvalue())
    assert "Bỏ qua trang «Lỗi nhập»" in page and "Ghi vào hệ thống (1 thêm, 0 sửa)" in page


def test_errors_of_a_csv_come_back_as_a_csv(client, board, commune):
    client.force_login(board)
    url, _ = upload(client, "x.csv", long_csv((SAN_THANG, YEAR, "14.2", "=1+1")))
    response = client.get(url + "tep-loi/")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"] == 'attachment; filename="x-loi.csv"'
    assert text.splitlines()[0] == "trang,dong,cot,don_vi,chi_tieu,ly_do,thong_bao"
    assert ",2,value,03409,14.2,ô chứa công thức «=1+1»" in text


def test_a_file_that_cannot_be_read_says_why(client, board, commune):
    client.force_login(board)
    _, page = upload(client, "bao-cao.xlsx", b"\x00\x01\x02 not excel at all")
    assert "Có lỗi, không ghi gì" in page or "không ghi gì" in page
    assert "ký tự NUL" in page


def test_roles_that_cannot_edit_cannot_upload(client, leader):
    client.force_login(leader)
    assert client.get("/nhap-tep/").status_code == 403


def test_a_job_is_its_uploaders_only(client, board, office, commune):
    client.force_login(board)
    url, _ = upload(client, "a.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    client.force_login(office)
    assert client.get(url).status_code == 404
    assert client.post(url + "ghi/").status_code == 404
    assert client.get(url + "tep-loi/").status_code == 404


def test_the_status_fragment_polls_only_while_running(client, board, commune):
    client.force_login(board)
    url, _ = upload(client, "a.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    done = client.get(url + "trang-thai/").content.decode()
    assert 'data-status="checked"' in done and "hx-trigger" not in done
    ImportJob.objects.update(status="checking", phase="Kiểm tra từng ô", done=5, total=10)
    running = client.get(url + "trang-thai/").content.decode()
    assert 'hx-trigger="every 1s"' in running and "5/10 (50%)" in running
    page = client.get(url).content.decode()
    assert "vendor/htmx.min.js" in page and 'http-equiv="refresh"' in page


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_checked_and_written_in_the_background(client, settings, board, commune):
    settings.NTM_IMPORT_SYNC_MAX_BYTES = 0  # every file counts as large
    client.force_login(board)
    rows = [(SAN_THANG, year, "14.2", 70 + year % 10) for year in range(2016, 2021)]
    # No page is read while the thread works: in-memory SQLite locks whole tables.
    response = client.post("/nhap-tep/", {"tep": SimpleUploadedFile("lon.csv", long_csv(*rows))})
    url = response["Location"]
    _join()
    job = ImportJob.objects.get()
    assert job.status == "checked", job.message
    client.post(url + "ghi/")
    _join()
    job = ImportJob.objects.get()
    assert job.status == "done", job.message
    assert IndicatorValue.objects.count() == 5


def _join() -> bool:
    """Wait for the import threads (polling the row meanwhile would fight SQLite's locks)."""
    for thread in threading.enumerate():
        if thread.name.startswith("ntm-import-"):
            thread.join(timeout=30)
            assert not thread.is_alive(), "the background import did not finish"
    return True


def test_the_upload_page_refuses_a_file_over_the_limit(client, settings, board):
    settings.NTM_IMPORT_MAX_MB = 0
    client.force_login(board)
    response = client.post("/nhap-tep/", {"tep": SimpleUploadedFile("a.csv", b"x" * 10)})
    assert response.status_code == 400
    assert "lớn hơn giới hạn 0 MB" in response.content.decode()


def test_a_vietnamese_file_name_with_quotes_comes_back_safely(client, board, commune):
    client.force_login(board)
    url, _ = upload(client, 'báo cáo "quý 4".csv', long_csv((SAN_THANG, YEAR, "14.2", "x")))
    header = client.get(url + "tep-loi/")["Content-Disposition"]
    assert header.startswith("attachment; filename*=utf-8''b%C3%A1o%20c%C3%A1o")
