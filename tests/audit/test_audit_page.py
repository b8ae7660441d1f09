"""The audit page: who may browse it, what a province sees, filters, paging, queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from ntm.audit.models import AuditEvent
from ntm.audit.services import audit_record
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db


def unit(level: str, code: str, *, new: bool = False) -> Unit:
    return Unit.objects.get(level=level, code=code, valid_from__isnull=not new)


def event(actor, where: Unit | None, action: str = "value.set", **extra) -> AuditEvent:
    return audit_record(
        actor=actor,
        action=action,
        object_type="indicator_value",
        object_id=f"{where.id if where else 0}:2018:qd1980-2016:2.1",
        unit=where,
        year=2018,
        before={"indicator": "2.1", "value": 0.0},  # 2.1 (roads) is judged đạt / không đạt
        after={"indicator": "2.1", "value": 1.0},
        origin_detail=extra.pop("origin_detail", "/xa/1/2018/nhap-lieu/"),
        **extra,
    )


def listed(client, query: str = "") -> list[str]:
    response = client.get(f"/nhat-ky/{query}")
    assert response.status_code == 200, response.content.decode()[:2000]
    table = response.content.decode().split('id="events"')[1].split("</table>")[0]
    return re.findall(r'<tr class="event"><td[^>]*>[^<]*</td><td[^>]*>([^<]*)</td>', table)


@pytest.fixture
def admin(laichau, make_client):
    return make_client("quan_tri", "admin", None)


@pytest.fixture
def tinh(laichau, make_client):
    return make_client("vp_tinh", "province", unit("province", "12"))


@pytest.fixture
def xa(laichau, make_client):
    return make_client("xa_santhang", "commune", unit("commune", "03409"))


@pytest.mark.parametrize(
    ("role", "code", "level"),
    [
        ("commune", "03409", "commune"),
        ("district", "105", "district"),
        ("leader", "12", "province"),
    ],
)
def test_the_audit_page_refuses_roles_other_than_admin_and_province(
    laichau, make_client, role, code, level
):
    client = make_client(f"u_{role}", role, unit(level, code))
    assert client.get("/nhat-ky/").status_code == 403


def test_the_audit_page_needs_a_login(client):
    response = client.get("/nhat-ky/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_province_sees_only_events_of_its_units(tinh, admin, xa):
    """Its units in every period: a province keeps its code across 1/7/2025."""
    dien_bien = Unit.objects.create(code="11", name="Tỉnh Điện Biên", kind="tinh", level="province")
    event(xa.user, unit("commune", "03409"))
    event(admin.user, unit("commune", "03595", new=True))  # the 2025 province's commune
    event(admin.user, dien_bien)
    event(admin.user, None, action="user.create")
    assert sorted(listed(tinh)) == ["quan_tri", "xa_santhang"]
    assert sorted(listed(admin)) == ["quan_tri", "quan_tri", "quan_tri", "xa_santhang"]


def test_the_page_shows_before_after_and_origin(tinh, xa):
    event(xa.user, unit("commune", "03409"), origin_detail="/xa/17/2018/nhap-lieu/")
    html = tinh.get("/nhat-ky/").content.decode()
    assert "Chỉ tiêu:</b> 2.1" in html and "Giá trị:</b> không đạt → đạt" in html
    assert "Trang web" in html and "/xa/17/2018/nhap-lieu/" in html
    assert "Sửa giá trị chỉ tiêu" in html and "Xã San Thàng (03409)" in html


def test_filters_by_unit_code_or_name_user_date_and_action(tinh, xa, make_client):
    other = make_client("xa_namloong", "commune", unit("commune", "03403"))
    event(xa.user, unit("commune", "03409"))
    event(other.user, unit("commune", "03403"))
    old = event(other.user, unit("commune", "03403"), action="dossier.advance")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))

    assert listed(tinh, "?don_vi=03409") == ["xa_santhang"]
    assert listed(tinh, "?don_vi=san+thang") == ["xa_santhang"]
    assert sorted(listed(tinh, "?don_vi=105")) == ["xa_namloong", "xa_namloong", "xa_santhang"]
    assert listed(tinh, "?nguoi_dung=namloong&hanh_dong=value.set") == ["xa_namloong"]
    assert listed(tinh, "?hanh_dong=dossier.") == ["xa_namloong"]
    since = (timezone.localdate() - dt.timedelta(days=7)).strftime("%d/%m/%Y")
    assert sorted(listed(tinh, f"?tu_ngay={since}")) == ["xa_namloong", "xa_santhang"]
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert listed(tinh, f"?den_ngay={until}") == ["xa_namloong"]


def test_a_bad_date_is_named_and_nothing_breaks(tinh):
    response = tinh.get("/nhat-ky/?tu_ngay=31/02/2024")
    assert response.status_code == 400
    assert "Ngày không hợp lệ" in response.content.decode()


def test_the_list_is_paginated_by_50(tinh, xa):
    where = unit("commune", "03409")
    for _ in range(60):
        event(xa.user, where)
    assert len(listed(tinh)) == 50
    html = tinh.get("/nhat-ky/?don_vi=03409").content.decode()
    assert "60 thay đổi" in html and "don_vi=03409&amp;trang=2" in html
    assert len(listed(tinh, "?don_vi=03409&trang=2")) == 10


def test_the_audit_page_runs_a_bounded_number_of_queries(
    tinh, xa, laichau, django_assert_max_num_queries
):
    communes = list(Unit.objects.filter(level="commune", valid_from__isnull=True)[:25])
    for commune in communes:
        event(xa.user, commune)
        event(xa.user, commune, action="dossier.open")
    with django_assert_max_num_queries(8):
        assert len(listed(tinh)) == 50
    with django_assert_max_num_queries(8):
        listed(tinh, "?don_vi=lai+chau&hanh_dong=dossier.")
