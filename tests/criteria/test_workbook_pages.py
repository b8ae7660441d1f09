"""The province office's upload page (preview, then commit) and the workbook downloads."""

import pytest
from django.contrib.auth import get_user_model

from ntm.accounts import access
from ntm.accounts.models import Membership, Role
from ntm.audit.models import AuditEvent
from ntm.criteria.models import ProvincialSpec
from ntm.units.models import Unit
from tests.criteria.test_workbook_spec import spec_book
from tests.criteria.workbook_files import to_bytes

pytestmark = pytest.mark.django_db

IMPORT = "/bo-tieu-chi/nhap/"


def member(role: str, unit: Unit | None, name: str = ""):
    user = get_user_model().objects.create_user(username=name or f"u.{role}", password="x-12345678")
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def laichau_office(laichau):
    return member(
        Role.PROVINCE, Unit.objects.get(level="province", code="12", valid_from__isnull=True)
    )


@pytest.fixture
def other_office(laichau):
    dien_bien = Unit.objects.create(code="11", name="Tỉnh Điện Biên", kind="tinh", level="province")
    return member(Role.PROVINCE, dien_bien, "u.dienbien")


def upload(client, content: bytes, name: str = "lc.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMIN, True),
        (Role.PROVINCE, True),
        (Role.DISTRICT, False),
        (Role.COMMUNE, False),
        (Role.DEPARTMENT, False),
        (Role.LEADER, False),
    ],
)
def test_only_the_province_office_and_the_administrator_manage_criteria(laichau, role, allowed):
    unit = None if role == Role.ADMIN else Unit.objects.filter(level="province").first()
    assert access.can_manage_criteria(member(role, unit)) is allowed


def test_no_membership_or_anonymous_cannot_manage_criteria(db, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not access.can_manage_criteria(AnonymousUser())
    assert not access.can_manage_criteria(django_user_model.objects.create_user("x", password="y"))


def test_the_upload_page_needs_a_login_and_the_right_role(client, laichau):
    assert client.get(IMPORT).status_code == 302
    client.force_login(member(Role.COMMUNE, Unit.objects.filter(level="commune").first()))
    assert client.get(IMPORT).status_code == 403


def test_the_preview_lists_the_cells_and_writes_nothing(client, laichau_office):
    client.force_login(laichau_office)
    response = upload(client, to_bytes(spec_book()))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Quy định lc-1285-2023 của Tỉnh Lai Châu" in page and "≥ 70" in page
    assert 'name="commit"' in page
    assert not ProvincialSpec.objects.exists()


def test_the_commit_saves_exactly_the_previewed_file(client, laichau_office):
    client.force_login(laichau_office)
    sha = upload(client, to_bytes(spec_book())).context["plan"].sha256
    response = client.post(IMPORT, {"commit": "1", "sha256": sha})
    assert response.status_code == 302
    assert ProvincialSpec.objects.get().thresholds.count() == 5
    event = AuditEvent.objects.get(action="spec.save")
    assert event.origin == "file" and event.actor == laichau_office and sha in event.origin_detail


def test_a_commit_without_its_preview_writes_nothing(client, laichau_office):
    client.force_login(laichau_office)
    upload(client, to_bytes(spec_book()))
    response = client.post(IMPORT, {"commit": "1", "sha256": "0" * 64}, follow=True)
    assert "hãy tải lên lại" in response.content.decode()
    assert not ProvincialSpec.objects.exists()


def test_another_province_cannot_import_lai_chaus_specification(client, other_office):
    client.force_login(other_office)
    page = upload(client, to_bytes(spec_book())).content.decode()
    assert "tài khoản không được nhập quy định cho Tỉnh Lai Châu" in page
    assert 'name="commit"' not in page


def test_a_refused_file_shows_every_problem_with_its_place(client, laichau_office):
    client.force_login(laichau_office)
    page = upload(client, b"not a workbook").content.decode()
    assert "Tệp bị từ chối, chưa ghi gì" in page and "không phải tệp Excel" in page


def test_every_set_downloads_as_a_workbook(client, laichau_office):
    client.force_login(laichau_office)
    response = client.get("/bo-tieu-chi/qd318-2022/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="qd318-2022.xlsx"' in response["Content-Disposition"]
    assert client.get("/bo-tieu-chi/qd999/xlsx/").status_code == 404


def test_a_specification_downloads_only_for_those_who_see_its_province(
    client, laichau_office, other_office
):
    client.force_login(laichau_office)
    upload(client, to_bytes(spec_book()))
    client.post(IMPORT, {"commit": "1", "sha256": client.session["criteria_workbook"]["sha256"]})
    assert client.get("/bo-tieu-chi/lc-1285-2023/xlsx/").status_code == 200
    client.force_login(other_office)
    assert client.get("/bo-tieu-chi/lc-1285-2023/xlsx/").status_code == 404


def test_the_criteria_pages_link_to_the_workbooks(client, laichau_office):
    client.force_login(laichau_office)
    assert "/bo-tieu-chi/qd51-2025/xlsx/" in client.get("/bo-tieu-chi/").content.decode()
    page = client.get("/bo-tieu-chi/qd318-2022/").content.decode()
    assert "/bo-tieu-chi/qd318-2022/xlsx/" in page


def test_the_upload_page_lists_specifications_in_constant_queries(
    client, laichau_office, django_assert_max_num_queries
):
    from ntm.core.specs import ProvincialSpec as SpecData
    from ntm.criteria.services import spec_save

    for n in range(5):
        spec_save(data=SpecData(f"lc-{n}", "12", "qd318-2022", "QĐ thử", (), 2022))
    client.force_login(laichau_office)
    client.get(IMPORT)
    # 7: one more than before for every page, the pending re-evaluation for the banner
    # (web.context.reevaluation_notice)
    with django_assert_max_num_queries(7):
        page = client.get(IMPORT).content.decode()
    assert "/bo-tieu-chi/lc-4/xlsx/" in page
