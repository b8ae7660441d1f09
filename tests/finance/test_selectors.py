import datetime as dt
from decimal import Decimal

from ntm.finance.demo import finance_demo_load
from ntm.finance.models import CapitalEntry, CapitalSource, Contribution, Stage
from ntm.finance.selectors import capital_summary, capital_table, contributions_summary
from ntm.finance.services import capital_entry_save


def test_demo_reproduces_the_reports_2011_2020_capital(province):
    summary = capital_summary(unit=province, year_from=2011, year_to=2020)
    assert summary["total"] == Decimal("28991124")
    assert summary["by_source"] == {
        "central": Decimal("1364845"),
        "local_dev": Decimal("180931"),
        "enterprise": Decimal("15850"),
        "community": Decimal("208224"),
    }
    assert summary["unclassified"] == Decimal("27221274")


def test_a_period_figure_counts_only_for_a_range_holding_its_whole_period(province):
    summary = capital_summary(unit=province, year_from=2015, year_to=2020)
    assert summary == {"total": None, "by_source": {}, "unclassified": None}


def test_demo_reproduces_the_reports_contributions_to_september_2019(province):
    summary = contributions_summary(
        unit=province, date_from=dt.date(2010, 1, 1), date_to=dt.date(2019, 9, 30)
    )
    assert summary == {
        "land_m2": Decimal("2142589"),
        "labour_days": Decimal("991588"),
        "cash_million_vnd": Decimal("502108"),
        "materials_million_vnd": Decimal("61923"),
    }
    short = contributions_summary(
        unit=province, date_from=dt.date(2010, 1, 1), date_to=dt.date(2019, 8, 31)
    )
    assert short["land_m2"] is None


def test_demo_load_is_idempotent(province):
    finance_demo_load()
    assert CapitalEntry.objects.filter(unit=province).count() == 5
    assert Contribution.objects.filter(unit=province).count() == 1


def test_demo_figures_name_the_report_as_their_source(province):
    for entry in CapitalEntry.objects.filter(unit=province):
        assert "Báo cáo" in entry.figure_source
        assert "không mô phỏng" in entry.figure_source


def _save(unit, code, stage, amount, year=2021):
    capital_entry_save(
        actor=None,
        unit=unit,
        source=CapitalSource.objects.get(code=code),
        stage=stage,
        year_from=year,
        year_to=year,
        amount=Decimal(amount),
    )


def test_it_computes_the_disbursement_rate_per_source(commune):
    _save(commune, "central_dev", Stage.ALLOCATED, "200")
    _save(commune, "central_dev", Stage.DISBURSED, "150")
    line = next(x for x in capital_table(unit=commune, year_from=2021, year_to=2021))
    assert line.code == "central_dev"
    assert line.rate == Decimal(75)


def test_a_commune_figure_counts_in_its_districts_subtree(commune):
    _save(commune, "community", Stage.ALLOCATED, "12,5".replace(",", "."))
    summary = capital_summary(unit=commune.parent, year_from=2021, year_to=2021)
    assert summary["by_source"] == {"community": Decimal("12.5")}
    assert summary["unclassified"] is None
    assert summary["total"] == Decimal("12.5")


def test_a_parent_source_and_its_parts_are_not_counted_twice(commune):
    _save(commune, "total", Stage.ALLOCATED, "1000")
    _save(commune, "central", Stage.ALLOCATED, "600")
    _save(commune, "central_dev", Stage.ALLOCATED, "400")
    _save(commune, "local_dev", Stage.ALLOCATED, "100")
    summary = capital_summary(unit=commune, year_from=2021, year_to=2021)
    assert summary["unclassified"] == Decimal("300")


def test_parts_exceeding_the_total_show_a_negative_remainder(commune):
    _save(commune, "total", Stage.ALLOCATED, "100")
    _save(commune, "credit", Stage.ALLOCATED, "130")
    summary = capital_summary(unit=commune, year_from=2021, year_to=2021)
    assert summary["total"] == Decimal("100")
    assert summary["unclassified"] == Decimal("-30")
