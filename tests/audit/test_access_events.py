"""Logins, failed logins, logouts, exports and evidence downloads each leave one audit row:
who, what, when, from which address; never a password. The audit page shows them in
Vietnamese."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ntm.accounts.models import Membership, Role
from ntm.audit.models import AuditEvent
from ntm.indicators.models import EvidenceFile
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dung-1"
ADDRESS = "192.0.2.7"
YEAR = 2018
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def province() -> Unit:
    return Unit.objects.get(level="province", code="12", valid_from__isnull=True)


def commune() -> Unit:
    return Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)


def member(django_user_model, username, role, unit):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


def browser(user=None) -> Client:
    """A client whose requests come from ADDRESS, logged in as `user` if given."""
    client = Client(REMOTE_ADDR=ADDRESS)
    if user is not None:
        client.force_login(user)
    return client


def only(action: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, [(e.action, e.object_id) for e in AuditEvent.objects.all()]
    event = events[0]
    assert abs(timezone.now() - event.at) < dt.timedelta(minutes=1)
    return event


@pytest.fixture
def office(laichau, django_user_model):
    return member(django_user_model, "vp.tinh", Role.PROVINCE, province())


@pytest.fixture
def board(laichau, django_user_model):
    return member(django_user_model, "bql.santhang", Role.COMMUNE, commune())


def test_a_login_is_recorded_with_its_address(office):
    client = browser()
    response = client.post("/dang-nhap/", {"username": "vp.tinh", "password": PASSWORD})
    assert response.status_code == 302
    event = only("login")
    assert (event.actor, event.actor_name, event.address) == (office, "vp.tinh", ADDRESS)
    assert event.object_type == "account" and event.object_id == "vp.tinh"
    assert event.origin == "page" and event.origin_detail == "/dang-nhap/"


def test_a_failed_login_names_the_account_tried_and_never_the_password(office):
    browser().post("/dang-nhap/", {"username": "vp.tinh", "password": "doan-thu-123"})
    event = only("login.fail")
    assert event.actor is None and event.actor_name == "khách (chưa đăng nhập)"
    assert event.object_id == "vp.tinh" and event.after == {"username": "vp.tinh"}
    assert event.address == ADDRESS
    assert "doan-thu-123" not in str(list(AuditEvent.objects.values()))


def test_a_logout_is_recorded(office):
    client = browser(office)
    client.post("/dang-xuat/")
    event = only("logout")
    assert (event.actor, event.object_id, event.address) == (office, "vp.tinh", ADDRESS)


def test_a_data_export_is_recorded(office):
    client = browser(office)
    response = client.get(f"/don-vi/{province().id}/xuat/", {"nam": "2018", "dinh_dang": "csv"})
    assert response.status_code == 200
    event = only("export.data")
    assert (event.actor, event.unit, event.address) == (office, province(), ADDRESS)
    assert event.after["file"] == "ntm-12-2018-2018.csv" and event.after["format"] == "csv"


def test_an_export_from_the_command_line_is_recorded(office, tmp_path):
    out = tmp_path / "x.csv"
    call_command(
        "export",
        "--unit",
        "12",
        "--years",
        "2018",
        "-o",
        str(out),
        "--user",
        "vp.tinh",
        stderr=StringIO(),
    )
    event = only("export.data")
    assert event.actor == office and event.origin == "cli" and event.address is None
    assert "ntm export --unit 12" in event.origin_detail and event.after["file"] == "x.csv"


def test_a_template_download_is_recorded(board):
    client = browser(board)
    response = client.get(f"/don-vi/{commune().id}/{YEAR}/bieu-mau/")
    assert response.status_code == 200, response.content[:500]
    event = only("export.template")
    assert (event.actor, event.unit, event.year, event.address) == (
        board,
        commune(),
        YEAR,
        ADDRESS,
    )


def test_a_records_template_download_is_recorded(office):
    client = browser(office)
    url = f"/don-vi/{province().pk}/chuong-trinh/nhap-tep/ocop/?mau=1"
    assert client.get(url).status_code == 200
    event = only("export.template")
    assert event.actor == office and event.object_id == "ocop" and event.address == ADDRESS


def test_a_criteria_workbook_download_is_recorded(office):
    client = browser(office)
    assert client.get("/bo-tieu-chi/qd1980-2016/xlsx/").status_code == 200
    event = only("export.criteria")
    assert event.actor == office and event.object_id == "qd1980-2016"


def test_an_evidence_download_is_recorded(board, settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    client = browser(board)
    url = f"/so-lieu/{commune().id}/{YEAR}/14.2/minh-chung/"
    client.post(url, {"file": SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf")})
    evidence = EvidenceFile.objects.get()
    response = client.get(f"/minh-chung/{evidence.id}/")
    assert b"".join(response.streaming_content) == PDF
    event = only("evidence.download")
    assert (event.actor, event.unit, event.year, event.address) == (
        board,
        commune(),
        YEAR,
        ADDRESS,
    )
    assert event.object_id == str(evidence.id) and event.after["file"] == "bien-ban.pdf"


def test_the_audit_page_shows_these_rows_in_vietnamese(office, django_user_model):
    admin = member(django_user_model, "quan.tri", Role.ADMIN, None)
    browser().post("/dang-nhap/", {"username": "vp.tinh", "password": "sai"})
    browser().post("/dang-nhap/", {"username": "vp.tinh", "password": PASSWORD})
    browser(office).get(f"/don-vi/{province().id}/xuat/", {"nam": "2018", "dinh_dang": "csv"})
    html = browser(admin).get("/nhat-ky/").content.decode()
    for text in [
        "Đăng nhập sai",
        ">Đăng nhập<br>",
        "Xuất số liệu",
        "tài khoản vp.tinh",
        "khách (chưa đăng nhập)",
        f"địa chỉ {ADDRESS}",
    ]:
        assert text in html, text
    only_logins = browser(admin).get("/nhat-ky/", {"hanh_dong": "login."}).content.decode()
    assert "Xuất số liệu" not in only_logins.split('id="events"')[1]
