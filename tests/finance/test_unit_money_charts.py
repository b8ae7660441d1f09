"""The money charts of a unit page: capital by source and year, plan against disbursement,
community contributions; their data tables, CSV downloads and who sees them."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from ntm.finance.models import CapitalSource, Stage
from ntm.finance.money_charts import money_table, unit_money
from ntm.finance.selectors import capital_summary, contributions_summary
from ntm.finance.services import capital_entry_save, contribution_save
from ntm.indicators.models import SIMULATED_SOURCE
from ntm.units.models import Unit


@pytest.fixture
def district(demo, db):
    return Unit.objects.get(level="district", code="105", valid_from__isnull=True)


@pytest.fixture
def santhang(demo, db):
    return Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)


@pytest.fixture
def office(demo_user):
    return demo_user("vanphong.laichau")


def save(unit, code, stage, amount, year_from=2019, year_to=None, **extra):
    return capital_entry_save(
        actor=None,
        unit=unit,
        source=CapitalSource.objects.get(code=code),
        stage=stage,
        year_from=year_from,
        year_to=year_to or year_from,
        amount=Decimal(amount),
        **extra,
    )


def give(unit, first, last, **values):
    contribution_save(
        actor=None,
        unit=unit,
        date_from=first,
        date_to=last,
        values={k: Decimal(v) for k, v in values.items()},
    )


def test_yearly_capital_stacks_top_sources_and_the_remainder_as_the_selectors_count(
    office, district, santhang
):
    save(santhang, "total", Stage.ALLOCATED, "1000")
    save(santhang, "central", Stage.ALLOCATED, "600")
    save(santhang, "central_dev", Stage.ALLOCATED, "400")  # a part of central: not added again
    save(santhang, "local_dev", Stage.ALLOCATED, "100")
    money = unit_money(unit=district, year=2019, user=office) or pytest.fail("no money")
    point = next(p for p in money.capital if p.period.year_from == 2019)
    summary = capital_summary(unit=district, year_from=2019, year_to=2019)
    assert point.total == summary["total"] == Decimal("1000")
    assert point.parts == {
        "central": Decimal("600"),
        "local": Decimal("100"),  # local_dev stacks under its top-level source
        "unclassified": summary["unclassified"],
    }
    assert sum(v for v in point.parts.values() if v) == point.total  # totals never add to parts


def test_unit_money_is_none_for_a_user_outside_the_unit(district, demo_user):
    save(district, "central", Stage.ALLOCATED, "5")
    assert unit_money(unit=district, year=2019, user=demo_user("xa.daosan")) is None
    assert unit_money(unit=district, year=2019, user=demo_user("lanhdao.laichau")) is not None


def test_a_period_figure_is_a_labelled_table_row_and_never_a_bar(as_user, province):
    response = as_user("vanphong.laichau").get(f"/don-vi/{province.pk}/2020/")
    html = response.content.decode()
    assert "2011–2020 (số cả giai đoạn)" in html
    assert "28.991.124" in html
    data = json.loads(html.split('id="money-data" type="application/json">')[1].split("<")[0])
    assert data["capital"] == []
    assert 'data-money-chart="von-nguon"' not in html  # nothing yearly to draw


def test_the_period_total_is_the_one_the_resources_command_gives(office, province):
    out = StringIO()
    call_command("resources", "--unit", "12", "--from", "2011", "--to", "2020", stdout=out)
    cli = json.loads(out.getvalue())["capital"]
    money = unit_money(unit=province, year=2020, user=office) or pytest.fail("no money")
    (point,) = [p for p in money.capital if (p.period.year_from, p.period.year_to) == (2011, 2020)]
    assert point.total == cli["total"] == 28991124
    assert point.parts["unclassified"] == cli["unclassified"]


def test_a_period_figure_is_not_shown_before_its_period_ends(office, province):
    money = unit_money(unit=province, year=2019, user=office) or pytest.fail("no money")
    assert not any(p.period.year_to == 2020 for p in money.capital)


def test_plan_allocated_and_disbursed_by_year_with_the_rate_against_the_plan(
    office, district, santhang
):
    save(santhang, "central", Stage.PLAN, "500", year_from=2018)
    save(santhang, "central", Stage.ALLOCATED, "400", year_from=2018)
    save(santhang, "central", Stage.DISBURSED, "300", year_from=2018)
    save(santhang, "central", Stage.PLAN, "100", year_from=2019)
    money = unit_money(unit=district, year=2019, user=office) or pytest.fail("no money")
    rows = money_table(money=money, chart="von-giai-ngan")
    assert rows[1] == ["2018", "500", "400", "300", "60,0"]
    assert rows[2] == ["2019", "100", "–", "–", "–"]
    assert money.data()["stages"][0] == {
        "year": 2018,
        "plan": 500.0,
        "allocated": 400.0,
        "disbursed": 300.0,
    }


def test_contributions_by_year_match_the_summary_and_periods_stay_apart(office, province, santhang):
    give(santhang, dt.date(2019, 3, 1), dt.date(2019, 5, 31), land_m2="1200", labour_days="30")
    give(santhang, dt.date(2019, 7, 1), dt.date(2019, 8, 31), land_m2="300", cash_million_vnd="2")
    money = unit_money(unit=province, year=2019, user=office) or pytest.fail("no money")
    by_label = {p.period.label: p.measures for p in money.contributions}
    year = contributions_summary(
        unit=province, date_from=dt.date(2019, 1, 1), date_to=dt.date(2019, 12, 31)
    )
    assert by_label["2019"] == year
    assert by_label["2019"]["land_m2"] == Decimal("1500")
    assert by_label["2010–2019 (số cả giai đoạn)"]["land_m2"] == Decimal("2142589")
    assert [p["year"] for p in money.data()["contributions"]] == [2019]


def test_the_csv_is_the_data_table_with_vietnamese_numbers(as_user, district, santhang):
    save(santhang, "total", Stage.ALLOCATED, "1234567")
    save(santhang, "central", Stage.ALLOCATED, "1000000")
    response = as_user("huyen.tplaichau").get(
        f"/don-vi/{district.pk}/2019/von-bieu-do/von-nguon.csv"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Năm;Ngân sách Trung ương;Chưa phân loại;Tổng cộng"
    assert lines[1] == "2019;1.000.000;234.567;1.234.567"


def test_an_unknown_chart_is_not_found(as_user, district, santhang):
    save(santhang, "central", Stage.ALLOCATED, "1")
    client = as_user("huyen.tplaichau")
    assert client.get(f"/don-vi/{district.pk}/2019/von-bieu-do/khac.csv").status_code == 404


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("huyen.tplaichau", 200),
        ("so.giaothong", 200),  # a department sees the money of its province
        ("lanhdao.laichau", 200),
        ("xa.santhang", 404),  # a commune board does not see its district
    ],
)
def test_the_csv_follows_who_may_see_finance(as_user, district, santhang, username, status):
    save(santhang, "central", Stage.ALLOCATED, "1")
    url = f"/don-vi/{district.pk}/2019/von-bieu-do/von-nguon.csv"
    assert as_user(username).get(url).status_code == status


def test_the_unit_page_shows_the_section_and_the_results_link(as_user, district, santhang):
    save(santhang, "central", Stage.ALLOCATED, "1")
    html = as_user("lanhdao.laichau").get(f"/don-vi/{district.pk}/2019/").content.decode()
    assert 'id="money-data"' in html
    assert f"/don-vi/{district.pk}/2019/von-va-ket-qua/" in html
    assert "web/money_charts" in html and "vendor/echarts" in html


def test_simulated_figures_are_labelled_as_such(as_user, district, santhang):
    save(santhang, "central", Stage.ALLOCATED, "1", figure_source=SIMULATED_SOURCE)
    html = as_user("vanphong.laichau").get(f"/don-vi/{district.pk}/2019/").content.decode()
    assert "Có số liệu mô phỏng (demo)" in html


def test_the_real_report_figures_are_not_called_simulated(as_user, province):
    html = as_user("vanphong.laichau").get(f"/don-vi/{province.pk}/2020/").content.decode()
    assert "Có số liệu mô phỏng (demo)" not in html
    assert "không mô phỏng" in html  # the report is named as the figures' source


def test_the_money_section_adds_a_bounded_number_of_queries(
    office, as_user, district, santhang, django_assert_max_num_queries
):
    for year in range(2011, 2021):
        save(santhang, "central", Stage.PLAN, "10", year_from=year)
        save(santhang, "central", Stage.DISBURSED, "5", year_from=year)
        give(santhang, dt.date(year, 1, 1), dt.date(year, 12, 31), land_m2="10")
    client = as_user("vanphong.laichau")
    with django_assert_max_num_queries(12):
        unit_money(unit=district, year=2020, user=office)
    with django_assert_max_num_queries(70):
        client.get(f"/don-vi/{district.pk}/2020/")


def test_without_figures_the_section_says_so_and_keeps_the_results_link(as_user, district):
    html = as_user("lanhdao.laichau").get(f"/don-vi/{district.pk}/2019/").content.decode()
    assert "Chưa có số liệu vốn hay đóng góp đến hết năm 2019." in html
    assert f"/don-vi/{district.pk}/2019/von-va-ket-qua/" in html
    assert 'id="money-data"' not in html and "web/money_charts" not in html


def test_the_csv_of_a_unit_without_figures_has_its_headers_only(as_user, district):
    url = f"/don-vi/{district.pk}/2019/von-bieu-do/von-giai-ngan.csv"
    lines = as_user("huyen.tplaichau").get(url).content.decode("utf-8-sig").splitlines()
    assert lines == ["Năm;Kế hoạch;Đã bố trí;Đã giải ngân;Giải ngân/kế hoạch (%)"]


def test_a_non_finite_stored_figure_makes_its_year_unknown_not_smaller(office, district, santhang):
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite lets a session ignore CHECK constraints")
    save(santhang, "central", Stage.PLAN, "100")
    entry, _ = save(santhang, "local", Stage.PLAN, "50")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        cursor.execute("UPDATE finance_capitalentry SET amount = 1e999 WHERE id = %s", [entry.pk])
        cursor.execute("PRAGMA ignore_check_constraints = OFF")
    money = unit_money(unit=district, year=2019, user=office) or pytest.fail("no money")
    assert money_table(money=money, chart="von-giai-ngan")[1][:2] == ["2019", "–"]
