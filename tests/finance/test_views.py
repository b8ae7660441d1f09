from decimal import Decimal

from ntm.audit.models import AuditEvent
from ntm.finance.models import CapitalEntry, Contribution


def test_the_capital_page_shows_the_unclassified_remainder(as_user, province):
    page = as_user("vanphong.laichau").get(f"/nguon-luc/{province.pk}/von/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-source="unclassified"' in html
    assert "Chưa phân loại" in html
    assert "27.221.274" in html
    assert "28.991.124" in html


def test_the_contributions_page_shows_the_reports_totals(as_user, province):
    html = as_user("vanphong.laichau").get(f"/nguon-luc/{province.pk}/dong-gop/").content.decode()
    for figure in ("2.142.589", "991.588", "502.108", "61.923"):
        assert figure in html


def test_a_commune_board_cannot_see_the_province(as_user, province):
    client = as_user("xa.santhang")
    assert client.get(f"/nguon-luc/{province.pk}/von/").status_code == 404
    assert client.get(f"/nguon-luc/{province.pk}/von/nhap/").status_code == 404


def test_a_department_may_read_but_not_enter(as_user, province):
    client = as_user("so.giaothong")
    assert client.get(f"/nguon-luc/{province.pk}/von/").status_code == 200
    assert client.get(f"/nguon-luc/{province.pk}/von/nhap/").status_code == 403


def test_a_commune_board_enters_its_communes_capital_audited(as_user, commune):
    client = as_user("xa.santhang")
    response = client.post(
        f"/nguon-luc/{commune.pk}/von/nhap/",
        {
            "source": _source_id("local_dev"),
            "stage": "allocated",
            "year_from": "2021",
            "amount": "1.234,5",
        },
    )
    assert response.status_code == 302
    entry = CapitalEntry.objects.get(unit=commune, year_from=2021)
    assert entry.amount == Decimal("1234.5")
    event = AuditEvent.objects.get(action="capital.set", object_id=str(entry.pk))
    assert event.actor.username == "xa.santhang"


def test_the_province_office_enters_a_contribution(as_user, province):
    response = as_user("vanphong.laichau").post(
        f"/nguon-luc/{province.pk}/dong-gop/nhap/",
        {"month_from": "01/2020", "month_to": "12/2020", "labour_days": "1.000"},
    )
    assert response.status_code == 302
    row = Contribution.objects.get(unit=province, date_from__year=2020)
    assert row.labour_days == Decimal(1000)
    assert AuditEvent.objects.filter(action="contribution.set", object_id=str(row.pk)).exists()


def test_a_contribution_without_any_figure_is_refused(as_user, province):
    response = as_user("vanphong.laichau").post(
        f"/nguon-luc/{province.pk}/dong-gop/nhap/", {"month_from": "01/2020", "month_to": "12/2020"}
    )
    assert response.status_code == 200
    assert "Cần ít nhất một" in response.content.decode()


def _source_id(code):
    from ntm.finance.models import CapitalSource

    return CapitalSource.objects.get(code=code).pk
