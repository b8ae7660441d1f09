"""The public pages (/cong-khai/): no login, read-only, and only what is public: recognitions
decided in the workflow, the map of recognised communes, community contributions."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from ntm.finance.models import Contribution
from ntm.indicators.models import Evaluation, IndicatorValue, ValueComment
from ntm.units.models import Unit
from ntm.units.selectors import communes_in_year
from ntm.workflow.models import Decision, Dossier, Status

pytestmark = pytest.mark.django_db

SIGNER = "Nguyễn Văn Ký Tên"
SECRET_NOTE = "ghi chú nội bộ không công khai"


def province(new: bool = False) -> Unit:
    return Unit.objects.get(level="province", code="12", valid_from__isnull=not new)


def commune(code: str) -> Unit:
    return Unit.objects.get(level="commune", code=code, valid_from__isnull=True)


def dossier(code: str, year: int, status: str, **decisions: tuple[str, dt.date]) -> Dossier:
    made = Dossier.objects.create(
        unit=commune(code),
        year=year,
        criteria_set="qd1980-2016",
        stages=["quyet_dinh", "cong_bo"],
        current_stage="cong_bo",
        status=status,
    )
    for kind, (number, day) in decisions.items():
        Decision.objects.create(dossier=made, kind=kind, number=number, date=day, signer=SIGNER)
    return made


@pytest.fixture
def decided(demo):
    """San Thàng recognised for 2017; Dào San for 2018, revoked in 2019; Sùng Phài (03403)
    in review and Tả Lèng in draft, both with no decision."""
    dossier("03409", 2017, Status.RECOGNISED, recognition=("123/QĐ-UBND", dt.date(2017, 12, 20)))
    dossier(
        "03571",
        2018,
        Status.REVOKED,
        recognition=("45/QĐ-UBND", dt.date(2018, 12, 28)),
        revocation=("9/QĐ-UBND", dt.date(2019, 6, 3)),
    )
    dossier("03403", 2018, Status.IN_REVIEW)
    dossier("03400", 2018, Status.DRAFT)


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def map_data(html: str) -> dict:
    block = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html)
    assert block is not None
    return json.loads(block.group(1))


def shown(html: str) -> dict[str, str]:
    names = dict(Unit.objects.filter(level="commune").values_list("pk", "code"))
    return {names[c["id"]]: c["shown"]["cong-nhan"] for c in map_data(html)["communes"]}


def test_anonymous_visitors_read_the_public_pages(client, demo):
    index = get(client, "/cong-khai/")
    assert "Tỉnh Lai Châu" in index
    url = re.search(r'href="(/cong-khai/\d+/\d{4}/)"', index)
    assert url is not None
    assert "Kết quả xây dựng nông thôn mới — Tỉnh Lai Châu" in get(client, url.group(1))


def test_the_public_pages_answer_only_get(client, demo):
    assert client.post("/cong-khai/").status_code == 405
    assert client.post(f"/cong-khai/{province().pk}/2018/").status_code == 405


def test_the_login_page_links_to_the_public_page(client, demo):
    assert 'href="/cong-khai/"' in get(client, "/dang-nhap/")


def test_the_demo_has_no_recognition_and_says_so(client, demo):
    html = get(client, f"/cong-khai/{province().pk}/2018/")
    assert "Chưa có quyết định công nhận xã đạt chuẩn" in html
    # 29 communes meet the standard by the entered values in 2018: not public, not shown
    assert Evaluation.objects.filter(year=2018, meets_standard=True).count() >= 29
    assert set(shown(html).values()) == {"chua"}


def test_communes_recognised_by_decision_are_listed_by_year(client, decided):
    html = get(client, f"/cong-khai/{province().pk}/2018/")
    table = re.search(r'<table data-table="cong-nhan">(.*?)</table>', html, re.S)
    assert table is not None
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    assert len(rows) == 3  # header, 2017, 2018
    assert "Xã San Thàng" in rows[1] and "123/QĐ-UBND" in rows[1] and "20/12/2017" in rows[1]
    assert "Xã Dào San" in rows[2] and "thu hồi theo QĐ 9/QĐ-UBND ngày 03/06/2019" in rows[2]
    assert "Xã Sùng Phài" not in table.group(1) and "Xã Tả Lèng" not in table.group(1)


def test_the_map_shows_communes_recognised_at_the_end_of_the_year(client, decided):
    url = f"/cong-khai/{province().pk}/%s/"
    in_2018 = shown(get(client, url % 2018))
    assert {code for code, c in in_2018.items() if c == "co"} == {"03409", "03571"}
    in_2019 = shown(get(client, url % 2019))
    assert {code for code, c in in_2019.items() if c == "co"} == {"03409"}  # Dào San revoked
    in_2016 = shown(get(client, url % 2016))
    assert "co" not in in_2016.values()


def test_the_public_map_does_not_link_to_pages_that_need_a_login(client, decided):
    html = get(client, f"/cong-khai/{province().pk}/2018/")
    assert all(c["url"] == "" for c in map_data(html)["communes"])
    assert "/xa/" not in html and "/don-vi/" not in html


def test_the_2026_public_map_has_the_communes_of_2026(client, demo):
    response = client.get(f"/cong-khai/{province().pk}/2026/", follow=True)
    assert response.redirect_chain[-1][0] == f"/cong-khai/{province(new=True).pk}/2026/"
    ids = {c["id"] for c in map_data(response.content.decode())["communes"]}
    assert ids == set(
        communes_in_year(unit=province(new=True), year=2026).values_list("pk", flat=True)
    )


def test_nothing_private_reaches_the_public_page(client, decided):
    author = get_user_model().objects.get(username="xa.santhang")
    Contribution.objects.create(
        unit=commune("03409"),
        date_from=dt.date(2018, 1, 1),
        date_to=dt.date(2018, 12, 31),
        land_m2=Decimal("1250"),
        cash_million_vnd=Decimal("35.5"),
        note=SECRET_NOTE,
        figure_source="sổ theo dõi của cán bộ Lò Văn Riêng",
        author=author,
    )
    ValueComment.objects.create(
        unit=commune("03409"), year=2018, criteria_set="qd1980-2016", indicator="2.1",
        author=author, author_name="Lò Thị Góp Ý", text="nhận xét nội bộ về số liệu",
    )  # fmt: skip
    value = IndicatorValue.objects.filter(unit=commune("03409"), year=2018).first()
    html = get(client, f"/cong-khai/{province().pk}/2018/")
    assert "Xã San Thàng" in html and "1.250" in html and "35,5" in html
    for private in (SECRET_NOTE, "Lò Văn Riêng", "Lò Thị Góp Ý", "nhận xét nội bộ", SIGNER):
        assert private not in html
    assert author.username not in html
    assert "minh-chung" not in html and "minh chứng" not in html.lower()
    assert value is not None and "Tiêu chí đạt" not in html and "Kết luận" not in html


def test_the_province_contribution_of_the_demo_report_is_shown_from_the_year_its_period_ends(
    client, demo
):
    html = get(client, f"/cong-khai/{province().pk}/2019/")
    table = re.search(r'<table data-table="dong-gop">(.*?)</table>', html, re.S)
    assert table is not None
    assert "cả tỉnh, không chia theo xã" in table.group(1)
    assert "2.142.589" in table.group(1)  # land given, m², 01/2010-09/2019
    assert "2.142.589" not in get(client, f"/cong-khai/{province().pk}/2018/")


@pytest.mark.parametrize("path", ["/cong-khai/999999/2018/", "/cong-khai/{district}/2018/",
                                  "/cong-khai/{province}/1999/", "/cong-khai/{commune}/2018/"])  # fmt: skip
def test_anything_but_a_province_of_a_programme_year_is_not_found(client, demo, path):
    district = Unit.objects.get(level="district", code="105")
    url = path.format(district=district.pk, province=province().pk, commune=commune("03409").pk)
    assert client.get(url).status_code == 404


def test_the_public_page_reads_a_bounded_number_of_queries(
    client, decided, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):
        get(client, f"/cong-khai/{province().pk}/2018/")
    with django_assert_max_num_queries(10):
        get(client, "/cong-khai/")
