"""The money-against-results page: capital per commune and per criterion served, beside the
criteria gained (stored verdicts), with the lagging and no-gain flags."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from openpyxl import load_workbook

from ntm.finance.models import CapitalSource, Stage
from ntm.finance.money_results import LAG_RATIO, default_from, money_results
from ntm.finance.selectors import capital_table
from ntm.finance.services import capital_entry_save, work_get_or_create
from ntm.indicators.models import SIMULATED_SOURCE, Evaluation
from ntm.units.models import Unit

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def district(demo, db):
    return Unit.objects.get(level="district", code="105", valid_from__isnull=True)


@pytest.fixture
def communes(district):
    """The district's communes in 2019 that have a verdict in 2018 and 2019."""
    ids = Evaluation.objects.filter(year=2018, unit__parent=district).values("unit_id")
    rows = Unit.objects.filter(pk__in=ids, evaluations__year=2019).order_by("code")
    return list(rows)


@pytest.fixture
def office(demo_user):
    return demo_user("vanphong.laichau")


def save(unit, stage, amount, year_from=2019, year_to=None, code="central", work=None):
    capital_entry_save(
        actor=None,
        unit=unit,
        source=CapitalSource.objects.get(code=code),
        stage=stage,
        year_from=year_from,
        year_to=year_to or year_from,
        amount=Decimal(amount),
        work=work,
    )


def results(district, user, year_from=2019, year_to=2019):
    return money_results(
        unit=district, year_from=year_from, year_to=year_to, user=user, today=TODAY
    )


def row_of(res, unit):
    return next(r for r in res.communes if r.unit.pk == unit.pk)


def gained(unit, base, year):
    old, new = (Evaluation.objects.get(unit=unit, year=y) for y in (base, year))
    return [c for c, s in new.criteria.items() if s == "met" and old.criteria.get(c) != "met"]


def test_each_communes_money_is_what_the_finance_selectors_give(district, communes, office):
    first = communes[0]
    save(first, Stage.PLAN, "1000")
    save(first, Stage.DISBURSED, "500")
    res = results(district, office)
    table = capital_table(unit=first, year_from=2019, year_to=2019)
    total = next(line for line in table if line.code == "total")
    assert row_of(res, first).money.plan == total.amounts[Stage.PLAN] == Decimal("1000")
    assert row_of(res, first).money.disbursed == total.amounts[Stage.DISBURSED]
    assert row_of(res, first).money.rate == Decimal(50)


def test_a_multi_year_figure_counts_once_and_only_for_a_range_holding_its_period(
    district, communes, office
):
    first = communes[0]
    save(first, Stage.PLAN, "900", year_from=2018, year_to=2019)
    assert row_of(results(district, office, 2018, 2019), first).money.plan == Decimal("900")
    assert row_of(results(district, office, 2019, 2019), first).money.plan is None


def test_a_total_beside_its_parts_is_not_added_to_them(district, communes, office):
    first = communes[0]
    save(first, Stage.PLAN, "1000", code="total")
    save(first, Stage.PLAN, "600", code="central")
    save(first, Stage.PLAN, "100", code="local")
    assert row_of(results(district, office), first).money.plan == Decimal("1000")


def test_a_commune_below_the_lag_ratio_of_its_plan_is_flagged(district, communes, office):
    slow, steady = communes[0], communes[1]
    save(slow, Stage.PLAN, "1000")
    save(slow, Stage.DISBURSED, str(1000 * LAG_RATIO - 1))
    save(steady, Stage.PLAN, "1000")
    save(steady, Stage.DISBURSED, str(1000 * LAG_RATIO))
    res = results(district, office)
    assert row_of(res, slow).lagging
    assert not row_of(res, steady).lagging


def test_the_current_years_plan_does_not_make_a_commune_lag(district, communes, office):
    first = communes[0]
    save(first, Stage.PLAN, "1000", year_from=2019)
    res = money_results(
        unit=district, year_from=2019, year_to=2019, user=office, today=dt.date(2019, 6, 1)
    )
    assert not row_of(res, first).lagging


