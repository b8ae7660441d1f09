"""The audit page reads as Vietnamese: names for codes, one line per changed field, no JSON."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ntm.accounts.models import Membership
from ntm.accounts.services import user_update
from ntm.units.models import Unit
from ntm.workflow.models import Dossier
from ntm.workflow.services import dossier_advance

pytestmark = pytest.mark.django_db

RAW = (
    "huyen_tham_tra",
    "lay_y_kien",
    "tu_danh_gia",
    "in_review",
    "is_active",
    "qd1980",
    '{"',
    "True",
)


def unit(level: str, code: str) -> Unit:
    return Unit.objects.get(level=level, code=code, valid_from__isnull=True)


def events_table(html: str) -> str:
    return html.split('id="events"')[1].split("</table>")[0]


def changes_column(html: str) -> str:
    table = events_table(html)
    return " ".join(re.findall(r'class="change">(.*?)</td>', table, flags=re.S))


@pytest.fixture
def people(commune, make_client) -> dict[str, Client]:
    return {
        "xa": make_client("xa_santhang", "commune", commune),
        "huyen": make_client("huyen_tplc", "district", unit("district", "105")),
        "tinh": make_client("vp_tinh", "province", unit("province", "12")),
        "admin": make_client("quan_tri", "admin", None),
    }


def test_a_dossier_advance_shows_the_stage_names_and_no_codes(people, commune):
    xa = people["xa"]
    assert xa.post(f"/xa/{commune.id}/2018/ho-so/mo/", {"xac_nhan": "1"}).status_code == 302
    dossier = Dossier.objects.get(unit=commune, year=2018)
    dossier_advance(actor=xa.user, dossier=dossier)
    dossier_advance(actor=xa.user, dossier=dossier, reason="Đã lấy ý kiến")
    html = people["tinh"].get("/nhat-ky/?hanh_dong=dossier.").content.decode()
    column = changes_column(html)
    assert "Bước:</b> Lấy ý kiến nhân dân → Huyện thẩm tra" in column
    assert "Lý do:</b> Đã lấy ý kiến" in column
    assert "Trạng thái:</b> Đang lập → Đang xét" in column
    assert [raw for raw in RAW if raw in events_table(html)] == []


def test_a_value_change_shows_the_indicator_and_numbers_the_vietnamese_way(people, commune):
    xa = people["xa"]
    xa.post(f"/xa/{commune.id}/2018/nhap/", {"val-10": "32.000"})
    xa.post(
        f"/xa/{commune.id}/2018/nhap/", {"val-10": "45678,5", "orig-10": "32.000", "ver-10": "1"}
    )
    column = changes_column(people["tinh"].get("/nhat-ky/").content.decode())
    assert "Chỉ tiêu:</b> 10" in column
    assert "Giá trị:</b> 32.000 triệu đồng/người/năm → 45.678,5 triệu đồng/người/năm" in column
    assert "45678.5" not in column


def test_a_user_change_names_the_role_and_omits_what_did_not_change(people, commune):
    admin, xa = people["admin"], people["xa"]
    user_update(
        actor=admin.user, user=xa.user, role="department", unit=unit("province", "12"), criteria="2"
    )
    assert Membership.objects.get(user=xa.user).role == "department"
    html = admin.get("/nhat-ky/?hanh_dong=user.update").content.decode()
    column = changes_column(html)
    assert "Vai trò:</b> Ban quản lý xã → Sở, ngành phụ trách tiêu chí" in column
    assert "QĐ 1980/QĐ-TTg: 2" in column and "qd1980-2016" not in column
    assert "Đơn vị:</b> Xã San Thàng → " in column
    assert "Tên đăng nhập:</b> xa_santhang" in column
    assert "Thư điện tử" not in column and "Đang hoạt động" not in column
    assert [raw for raw in RAW if raw in events_table(html)] == []
