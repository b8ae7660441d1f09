"""The report from a unit's page: the form, the job in the task queue, the download."""

from __future__ import annotations

import io

import pytest
from docx import Document

from ntm.audit.models import AuditEvent
from ntm.reports.models import ReportJob
from ntm.units.models import Unit
from tests.web.conftest import demo_user
from tests.worker import run_tasks

pytestmark = pytest.mark.django_db


def _province() -> Unit:
    return Unit.objects.get(level="province", code="12", valid_from__isnull=True)


def _commune(code: str) -> Unit:
    return Unit.objects.get(level="commune", code=code, valid_from__isnull=True)


def test_the_office_makes_a_word_report_in_the_background_and_downloads_it(as_user):
    client = as_user("vanphong.laichau")
    url = f"/don-vi/{_province().pk}/2018/bao-cao/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "format": "docx",
            "period": "annual",
            "issuer": "VPĐP",
            "recipients": "Ban Chỉ đạo tỉnh\nCác sở, ngành",
        },
    )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.QUEUED
    page = client.get(response["Location"])
    assert "Đang chờ" in page.content.decode()
    assert run_tasks() == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.message
    page = client.get(f"/bao-cao/{job.pk}/").content.decode()
    assert "Đã lập xong" in page and job.digest not in page  # no hash on the page
    download = client.get(f"/bao-cao/{job.pk}/tai/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    word = Document(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.text for p in word.paragraphs)
    text += "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "13,43" in text and "- Các sở, ngành;" in text
    event = AuditEvent.objects.get(action="report.make")
    assert event.actor == demo_user("vanphong.laichau")


def test_the_unit_page_links_to_the_report_only_for_those_who_may_make_it(as_user):
    url = f"/don-vi/{_province().pk}/2018/"
    report = f"/don-vi/{_province().pk}/2018/bao-cao/"
    assert report in as_user("vanphong.laichau").get(url).content.decode()
    assert report in as_user("lanhdao.laichau").get(url).content.decode()
    assert report not in as_user("so.giaothong").get(url).content.decode()


def test_a_department_and_an_outsider_get_no_report(as_user):
    province = _province()
    assert as_user("so.giaothong").get(f"/don-vi/{province.pk}/2018/bao-cao/").status_code == 404
    other = _commune("03571")  # Dào San: not San Thàng's
    client = as_user("xa.santhang")
    assert client.get(f"/don-vi/{other.pk}/2018/bao-cao/").status_code == 404
    own = _commune("03409")
    assert client.get(f"/don-vi/{own.pk}/2018/bao-cao/").status_code == 200


def test_a_report_job_is_seen_only_by_its_owner(as_user):
    client = as_user("vanphong.laichau")
    client.post(f"/don-vi/{_province().pk}/2018/bao-cao/", {"format": "xlsx", "period": "annual"})
    job = ReportJob.objects.get()
    run_tasks()
    leader = as_user("lanhdao.laichau")
    assert leader.get(f"/bao-cao/{job.pk}/").status_code == 404
    assert leader.get(f"/bao-cao/{job.pk}/tai/").status_code == 404


def test_a_year_without_results_ends_the_job_with_a_sentence(as_user):
    client = as_user("vanphong.laichau")
    response = client.post(
        f"/don-vi/{_province().pk}/2010/bao-cao/", {"format": "pdf", "period": "annual"}
    )
    assert response.status_code == 302
    run_tasks()
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.FAILED
    assert "chưa có kết quả đánh giá năm 2010" in job.message
    assert client.get(f"/bao-cao/{job.pk}/tai/").status_code == 404


def test_bad_form_input_is_refused_and_nothing_is_queued(as_user):
    client = as_user("vanphong.laichau")
    url = f"/don-vi/{_province().pk}/2018/bao-cao/"
    response = client.post(url, {"format": "exe", "period": "annual"})
    assert response.status_code == 200
    response = client.post(
        url,
        {
            "format": "docx",
            "period": "annual",
            "recipients": "\n".join(f"nơi {k}" for k in range(30)),
        },
    )
    assert "Nhiều nhất 20 nơi nhận" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_too_many_unfinished_reports_are_refused(as_user):
    client = as_user("vanphong.laichau")
    url = f"/don-vi/{_province().pk}/2018/bao-cao/"
    for _ in range(3):
        client.post(url, {"format": "docx", "period": "annual"})
    response = client.post(url, {"format": "docx", "period": "annual"})
    assert response.status_code == 409
    assert ReportJob.objects.count() == 3
