"""The commune classes page: who sees it, who changes it, the single change and the upload."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ntm.accounts.models import Membership, Role
from ntm.audit.models import AuditEvent
from ntm.criteria.models import CommuneClass
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db
QD113 = "QĐ 113/QĐ-UBND ngày 16/01/2026"
NEW = dt.date(2025, 7, 1)


def member(role: str, unit: Unit | None, name: str):
    user = get_user_model().objects.create_user(username=name, password="x-12345678")
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


def province(*, new: bool = True) -> Unit:
    if new:
        return Unit.objects.get(level="province", code="12", valid_from=NEW)
    return Unit.objects.get(level="province", code="12", valid_from__isnull=True)


def page_url(unit: Unit, set_id: str = "qd51-2025") -> str:
    return f"/bo-tieu-chi/{set_id}/phan-loai/{unit.pk}/"


def kim() -> Unit:
    return Unit.objects.get(level="commune", code="03637", valid_from=NEW)


@pytest.fixture
def as_member(client, laichau):
    """as_member(role, unit) logs the client in as a new user with that role and unit."""

    def login(role: str, unit: Unit | None):
        client.force_login(member(role, unit, f"u.{role}.{unit.code if unit else 'all'}"))
        return client

    return login


@pytest.fixture
def office(as_member):
    """The province office, on the 2019 row of Lai Châu as the demo's account is."""
    return as_member(Role.PROVINCE, province(new=False))


def upload(client, text: str, *, dry_run: bool, basis: str = QD113, name: str = "ds.csv"):
    data = {
        "action": "upload",
        "file": SimpleUploadedFile(name, text.encode("utf-8")),
        "legal_basis": basis,
    }
    if dry_run:
        data["dry_run"] = "on"
    return client.post(page_url(province()), data)


# --- access ----------------------------------------------------------------------------------


def test_the_office_on_the_2019_row_is_sent_to_its_2025_province_for_qd51(office):
    response = office.get("/bo-tieu-chi/qd51-2025/phan-loai/")
    assert response.status_code == 302 and response["Location"] == page_url(province())
    response = office.get("/bo-tieu-chi/qd1980-2016/phan-loai/")
    assert response["Location"] == page_url(province(new=False), "qd1980-2016")


def test_the_other_structures_row_redirects_to_the_sets_row(office):
    response = office.get(page_url(province(new=False)))
    assert response.status_code == 302 and response["Location"] == page_url(province())


def test_the_office_sees_every_commune_and_both_forms(office):
    html = office.get(page_url(province())).content.decode()
    assert html.count("<tr><td>Xã ") == 36
    assert "0/36" in html and "chưa được phân nhóm" in html
    assert 'name="legal_basis"' in html and 'type="file"' in html


def test_a_commune_user_gets_404(as_member):
    client = as_member(Role.COMMUNE, kim())
    assert client.get(page_url(province())).status_code == 404
    assert client.get("/bo-tieu-chi/qd51-2025/phan-loai/").status_code == 404
    assert client.post(page_url(province()), {"action": "set"}).status_code == 404


def test_another_provinces_office_gets_404_and_cannot_write(as_member):
    dien_bien = Unit.objects.create(code="11", name="Tỉnh Điện Biên", kind="tinh", level="province")
    client = as_member(Role.PROVINCE, dien_bien)
    assert client.get(page_url(province())).status_code == 404
    data = {"action": "set", "commune": kim().pk, "class_code": "3", "legal_basis": QD113}
    assert client.post(page_url(province()), data).status_code == 404
    assert not CommuneClass.objects.exists()


def test_a_leader_of_the_province_reads_without_forms_and_cannot_post(as_member):
    client = as_member(Role.LEADER, province())
    html = client.get(page_url(province())).content.decode()
    assert "Xã Mường Kim" in html and 'name="legal_basis"' not in html
    data = {"action": "set", "commune": kim().pk, "class_code": "3", "legal_basis": QD113}
    assert client.post(page_url(province()), data).status_code == 403
    assert not CommuneClass.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client, laichau):
    response = client.get(page_url(province()))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_the_administrator_chooses_among_the_provinces_of_the_sets_year(as_member):
    client = as_member(Role.ADMIN, None)
    html = client.get("/bo-tieu-chi/qd51-2025/phan-loai/").content.decode()
    assert page_url(province()) in html and page_url(province(new=False)) not in html


def test_a_set_that_classes_nobody_is_404(office):
    assert office.get("/bo-tieu-chi/qd51-2025-province/phan-loai/").status_code == 404
    assert office.get(page_url(province(), "qd999")).status_code == 404


