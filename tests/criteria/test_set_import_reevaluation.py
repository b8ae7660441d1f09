"""Where a criteria import re-evaluates: the command line and a province's specification within
the call; an administrator's national set on the web in a background run
(tests/indicators/test_reevaluation_runs.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from ntm.accounts.models import Membership, Role
from ntm.indicators.models import Evaluation, ReevaluationRun
from ntm.indicators.services import values_set
from ntm.units.models import Unit
from tests.criteria.test_workbook_pages import upload
from tests.criteria.test_workbook_spec import spec_book
from tests.criteria.workbook_files import exported, meta_set, put, saved, to_bytes

pytestmark = pytest.mark.django_db


def san_thang() -> Unit:
    return Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)


def test_the_command_line_import_of_a_national_set_reevaluates_before_it_returns(laichau, tmp_path):
    values_set(unit=san_thang(), year=2018, values={"14.1": 1.0, "14.2": 80.0, "14.3": 30.0})
    book = exported("qd1980-2016")
    meta_set(book, "replaces_national", "có")
    put(book, "14.2", "TDMNPB", 99)
    call_command("criteria", "import", saved(book, tmp_path / "qd1980.xlsx"), stdout=StringIO())
    assert Evaluation.objects.get(unit=san_thang(), year=2018).criteria["14"] == "not_met"
    assert not ReevaluationRun.objects.exists() and not DBTaskResult.objects.exists()
    call_command("verify", stdout=StringIO(), stderr=StringIO())  # SystemExit(1) if stale


def test_a_province_specification_on_the_web_is_reevaluated_within_the_request(
    client, laichau, django_user_model, django_capture_on_commit_callbacks
):
    office = django_user_model.objects.create_user(username="vanphong", password="x-12345678")
    province = Unit.objects.get(level="province", code="12", valid_from__isnull=True)
    Membership.objects.create(user=office, role=Role.PROVINCE, unit=province)
    client.force_login(office)
    upload(client, to_bytes(spec_book()))
    sha = client.session["criteria_workbook"]["sha256"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/bo-tieu-chi/nhap/", {"commit": "1", "sha256": sha})
    assert not ReevaluationRun.objects.exists() and not DBTaskResult.objects.exists()
