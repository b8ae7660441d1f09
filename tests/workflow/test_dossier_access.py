"""Who may see and act on a dossier: 404 outside one's units, 403 for the wrong role."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from ntm.indicators.services import values_set
from ntm.workflow.models import CriterionAppraisal
from ntm.workflow.services import dossier_advance
from tests.workflow.conftest import unit

pytestmark = pytest.mark.django_db


def test_a_commune_cannot_see_or_touch_another_communes_dossier(xa, xa_khac, commune, open_dossier):
    flow = open_dossier(xa, commune, 2018)
    assert xa_khac.get(f"/ho-so/{flow.id}/").status_code == 404
    flow.advance(xa_khac, expect=404)
    assert xa_khac.get(f"/don-vi/{commune.id}/ho-so/").status_code == 404
    assert xa_khac.post(f"/xa/{commune.id}/2019/ho-so/mo/").status_code == 404
    assert flow.dossier.current_stage == "tu_danh_gia"


def test_a_district_outside_the_communes_district_gets_404_and_the_service_refuses(
    xa, huyen_khac, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    flow.advance(xa)
    flow.advance(xa)
    flow.advance(huyen_khac, expect=404)
    with pytest.raises(PermissionDenied):
        dossier_advance(actor=huyen_khac.user, dossier=flow.dossier)
    assert flow.dossier.current_stage == "huyen_tham_tra"


def test_the_wrong_role_for_the_stage_gets_403(
    xa, huyen, tinh, so_gt, lanh_dao, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    for client in (huyen, tinh, so_gt, lanh_dao):
        flow.advance(client, expect=403)
    flow.advance(xa)
    flow.advance(xa)
    flow.advance(xa, expect=403)  # the district's stage now
    flow.back(xa, "tu_danh_gia", reason="rút lại", expect=403)
    flow.recognise(tinh, expect=403)  # not the province's stage yet
    assert flow.dossier.current_stage == "huyen_tham_tra"


def test_only_a_commune_board_opens_a_dossier(huyen, tinh, commune):
    assert huyen.post(f"/xa/{commune.id}/2018/ho-so/mo/").status_code == 403
    assert tinh.post(f"/xa/{commune.id}/2018/ho-so/mo/").status_code == 403


def test_a_department_appraises_only_its_own_criteria(xa, huyen, so_gt, commune, open_dossier):
    flow = open_dossier(xa, commune, 2018)
    flow.advance(xa)
    flow.advance(xa)
    flow.advance(huyen)
    flow.post(so_gt, "tham-dinh", 403, criterion="3", verdict="dat")
    flow.post(huyen, "tham-dinh", 403, criterion="2", verdict="dat")
    flow.post(so_gt, "tham-dinh", 302, criterion="2", verdict="dat")
    assert list(CriterionAppraisal.objects.values_list("criterion", flat=True)) == ["2"]
    html = so_gt.get(f"/ho-so/{flow.id}/").content.decode()
    assert 'aria-label="Kết quả tiêu chí 2"' in html
    assert 'aria-label="Kết quả tiêu chí 3"' not in html


def test_a_department_appraises_only_at_the_appraisal_stage(xa, so_gt, commune, open_dossier):
    flow = open_dossier(xa, commune, 2018)
    response = flow.post(so_gt, "tham-dinh", 400, criterion="2", verdict="dat")
    assert "không ở bước thẩm định tiêu chí" in response.content.decode()


def test_a_leader_reads_the_dossier_without_any_action(xa, lanh_dao, commune, open_dossier):
    flow = open_dossier(xa, commune, 2018)
    response = lanh_dao.get(f"/ho-so/{flow.id}/")
    assert response.status_code == 200
    assert '<form method="post" action="/ho-so/' not in response.content.decode()


def test_the_page_offers_only_the_actions_of_the_user(xa, huyen, commune, open_dossier):
    flow = open_dossier(xa, commune, 2018)
    html = xa.get(f"/ho-so/{flow.id}/").content.decode()
    assert f'action="/ho-so/{flow.id}/chuyen-buoc/"' in html
    assert f'action="/ho-so/{flow.id}/tra-lai/"' not in html  # nothing earlier to return to
    assert (
        f'action="/ho-so/{flow.id}/chuyen-buoc/"'
        not in huyen.get(f"/ho-so/{flow.id}/").content.decode()
    )
    flow.advance(xa)
    flow.advance(xa)
    html = huyen.get(f"/ho-so/{flow.id}/").content.decode()
    assert f'action="/ho-so/{flow.id}/tra-lai/"' in html and "Trình tỉnh thẩm định" in html


def test_pages_need_a_login(client, xa, commune, open_dossier):
    flow = open_dossier(xa, commune, 2018)
    for path in (f"/ho-so/{flow.id}/", "/viec-can-lam/", f"/don-vi/{commune.id}/ho-so/"):
        response = client.get(path)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_unit_lists_the_dossiers_of_its_communes(
    xa, xa_khac, huyen, huyen_khac, commune, open_dossier
):
    own = open_dossier(xa, commune, 2018)
    other = open_dossier(xa_khac, unit("commune", "03403"), 2018)
    district = unit("district", "105")
    html = huyen.get(f"/don-vi/{district.id}/ho-so/").content.decode()
    assert f"/ho-so/{own.id}/" in html and f"/ho-so/{other.id}/" in html
    html = xa.get(f"/don-vi/{commune.id}/ho-so/").content.decode()
    assert f"/ho-so/{own.id}/" in html and f"/ho-so/{other.id}/" not in html
    assert huyen_khac.get(f"/don-vi/{district.id}/ho-so/").status_code == 404


def test_the_commune_offers_to_open_years_with_figures_and_no_live_dossier(
    xa, commune, open_dossier
):
    values_set(unit=commune, year=2018, values={"14.2": 70.0})
    values_set(unit=commune, year=2017, values={"14.2": 70.0})
    open_dossier(xa, commune, 2017)
    html = xa.get(f"/don-vi/{commune.id}/ho-so/").content.decode()
    assert f'action="/xa/{commune.id}/2018/ho-so/mo/"' in html
    assert f'action="/xa/{commune.id}/2017/ho-so/mo/"' not in html
    assert "/2026/ho-so/mo/" not in html  # San Thàng was merged away in 2025