def test_the_criteria_set_page_links_to_it_only_for_the_office(office, client):
    html = office.get("/bo-tieu-chi/qd51-2025/").content.decode()
    assert 'id="classes-link"' in html and "/bo-tieu-chi/qd51-2025/phan-loai/" in html
    assert (
        'id="classes-link"' not in office.get("/bo-tieu-chi/qd51-2025-province/").content.decode()
    )
    client.force_login(member(Role.LEADER, province(), "lanhdao"))
    assert 'id="classes-link"' not in client.get("/bo-tieu-chi/qd51-2025/").content.decode()


# --- one commune -----------------------------------------------------------------------------


def test_the_office_sets_one_communes_group_with_its_basis(office):
    data = {"action": "set", "commune": kim().pk, "class_code": "3", "legal_basis": QD113}
    response = office.post(page_url(province()), data, follow=True)
    assert "Đã ghi nhóm 3 cho Xã Mường Kim." in response.content.decode()
    record = CommuneClass.objects.get(unit=kim())
    assert (record.class_code, record.legal_basis) == ("3", QD113)
    event = AuditEvent.objects.get(action="class.set")
    assert event.origin == "page" and event.actor is not None


def test_a_change_without_basis_is_refused(office):
    data = {"action": "set", "commune": kim().pk, "class_code": "3", "legal_basis": ""}
    response = office.post(page_url(province()), data)
    assert response.status_code == 400 and not CommuneClass.objects.exists()


def test_a_commune_outside_the_page_is_refused(office):
    old = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    data = {"action": "set", "commune": old.pk, "class_code": "3", "legal_basis": QD113}
    assert office.post(page_url(province()), data).status_code == 400
    assert not CommuneClass.objects.exists()


# --- upload ----------------------------------------------------------------------------------


def test_a_dry_run_upload_previews_and_writes_nothing(office):
    response = upload(office, "name,class\nMuong Kim,3\nKhoen On,3\n", dry_run=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sẽ thêm 2, đổi 0, giữ nguyên 0 xã. Chưa ghi gì" in html
    assert not CommuneClass.objects.exists()


def test_an_upload_without_dry_run_writes_every_row(office):
    response = upload(office, "name,class\nMuong Kim,3\nKhoen On,3\n", dry_run=False)
    assert response.status_code == 302
    assert CommuneClass.objects.filter(class_code="3", legal_basis=QD113).count() == 2
    assert set(AuditEvent.objects.filter(action="class.set").values_list("origin", flat=True)) == {
        "file"
    }


def test_a_bad_upload_lists_every_error_and_writes_nothing(office):
    response = upload(office, "name,class\nMuong Kim,3\nKhông Có,3\nKhoen On,7\n", dry_run=False)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Tệp có 2 lỗi: không ghi gì." in html
    assert "Dòng 3, cột name: không có xã tên «Không Có» trong số các xã của Tỉnh Lai Châu" in html
    assert "Dòng 4, cột class: «7» không phải nhóm" in html
    assert not CommuneClass.objects.exists()


def test_an_upload_names_only_communes_of_the_pages_province(office):
    response = upload(office, "unit_code,class\n03409,3\n", dry_run=True)
    assert response.status_code == 400
    assert "không có xã mã 03409 trong số các xã của Tỉnh Lai Châu" in response.content.decode()


@pytest.mark.parametrize(
    "content",
    [b"name,class\n\x00\x00\x00", b"PK\x03\x04garbage", b"\x89PNG\r\n\x1a\n" + bytes(range(256))],
)
def test_unreadable_uploads_get_a_message_not_a_server_error(office, content):
    data = {
        "action": "upload",
        "file": SimpleUploadedFile("x.csv", content),
        "legal_basis": QD113,
    }
    response = office.post(page_url(province()), data)
    assert response.status_code == 400
    assert 'id="import-problems"' in response.content.decode()


def test_the_page_reads_a_fixed_number_of_queries(office, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert office.get(page_url(province())).status_code == 200


def test_the_page_in_english(office):
    office.post("/i18n/setlang/", {"language": "en", "next": "/"})
    try:
        html = office.get(page_url(province())).content.decode()
    finally:
        translation.deactivate()
    assert office.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Commune groups: Tỉnh Lai Châu" in html
    assert "Import a list from a file" in html


def test_an_upload_without_a_file_or_basis_is_a_form_error(office):
    response = office.post(page_url(province()), {"action": "upload", "legal_basis": ""})
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert not CommuneClass.objects.exists()