def test_criteria_gained_are_read_from_the_stored_verdicts(district, communes, office):
    res = results(district, office)
    for unit in communes:
        row = row_of(res, unit)
        assert row.gained == len(gained(unit, 2018, 2019))
        assert row.met == Evaluation.objects.get(unit=unit, year=2019).criteria_met
        assert row.met_base == Evaluation.objects.get(unit=unit, year=2018).criteria_met


def test_no_gain_is_counted_across_a_change_of_criteria_set(district, communes, office):
    res = results(district, office, year_from=2016, year_to=2016)  # 2015: QĐ 491, 2016: 1980
    sets = set(Evaluation.objects.filter(year__in=(2015, 2016)).values_list("criteria_set"))
    assert len(sets) == 2
    assert all(r.gained is None for r in res.communes)
    assert all(c.gained is None for c in res.criteria)


def test_money_without_a_criterion_gained_is_flagged(district, communes, office):
    idle = next((u for u in communes if not gained(u, 2018, 2019)), None)
    if idle is None:
        pytest.skip("every commune of the demo gained a criterion in 2019")
    save(idle, Stage.DISBURSED, "10")
    assert row_of(results(district, office), idle).no_gain


def test_money_per_criterion_comes_from_the_works_it_serves(district, communes, office):
    first = communes[0]
    road = work_get_or_create(actor=None, unit=first, name="Đường liên thôn", criteria=["2", "3"])
    save(first, Stage.PLAN, "800", work=road, code="total")
    save(first, Stage.PLAN, "500", work=road, code="central")  # a part of the total above
    save(first, Stage.PLAN, "70")  # no work: no criterion
    res = results(district, office)
    by_code = {c.code: c for c in res.criteria}
    assert by_code["2"].money.plan == by_code["3"].money.plan == Decimal("800")
    assert by_code["1"].money.plan is None
    expected = sum("2" in gained(u, 2018, 2019) for u in communes)
    assert by_code["2"].gained == expected


def test_a_department_sees_its_criteria_and_no_communes_overall_gain(district, demo_user):
    res = results(district, demo_user("so.giaothong"))
    assert [c.code for c in res.criteria] == ["2"]
    assert all(r.gained is None and r.met is None for r in res.communes)
    assert not res.verdicts


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("vanphong.laichau", 200),
        ("huyen.tplaichau", 200),
        ("lanhdao.laichau", 200),
        ("so.giaothong", 200),
        ("xa.santhang", 404),
    ],
)
def test_the_page_follows_who_may_see_finance(as_user, district, username, status):
    url = f"/don-vi/{district.pk}/2019/von-va-ket-qua/"
    assert as_user(username).get(url).status_code == status


def test_a_commune_board_sees_its_own_commune(as_user, demo_user):
    santhang = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    response = as_user("xa.santhang").get(f"/don-vi/{santhang.pk}/2019/von-va-ket-qua/")
    assert response.status_code == 200
    assert response.context["rows"][0].unit.pk == santhang.pk


def test_the_page_flags_and_sorts_by_rate(as_user, district, communes):
    slow, steady = communes[0], communes[1]
    save(slow, Stage.PLAN, "100")
    save(slow, Stage.DISBURSED, "10")
    save(steady, Stage.PLAN, "100")
    save(steady, Stage.DISBURSED, "90")
    client = as_user("huyen.tplaichau")
    response = client.get(f"/don-vi/{district.pk}/2019/von-va-ket-qua/?tu=2019&sap-xep=ty-le")
    html = response.content.decode()
    assert 'data-flag="lagging"' in html
    rows = response.context["rows"]
    assert [rows[0].unit.pk, rows[1].unit.pk] == [slow.pk, steady.pk]


def test_the_csv_lists_each_commune_with_vietnamese_numbers(as_user, district, communes):
    first = communes[0]
    save(first, Stage.PLAN, "1234567")
    save(first, Stage.DISBURSED, "617283.5")
    url = f"/don-vi/{district.pk}/2019/von-va-ket-qua/?tu=2019&dinh-dang=csv"
    response = as_user("huyen.tplaichau").get(url)
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Xã;Kế hoạch (triệu đồng);")
    line = next(x for x in lines if x.startswith(first.name + ";"))
    assert line.split(";")[1:5] == ["1.234.567", "–", "617.284", "50,0"]


