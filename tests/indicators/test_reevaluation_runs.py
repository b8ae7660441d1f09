"""A criteria set replaced on the web is national: its re-evaluation runs as a background job,
in one transaction, and every page says the figures predate the change until it commits."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from ntm.accounts.models import Membership, Role
from ntm.criteria.models import CriteriaSetRecord
from ntm.indicators import reevaluation, tasks
from ntm.indicators.models import Evaluation, ReevaluationRun
from ntm.indicators.selectors import reevaluation_pending
from ntm.indicators.services import values_set
from ntm.units.models import Unit
from tests.criteria.workbook_files import exported, meta_set, put, to_bytes
from tests.worker import run_tasks

pytestmark = pytest.mark.django_db

IMPORT = "/bo-tieu-chi/nhap/"
BANNER = "Kết quả đánh giá đang được tính lại theo bộ tiêu chí mới"


def san_thang() -> Unit:
    return Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)


def criterion_14() -> str:
    """San Thàng's stored verdict on education (14) in 2018, judged by QĐ 1980/2016."""
    return Evaluation.objects.get(unit=san_thang(), year=2018).criteria["14"]


def verify() -> int:
    try:
        call_command("verify", stdout=StringIO(), stderr=StringIO())
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def admin(laichau, django_user_model):
    user = django_user_model.objects.create_user(username="quantri", password="x-12345678")
    Membership.objects.create(user=user, role=Role.ADMIN, unit=None)
    return user


@pytest.fixture
def values(laichau) -> None:
    """14.2 at 80 %: met under the shipped threshold for TDMNPB (70), not under 99."""
    values_set(unit=san_thang(), year=2018, values={"14.1": 1.0, "14.2": 80.0, "14.3": 30.0})
    assert criterion_14() == "met"


@pytest.fixture
def replaced(client, admin, values, django_capture_on_commit_callbacks) -> ReevaluationRun:
    """The administrator replaces QĐ 1980/2016 on the import page: 14.2 needs 99 % in TDMNPB."""
    book = exported("qd1980-2016")
    meta_set(book, "replaces_national", "có")
    put(book, "14.2", "TDMNPB", 99)
    client.force_login(admin)
    client.post(IMPORT, {"file": SimpleUploadedFile("qd1980.xlsx", to_bytes(book))})
    sha = client.session["criteria_workbook"]["sha256"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(IMPORT, {"commit": "1", "sha256": sha}).status_code == 302
    return ReevaluationRun.objects.get()


def test_the_web_import_of_a_national_set_queues_a_run_and_returns(replaced, admin):
    assert (replaced.status, replaced.criteria_set) == ("queued", "qd1980-2016")
    assert replaced.pending_set["replaces_national"] is True
    assert replaced.requested_by == admin
    assert DBTaskResult.objects.ready().get().task_path == "ntm.indicators.tasks.reevaluate_run"
    # Until the run commits, the old rules and the old verdicts, both whole: no mix.
    assert not CriteriaSetRecord.objects.exists()
    assert criterion_14() == "met"
    assert verify() == 0


def test_the_run_reevaluates_every_year_the_set_judges(replaced):
    assert run_tasks() == 1
    run = ReevaluationRun.objects.get()
    assert (run.status, run.done, run.total, run.error) == ("done", 1, 1, "")
    assert run.started_at is not None and run.finished_at is not None
    assert CriteriaSetRecord.objects.get().imported_by == run.requested_by
    assert criterion_14() == "not_met"
    assert verify() == 0


def test_every_page_says_the_figures_predate_the_change_while_a_run_is_pending(client, replaced):
    page = client.get("/bo-tieu-chi/").content.decode()
    assert BANNER in page
    assert re.search(r"bắt đầu lúc \d\d:\d\d\); số liệu hiện đang hiển thị là kết quả trước", page)
    run_tasks()
    assert BANNER not in client.get("/bo-tieu-chi/").content.decode()
    assert reevaluation_pending() is None


def test_the_banner_is_in_english_for_an_english_reader(client, replaced):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/bo-tieu-chi/").content.decode()
    assert "Evaluation results are being recalculated under the new criteria set" in page


def test_a_failing_run_rolls_back_the_set_and_every_verdict(replaced, monkeypatch):
    real = reevaluation.reevaluate

    def half_then_fail(**kwargs):
        real(**kwargs)  # the set is stored and every new verdict written ...
        raise RuntimeError("mất kết nối")  # ... and then the run breaks before its commit

    monkeypatch.setattr(reevaluation, "reevaluate", half_then_fail)
    run_tasks()
    run = ReevaluationRun.objects.get()
    assert run.status == "failed" and run.finished_at is not None
    assert run.error.startswith(
        "Không áp dụng được bộ tiêu chí qd1980-2016 (mất kết nối). Không có gì bị thay đổi"
    )
    assert not CriteriaSetRecord.objects.exists() and criterion_14() == "met"
    assert DBTaskResult.objects.get().status == "FAILED"
    assert reevaluation_pending() is None and verify() == 0  # nothing changed: nothing to say


def test_a_failed_reevaluation_keeps_its_notice_until_reevaluate_redoes_the_work(
    client, admin, values, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.reevaluation_run_enqueue(criteria_set="", years=[2018], requested_by=admin)
    Evaluation.objects.filter(unit=san_thang(), year=2018).update(criteria_met=0)
    monkeypatch.setattr(tasks, "reevaluate", lambda **kwargs: 1 / 0)
    run_tasks()
    monkeypatch.undo()
    client.force_login(admin)
    page = client.get("/bo-tieu-chi/").content.decode()
    assert "bị lỗi: số liệu hiện đang hiển thị là kết quả trước thay đổi" in page
    assert verify() == 1
    call_command("reevaluate", stdout=StringIO(), stderr=StringIO())
    assert verify() == 0 and reevaluation_pending() is None
    assert "bị lỗi" not in client.get("/bo-tieu-chi/").content.decode()


def test_a_run_is_done_once_even_if_its_job_runs_twice(replaced):
    run_tasks()
    finished = ReevaluationRun.objects.get().finished_at
    assert tasks.reevaluate_run.call(replaced.pk) == 1
    assert ReevaluationRun.objects.get().finished_at == finished
