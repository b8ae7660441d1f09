"""Slipping alerts on the "việc cần làm" page: a recognised commune whose current data fails a
criterion, with the criterion, its values and since when, for those responsible only."""

from __future__ import annotations

import re

import pytest

from ntm.indicators.services import values_set
from ntm.units.models import Unit
from ntm.workflow import services
from ntm.workflow.alerts import slipping_alerts
from tests.workflow.test_todo import walk

pytestmark = pytest.mark.django_db

INCOME = "10"  # criterion 10 (thu nhập): one indicator, ≥ 36 triệu đồng/người/năm in 2016-2020


@pytest.fixture
def cast(xa, huyen, so_gt, so_con_lai, tinh):
    return {
        "commune": xa.user,
        "district": huyen.user,
        "so_gt": so_gt.user,
        "so_con_lai": so_con_lai.user,
        "department": so_con_lai.user,
        "province": tinh.user,
    }


def recognise(cast: dict, commune: Unit, year: int) -> None:
    dossier = services.dossier_open(actor=cast["commune"], unit=commune, year=year)
    walk(dossier, "hoan_tat", cast)


def income(commune: Unit, year: int, value: float, who) -> None:
    values_set(unit=commune, year=year, values={INCOME: value}, author=who)


def alert_rows(client) -> list[str]:
    response = client.get("/viec-can-lam/")
    assert response.status_code == 200
    page = response.content.decode()
    if 'id="alerts"' not in page:
        return []
    table = page.split('id="alerts"')[1].split("</table>")[0]
    return re.findall(r'<tr class="slipping">(.*?)</tr>', table, flags=re.S)


def test_a_recognised_commune_failing_a_criterion_is_an_alert_with_value_and_since(
    xa, cast, commune
):
    income(commune, 2017, 40, xa.user)
    recognise(cast, commune, 2017)
    income(commune, 2018, 30, xa.user)
    income(commune, 2019, 31.5, xa.user)

    [alert] = slipping_alerts(user=xa.user)
    assert (alert.unit, alert.recognised_year, alert.year, alert.since) == (
        commune,
        2017,
        2019,
        2018,
    )
    assert alert.criterion.code == INCOME
    [indicator] = alert.criterion.indicators
    assert (indicator.value, indicator.threshold, indicator.shortfall) == (31.5, 36, 4.5)

    [row] = alert_rows(xa)
    assert "Tiêu chí 10." in row
    assert "31,5 triệu đồng/người/năm" in row and "≥ 36 triệu đồng/người/năm" in row
    assert 'thiếu <b class="shortfall">4,5 triệu đồng/người/năm</b>' in row
    assert '<span class="since">2018</span>' in row
    assert f'href="/xa/{commune.id}/2019/"' in row


def test_since_counts_only_the_unbroken_run_of_failing_years(xa, cast, commune):
    recognise(cast, commune, 2016)
    income(commune, 2017, 30, xa.user)
    income(commune, 2018, 40, xa.user)  # met again
    income(commune, 2019, 30, xa.user)
    [alert] = slipping_alerts(user=xa.user)
    assert (alert.year, alert.since) == (2019, 2019)


def test_no_alert_while_the_current_data_still_meets_the_criterion(xa, tinh, cast, commune):
    recognise(cast, commune, 2017)
    income(commune, 2018, 30, xa.user)
    income(commune, 2019, 36, xa.user)  # the latest year meets it again
    assert slipping_alerts(user=tinh.user) == []
    assert alert_rows(tinh) == []


def test_a_commune_never_recognised_is_no_alert(xa, tinh, commune):
    income(commune, 2019, 30, xa.user)
    assert slipping_alerts(user=tinh.user) == []


def test_a_revoked_recognition_is_no_alert(xa, tinh, cast, commune):
    recognise(cast, commune, 2017)
    income(commune, 2018, 30, xa.user)
    assert len(slipping_alerts(user=tinh.user)) == 1
    dossier = commune.dossiers.get(year=2017)
    services.dossier_revoke(
        actor=tinh.user,
        dossier=dossier,
        number="9/QĐ",
        date=dossier.decisions.get().date,
        signer="B",
        reason="Thu nhập không còn đạt",
    )
    assert slipping_alerts(user=tinh.user) == []


def test_each_role_sees_only_the_alerts_it_is_responsible_for(
    xa, xa_khac, huyen, huyen_khac, so_gt, so_con_lai, tinh, lanh_dao, cast, commune
):
    income(commune, 2017, 40, xa.user)
    recognise(cast, commune, 2017)
    income(commune, 2018, 30, xa.user)
    link = f'href="/xa/{commune.id}/2018/"'

    for responsible in (xa, huyen, tinh, so_con_lai, lanh_dao):
        [row] = alert_rows(responsible)
        assert "Tiêu chí 10." in row and link in row, responsible.user.username
    # Another commune's board, another district, a department not owning criterion 10.
    for other in (xa_khac, huyen_khac, so_gt):
        assert alert_rows(other) == [], other.user.username


def test_the_alerts_take_a_bounded_number_of_queries(
    tinh, cast, laichau, make_client, django_assert_max_num_queries
):
    communes = list(
        Unit.objects.filter(level="commune", valid_from__isnull=True, parent__code="105")
    )[:4]
    for n, commune in enumerate(communes):
        board = make_client(f"xa_{n}", "commune", commune)
        values_set(unit=commune, year=2017, values={INCOME: 40}, author=board.user)
        walk(
            services.dossier_open(actor=board.user, unit=commune, year=2017),
            "hoan_tat",
            cast,
            board.user,
        )
        values_set(unit=commune, year=2018, values={INCOME: 30}, author=board.user)
    # The same few queries for one slipping commune or for all of them.
    with django_assert_max_num_queries(9):
        assert len(slipping_alerts(user=tinh.user)) == len(communes) == 4