def test_the_xlsx_download_holds_numbers(as_user, district, communes):
    save(communes[0], Stage.PLAN, "12.5")
    url = f"/don-vi/{district.pk}/2019/von-va-ket-qua/?tu=2019&dinh-dang=xlsx"
    content = as_user("huyen.tplaichau").get(url).content
    sheet = load_workbook(BytesIO(content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Xã"
    assert 12.5 in [row[1] for row in values[1:]]


def test_the_page_needs_a_bounded_number_of_queries(
    as_user, district, communes, django_assert_max_num_queries
):
    for unit in communes:
        road = work_get_or_create(actor=None, unit=unit, name="Đường", criteria=["2"])
        for year in (2016, 2017, 2018, 2019):
            save(unit, Stage.PLAN, "10", year_from=year)
            save(unit, Stage.DISBURSED, "5", year_from=year, work=road)
    client = as_user("vanphong.laichau")
    with django_assert_max_num_queries(25):
        client.get(f"/don-vi/{district.pk}/2019/von-va-ket-qua/?tu=2016")


def test_the_default_range_starts_where_gains_can_be_counted(as_user, district):
    assert default_from(year=2020, span=5) == 2017  # 2016 is QĐ 1980's first year
    assert default_from(year=2019, span=5) == 2017
    response = as_user("huyen.tplaichau").get(f"/don-vi/{district.pk}/2020/von-va-ket-qua/")
    assert response.context["results"].year_from == 2017
    assert any(r.gained is not None for r in response.context["results"].communes)


def test_a_criterion_with_money_and_no_commune_gaining_it_is_flagged(district, communes, office):
    res = results(district, office)
    idle = next((c for c in res.criteria if c.gained == 0), None)
    if idle is None:
        pytest.skip("every criterion was gained somewhere in 2019")
    work = work_get_or_create(
        actor=None, unit=communes[0], name="Nhà văn hóa", criteria=[idle.code]
    )
    save(communes[0], Stage.DISBURSED, "10", work=work)
    by_code = {c.code: c for c in results(district, office).criteria}
    assert by_code[idle.code].no_gain


def test_a_non_finite_stored_figure_leaves_its_communes_stage_unknown(district, communes, office):
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite lets a session ignore CHECK constraints")
    first = communes[0]
    save(first, Stage.PLAN, "100")
    entry, _ = capital_entry_save(
        actor=None,
        unit=first,
        source=CapitalSource.objects.get(code="local"),
        stage=Stage.PLAN,
        year_from=2019,
        year_to=2019,
        amount=Decimal(50),
    )
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        cursor.execute("UPDATE finance_capitalentry SET amount = 1e999 WHERE id = %s", [entry.pk])
        cursor.execute("PRAGMA ignore_check_constraints = OFF")
    row = row_of(results(district, office), first)
    assert row.money.plan is None and not row.lagging


def test_a_departments_csv_has_no_verdict_columns(as_user, district):
    url = f"/don-vi/{district.pk}/2019/von-va-ket-qua/?dinh-dang=csv"
    header = as_user("so.giaothong").get(url).content.decode("utf-8-sig").splitlines()[0]
    assert header.split(";") == [
        "Xã",
        "Kế hoạch (triệu đồng)",
        "Đã bố trí (triệu đồng)",
        "Đã giải ngân (triệu đồng)",
        "Giải ngân/kế hoạch (%)",
        "Giải ngân chậm",
    ]


def test_simulated_figures_are_labelled_on_the_page(as_user, district, communes):
    capital_entry_save(
        actor=None,
        unit=communes[0],
        source=CapitalSource.objects.get(code="central"),
        stage=Stage.PLAN,
        year_from=2019,
        year_to=2019,
        amount=Decimal(5),
        figure_source=SIMULATED_SOURCE,
    )
    url = f"/don-vi/{district.pk}/2019/von-va-ket-qua/?tu=2019"
    assert "Có số liệu mô phỏng (demo)" in as_user("huyen.tplaichau").get(url).content.decode()
