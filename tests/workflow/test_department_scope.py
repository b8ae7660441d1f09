"""A department reads and acts on the criteria it owns, never on the whole dossier."""

from __future__ import annotations

import pytest

from ntm.accounts import access
from ntm.workflow.models import CriterionAppraisal
from tests.workflow.conftest import ALL_19
from tests.workflow.test_access_workflow import dossier
from tests.workflow.test_dossier_flow import NOT_2, to_department_stage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "stage_role", "allowed"),
    [
        ("xa", "commune", True),
        ("xa_khac", "commune", False),
        ("huyen", "district", True),
        ("so_gt", "department", False),  # appraises its criteria, returns nothing
        ("so_gt", "province", False),
        ("tinh", "department", True),  # the office decides at the appraisal stage
        ("tinh", "province", True),
        ("tinh", "commune", False),
        ("lanh_dao", "department", False),
        ("tinh", "", False),
    ],
)
def test_can_return(request, who, stage_role, allowed):
    user = request.getfixturevalue(who).user
    assert access.can_return(user, dossier(stage_role)) is allowed


def test_a_department_cannot_return_the_dossier_and_the_other_appraisals_survive(
    xa, huyen, so_gt, so_con_lai, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    to_department_stage(flow, xa, huyen)
    flow.appraise(so_con_lai, NOT_2)
    flow.appraise(so_gt, ["2"], verdict="khong_dat", note="Đường trục xã mới cứng hóa 60%")
    assert "tra-lai" not in so_gt.get(f"/ho-so/{flow.id}/").content.decode()

    flow.back(so_gt, "tu_danh_gia", reason="Tiêu chí 2 không đạt", expect=403)

    assert flow.dossier.current_stage == "so_nganh_tham_dinh"
    current = CriterionAppraisal.objects.filter(dossier_id=flow.id, superseded=False)
    assert sorted(current.filter(verdict="dat").values_list("criterion", flat=True)) == sorted(
        NOT_2
    )
    assert current.get(criterion="2").verdict == "khong_dat"


def test_the_province_office_returns_a_dossier_a_department_found_not_met(
    xa, huyen, so_gt, so_con_lai, tinh, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    to_department_stage(flow, xa, huyen)
    flow.appraise(so_con_lai, NOT_2)
    flow.appraise(so_gt, ["2"], verdict="khong_dat", note="Đường trục xã mới cứng hóa 60%")
    page = tinh.get(f"/ho-so/{flow.id}/").content.decode()
    assert f"/ho-so/{flow.id}/tra-lai/" in page and "Đường trục xã mới cứng hóa 60%" in page
    todo = tinh.get("/viec-can-lam/").content.decode()
    assert "Tiêu chí 2 được thẩm định không đạt: xem xét trả lại hồ sơ" in todo

    flow.back(tinh, "tu_danh_gia", reason="Tiêu chí 2: cứng hóa đường trục xã chưa đủ")

    assert flow.dossier.current_stage == "tu_danh_gia"
    assert flow.dossier.status == "returned"
    assert f"/ho-so/{flow.id}/" not in tinh.get("/viec-can-lam/").content.decode()


def test_the_dossier_page_shows_a_department_only_the_criteria_it_owns(
    xa, so_gt, tinh, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    html = so_gt.get(f"/ho-so/{flow.id}/").content.decode()
    assert 'id="criterion-2"' in html
    assert [c for c in ALL_19 if f'id="criterion-{c}"' in html] == ["2"]
    assert "Kết quả đánh giá từ số liệu" not in html
    everything = tinh.get(f"/ho-so/{flow.id}/").content.decode()
    assert all(f'id="criterion-{c}"' in everything for c in ALL_19)


def test_the_commune_page_hides_the_overall_verdict_from_a_department(so_gt, tinh, commune):
    url = f"/xa/{commune.id}/2018/"
    department_page = so_gt.get(url)
    assert department_page.status_code == 200
    assert 'class="cards"' not in department_page.content.decode()
    assert "Tiêu chí 2." in department_page.content.decode()
    assert 'class="cards"' in tinh.get(url).content.decode()
