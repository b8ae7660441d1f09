"""Who may open, check and save the form: 404 outside the scope, 403 when only visible."""

import pytest

from ntm.indicators.models import Evaluation, IndicatorValue
from tests.entry.conftest import YEAR, cell_url, check_url, form_url

pytestmark = pytest.mark.django_db


def test_the_form_needs_a_login(client, commune):
    response = client.get(form_url(commune))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_board_of_another_commune_gets_404_everywhere(client, commune, binh_lu_board):
    client.force_login(binh_lu_board)
    assert client.get(form_url(commune)).status_code == 404
    assert client.post(form_url(commune), {"val-14.2": "80"}).status_code == 404
    assert client.post(check_url(commune), {"val-14.2": "80"}).status_code == 404
    assert client.get(cell_url(commune, "14.2")).status_code == 404
    assert not IndicatorValue.objects.exists()


def test_a_user_without_a_role_gets_404(client, commune, office_user):
    client.force_login(office_user)
    assert client.get(form_url(commune)).status_code == 404


def test_a_leader_sees_the_commune_but_may_not_enter_figures(client, commune, leader):
    client.force_login(leader)
    assert client.get(form_url(commune)).status_code == 403
    assert client.post(form_url(commune), {"val-14.2": "80"}).status_code == 403
    assert client.post(check_url(commune), {"val-14.2": "80"}).status_code == 403
    assert client.get(cell_url(commune, "14.2")).status_code == 200
    assert not IndicatorValue.objects.exists()


def test_a_department_sees_only_its_criteria(client, commune, education_department):
    client.force_login(education_department)
    html = client.get(form_url(commune)).content.decode()
    assert 'name="val-14.2"' in html
    assert "Tiêu chí 14." in html
    assert "Tiêu chí 1." not in html and 'name="val-1.1"' not in html
    assert "Đã lưu:" not in html  # the commune's overall result spans criteria it does not own


def test_a_department_saves_its_own_indicator(client, commune, education_department):
    client.force_login(education_department)
    assert client.post(form_url(commune), {"val-14.2": "80"}).status_code == 302
    assert IndicatorValue.objects.get(indicator="14.2").author == education_department


def test_a_department_posting_another_criterion_is_refused_whole(
    client, commune, education_department
):
    client.force_login(education_department)
    response = client.post(form_url(commune), {"val-14.2": "80", "val-1.1": "1"})
    assert response.status_code == 403
    assert not IndicatorValue.objects.exists()
    assert not Evaluation.objects.exists()
    assert client.post(check_url(commune), {"val-1.1": "1"}).status_code == 403


def test_a_department_cannot_open_another_criterions_cell(client, commune, education_department):
    client.force_login(education_department)
    assert client.get(cell_url(commune, "1.1")).status_code == 404
    assert client.get(cell_url(commune, "14.2")).status_code == 200


def test_an_unknown_indicator_is_refused(board, commune):
    assert board.post(form_url(commune), {"val-99.9": "1"}).status_code == 404
    assert not IndicatorValue.objects.exists()


def test_a_year_the_commune_did_not_exist_is_not_found(board, commune):
    assert board.get(f"/xa/{commune.id}/1990/nhap/").status_code == 404


def test_a_commune_without_a_group_under_the_2026_set_gets_a_message(
    client, laichau, django_user_model
):
    from ntm.accounts.models import Membership, Role
    from ntm.units.models import Unit

    merged = Unit.objects.filter(level="commune", valid_from__isnull=False, code="03595").first()
    user = django_user_model.objects.create_user(username="bql.moi", password="x")
    Membership.objects.create(user=user, role=Role.COMMUNE, unit=merged)
    client.force_login(user)
    html = client.get(f"/xa/{merged.id}/2026/nhap/").content.decode()
    assert "chưa được xác định nhóm" in html


def test_the_saved_year_is_named_in_the_message(board, commune):
    page = board.post(form_url(commune), {"val-14.2": "80"}, follow=True).content.decode()
    assert f"năm {YEAR}" in page
