"""The issue's path through a real browser: entry with live verdicts, evidence, submission,
a return with a reason, recognition by the province, and a refused look at another commune."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from ntm.demo.services import demo_load
from ntm.units.models import Unit
from ntm.workflow.models import Dossier
from ntm.workflow.services import appraisal_record, dossier_advance

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def demo():
    demo_load()


def user(name: str):
    return get_user_model().objects.get(username=name)


def login(page, live_server, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main button[type=submit]").click()
    expect(page.locator("header")).to_contain_text(username)


def san_thang() -> Unit:
    return Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)


def test_commune_entry_return_and_recognition(page, live_server, demo, tmp_path: Path):
    commune = san_thang()
    login(page, live_server, "xa.santhang", "demo-commune-03409")

    # Entry: the verdict follows the typed value (Vietnamese decimal comma), before saving.
    page.goto(f"{live_server.url}/xa/{commune.id}/2018/nhap/")
    field = page.locator("input[name='val-14.2']")
    row = page.locator(".ind", has=field)
    field.fill("69,5")
    expect(row.locator(".live")).to_have_attribute("data-status", "not_met")
    field.fill("70")
    expect(row.locator(".live")).to_have_attribute("data-status", "met")
    # Every criterion met, so that the dossier can go all the way.
    page.locator("button.primary", has_text="Lưu số liệu").click()
    expect(page.locator(".notice").first).to_be_visible()

    # Evidence for 14.2.
    row.locator("details.more summary").click()
    pdf = tmp_path / "bien-ban.pdf"
    pdf.write_bytes(PDF)
    row.locator("input[type=file]").set_input_files(str(pdf))
    row.locator("form:has(input[type=file]) button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("bien-ban.pdf")

    # Open the dossier and submit the self-assessment.
    page.goto(f"{live_server.url}/don-vi/{commune.id}/ho-so/")
    page.locator("button", has_text="Lập hồ sơ năm 2018").click()
    page.locator("button", has_text="Hoàn thành tự đánh giá").click()
    page.locator("button", has_text="Trình huyện thẩm tra").click()
    dossier = Dossier.objects.get(unit=commune, year=2018)
    assert dossier.current_stage == "huyen_tham_tra"

    # The district returns it with a reason; the commune sees the reason.
    login(page, live_server, "huyen.tplaichau", "demo-district-105")
    page.goto(f"{live_server.url}/viec-can-lam/")
    page.locator(f"a[href='/ho-so/{dossier.id}/']").first.click()
    page.fill("textarea[name=reason][required]", "Thiếu biên bản lấy ý kiến nhân dân")
    page.locator("button", has_text="Trả lại hồ sơ").click()
    expect(page.locator("body")).to_contain_text("Thiếu biên bản lấy ý kiến nhân dân")

    # Resubmitted and verified; every department appraises; the province appraises.
    dossier.refresh_from_db()
    xa = user("xa.santhang")
    while dossier.current_stage != "huyen_tham_tra":
        dossier = dossier_advance(actor=xa, dossier=dossier)
    dossier = dossier_advance(actor=user("huyen.tplaichau"), dossier=dossier)
    for name in ("so.giaothong", "so.yte", "so.nongnghiep"):
        department = user(name)
        for criterion in department.membership.criteria_in(dossier.criteria_set):
            appraisal_record(actor=department, dossier=dossier, criterion=criterion, verdict="dat")
    dossier.refresh_from_db()
    dossier = dossier_advance(actor=user("vanphong.laichau"), dossier=dossier)
    assert dossier.current_stage == "quyet_dinh"

    # The province records the recognition decision in the browser.
    login(page, live_server, "vanphong.laichau", "demo-ntm-laichau")
    page.goto(f"{live_server.url}/ho-so/{dossier.id}/")
    page.fill("input[name=number]", "1234/QĐ-UBND")
    page.fill("input[name=date]", dt.date(2018, 12, 20).isoformat())
    page.fill("input[name=signer]", "Phó Chủ tịch UBND tỉnh")
    page.locator("button", has_text="Ghi quyết định công nhận").click()
    expect(page.locator("body")).to_contain_text("1234/QĐ-UBND")
    dossier.refresh_from_db()
    assert dossier.status == "recognised"


def test_a_commune_user_cannot_open_another_commune(page, live_server, demo):
    other = Unit.objects.get(level="commune", code="03403", valid_from__isnull=True)
    login(page, live_server, "xa.santhang", "demo-commune-03409")
    response = page.goto(f"{live_server.url}/xa/{other.id}/2018/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/xa/{other.id}/2018/nhap/")
    assert response.status == 404
