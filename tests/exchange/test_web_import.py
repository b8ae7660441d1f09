"""The upload page: dry run shown per cell, commit on request, errors given back in the file,
large files queued for the task worker with their status, limits, scope and ownership."""

import datetime as dt
import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook, load_workbook

from ntm.audit.models import AuditEvent
from ntm.exchange import jobs, services
from ntm.exchange.models import ImportJob
from ntm.exchange.services import too_many_values
from ntm.indicators.models import IndicatorValue
from ntm.indicators.services import values_set
from tests.exchange.conftest import BINH_LU, SAN_THANG, YEAR, long_csv
from tests.worker import run_tasks

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


def test_a_large_file_waits_in_the_queue_then_the_worker_checks_and_writes_it(
    client, settings, board, commune
):
    settings.NTM_IMPORT_SYNC_MAX_BYTES = 0  # every file counts as large
    client.force_login(board)
    rows = [(SAN_THANG, year, "14.2", 70 + year % 10) for year in range(2016, 2021)]
    url, page = upload(client, "lon.csv", long_csv(*rows))
    assert "Đang chờ" in page and "máy xử lý nền sẽ kiểm tra khi tới lượt" in page
    assert 'hx-trigger="every 1s"' in page
    job = ImportJob.objects.get()
    task = DBTaskResult.objects.get()  # a row any web server and a restarted worker can see
    assert job.status == "checking" and job.task_id == str(task.id) and task.status == "READY"
    assert run_tasks() == 1
    page = client.get(url).content.decode()
    assert ImportJob.objects.get().status == "checked"
    assert "Ghi vào hệ thống (5 thêm, 0 sửa)" in page and "hx-trigger" not in page
    client.post(url + "ghi/")
    assert "máy xử lý nền sẽ ghi khi tới lượt" in client.get(url).content.decode()
    assert not IndicatorValue.objects.exists()
    assert run_tasks() == 1
    job = ImportJob.objects.get()
    assert job.status == "done", job.message
    assert IndicatorValue.objects.count() == 5


def test_a_commit_being_written_says_how_many_values_and_waits_for_the_end(
    client, settings, board, commune
):
    settings.NTM_IMPORT_SYNC_MAX_BYTES = 0
    client.force_login(board)
    rows = [(SAN_THANG, year, "14.2", 80) for year in range(2016, 2019)]
    url, _ = upload(client, "lon.csv", long_csv(*rows))
    run_tasks()
    client.post(url + "ghi/")
    DBTaskResult.objects.ready().get().claim("may-1")  # a worker took it and is writing
    page = client.get(url + "trang-thai/").content.decode()
    assert "<strong>Đang ghi</strong> (3 giá trị) — trang tự cập nhật khi xong." in page
    assert 'hx-trigger="every 1s"' in page


def test_a_job_whose_worker_stopped_is_shown_interrupted_and_runs_again(
    client, settings, board, commune
):
    settings.NTM_IMPORT_SYNC_MAX_BYTES = 0
    client.force_login(board)
    url, _ = upload(client, "lon.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    task = DBTaskResult.objects.get()
    task.claim("may-1")
    task.set_failed(SystemExit(1))  # what the worker records when stopped by force
    page = client.get(url).content.decode()
    assert "đã dừng giữa chừng" in page and "hx-trigger" not in page
    assert "Chạy lại (kiểm tra lại tệp)" in page
    client.post(url + "kiem-tra-lai/")
    assert run_tasks() == 1
    assert ImportJob.objects.get().status == "checked"


def test_a_running_job_not_heard_from_for_ten_minutes_is_interrupted(
    client, settings, board, commune
):
    settings.NTM_IMPORT_SYNC_MAX_BYTES = 0
    client.force_login(board)
    url, _ = upload(client, "lon.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    DBTaskResult.objects.get().claim("may-1")  # then the worker was killed
    assert "đã dừng giữa chừng" not in client.get(url).content.decode()
    ImportJob.objects.update(updated_at=timezone.now() - dt.timedelta(minutes=11))
    assert "đã dừng giữa chừng" in client.get(url).content.decode()


def test_a_commit_not_heard_from_for_an_hour_is_interrupted(client, settings, board, commune):
    # Sooner on PostgreSQL, where a live commit holds the job row's lock and a dead one does not.
    settings.NTM_IMPORT_SYNC_MAX_BYTES = 0
    client.force_login(board)
    url, _ = upload(client, "lon.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    run_tasks()
    client.post(url + "ghi/")
    DBTaskResult.objects.ready().get().claim("may-1")
    ImportJob.objects.update(updated_at=timezone.now() - dt.timedelta(minutes=61))
    page = client.get(url).content.decode()
    assert "đã dừng giữa chừng" in page and "Chạy lại (kiểm tra lại tệp)" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite has no row locks to see")
def test_a_long_commit_holding_its_lock_is_never_taken_for_interrupted(
    client, settings, board, commune, monkeypatch
):
    settings.NTM_IMPORT_SYNC_MAX_BYTES = 0
    monkeypatch.setattr(jobs, "STALE_AFTER", dt.timedelta(0))  # every job is silent too long
    client.force_login(board)
    url, _ = upload(client, "lon.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    run_tasks()
    client.post(url + "ghi/")
    writing, release = threading.Event(), threading.Event()
    written = services.values_write

    def slow_write(**kwargs):
        writing.set()
        assert release.wait(timeout=30)
        written(**kwargs)

    monkeypatch.setattr(services, "values_write", slow_write)

    def worker() -> None:
        try:
            run_tasks()
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert writing.wait(timeout=30)
        page = client.get(url + "trang-thai/").content.decode()
        assert "<strong>Đang ghi</strong> (1 giá trị)" in page
        assert "đã dừng giữa chừng" not in page
    finally:
        release.set()
        thread.join(timeout=30)
    assert ImportJob.objects.get().status == "done"


def test_a_user_with_two_unfinished_imports_is_refused_a_third(
    client, settings, board, commune, tmp_path
):
    settings.NTM_IMPORT_SYNC_MAX_BYTES = 0
    client.force_login(board)
    data = long_csv((SAN_THANG, YEAR, "14.2", 80))
    upload(client, "a.csv", data)
    upload(client, "b.csv", data)
    response = client.post("/nhap-tep/", {"tep": SimpleUploadedFile("c.csv", data)})
    assert response.status_code == 429
    assert "Bạn đang có 2 lượt nhập chưa xong; mỗi người được chạy tối đa 2 lượt cùng lúc" in (
        response.content.decode()
    )
    assert ImportJob.objects.count() == 2
    assert len(list((tmp_path / "imports").iterdir())) == 2  # the third file was not kept
    run_tasks()
    upload(client, "c.csv", data)  # both finished: the user may go on


def test_a_full_queue_refuses_large_files_but_still_checks_small_ones(
    client, settings, board, office, commune
):
    settings.NTM_IMPORT_MAX_QUEUED = 1
    settings.NTM_IMPORT_SYNC_MAX_BYTES = 100
    data = long_csv(*[(SAN_THANG, year, "14.2", 80) for year in range(2016, 2021)])
    client.force_login(board)
    upload(client, "lon.csv", data)
    client.force_login(office)
    response = client.post("/nhap-tep/", {"tep": SimpleUploadedFile("lon.csv", data)})
    assert response.status_code == 429
    assert "Hàng đợi nhập tệp đang đầy (1 lượt đang chờ máy xử lý nền)" in (
        response.content.decode()
    )
    _, page = upload(client, "nho.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    assert "Ghi vào hệ thống (1 thêm, 0 sửa)" in page


def test_a_file_over_the_value_limit_is_refused_naming_its_count_and_the_limit(
    client, settings, board, commune
):
    settings.NTM_IMPORT_MAX_VALUES = 4
    client.force_login(board)
    rows = [(SAN_THANG, year, "14.2", 80) for year in range(2016, 2021)]
    _, page = upload(client, "lon.csv", long_csv(*rows))
    assert "Tệp có 5 giá trị, vượt giới hạn 4 giá trị một lần nhập; không ghi gì." in page
    assert ImportJob.objects.get().status == "refused"
    assert not IndicatorValue.objects.exists()
    assert too_many_values(612_345, 500_000).reason.startswith(
        "Tệp có 612.345 giá trị, vượt giới hạn 500.000 giá trị"
    )


def test_a_job_failing_in_the_middle_of_the_write_ends_in_vietnamese_and_writes_nothing(
    client, settings, board, commune, monkeypatch
):
    settings.NTM_IMPORT_SYNC_MAX_BYTES = 0
    client.force_login(board)
    url, _ = upload(client, "lon.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    run_tasks()
    written = services.values_write

    def write_then_fail(**kwargs):
        written(**kwargs)
        assert IndicatorValue.objects.exists()
        raise RuntimeError("mất kết nối tới CSDL")

    monkeypatch.setattr(services, "values_write", write_then_fail)
    client.post(url + "ghi/")
    run_tasks()
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.message == "Lỗi hệ thống, không ghi gì: RuntimeError: mất kết nối tới CSDL"
    assert not IndicatorValue.objects.exists()
    assert not AuditEvent.objects.filter(origin="file").exists()
    page = client.get(url).content.decode()
    assert "Lỗi hệ thống, không ghi gì" in page and "Chạy lại (kiểm tra lại tệp)" in page


@pytest.mark.django_db(transaction=True)
def test_ntm_worker_runs_the_queued_import(client, settings, board, commune):
    settings.NTM_IMPORT_SYNC_MAX_BYTES = 0
    client.force_login(board)
    upload(client, "lon.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    call_command("worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    assert ImportJob.objects.get().status == "checked"


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


def test_two_clicks_on_write_start_one_commit_and_the_other_just_shows_the_job(
    client, settings, board, commune
):
    """Both requests read the job CHECKED; only the first moves it on, so one task is queued
    and the second request neither queues another nor rewinds the job."""
    settings.NTM_IMPORT_SYNC_MAX_BYTES = 0
    client.force_login(board)
    upload(client, "lon.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    run_tasks()
    first, second = ImportJob.objects.get(), ImportJob.objects.get()  # as two requests read it
    assert jobs.job_start(first, jobs.COMMIT) is True
    assert jobs.job_start(second, jobs.COMMIT) is False
    assert DBTaskResult.objects.ready().count() == 1
    assert ImportJob.objects.get().task_id == first.task_id
    assert run_tasks() == 1
    assert ImportJob.objects.get().status == "done"
    assert IndicatorValue.objects.get(indicator="14.2").value == 80.0
