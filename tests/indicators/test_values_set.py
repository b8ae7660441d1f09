"""Writing values refreshes the commune's evaluation in the same transaction."""

import pytest

from ntm.criteria.models import CommuneClass, ProvincialSpec, SpecThreshold
from ntm.criteria.selectors import NoClassError
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.indicators.services import IndicatorInputError, values_set
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db


def test_saving_a_value_creates_the_evaluation_under_the_set_of_the_year(commune):
    evaluation = values_set(unit=commune, year=2018, values={"14.2": 70.0})
    assert evaluation.criteria_set == "qd1980-2016"
    assert evaluation.class_code == "TDMNPB"
    assert Evaluation.objects.get(unit=commune, year=2018).criteria["14"] == "missing"


def test_changing_a_value_updates_the_stored_verdict(commune):
    values_set(unit=commune, year=2018, values={"1.1": 1.0, "1.2": 1.0})
    assert Evaluation.objects.get(unit=commune, year=2018).criteria["1"] == "met"
    values_set(unit=commune, year=2018, values={"1.2": 0.0})
    assert Evaluation.objects.get(unit=commune, year=2018).criteria["1"] == "not_met"
    assert IndicatorValue.objects.get(unit=commune, year=2018, indicator="1.2").version == 2


def test_none_deletes_a_value_and_the_criterion_becomes_missing(commune):
    values_set(unit=commune, year=2018, values={"1.1": 1.0, "1.2": 1.0})
    values_set(unit=commune, year=2018, values={"1.2": None})
    assert Evaluation.objects.get(unit=commune, year=2018).criteria["1"] == "missing"


def test_unknown_indicator_is_refused_and_nothing_is_saved(commune):
    with pytest.raises(IndicatorInputError, match=r"99\.9"):
        values_set(unit=commune, year=2018, values={"1.1": 1.0, "99.9": 3.0})
    assert not IndicatorValue.objects.exists()
    assert not Evaluation.objects.exists()


def test_a_provincial_specification_fills_an_unconfirmed_threshold(commune):
    values_set(unit=commune, year=2018, values={"3.1": 85.0})
    assert Evaluation.objects.get(unit=commune, year=2018).criteria["3"] == "missing"
    province = Unit.objects.get(level="province", code="12", valid_from__isnull=True)
    spec = ProvincialSpec.objects.create(
        spec_id="lc-test",
        province=province,
        criteria_set="qd1980-2016",
        legal_source="QĐ thử",
        first_year=2016,
        last_year=2020,
    )
    SpecThreshold.objects.create(spec=spec, indicator="3.1", class_code="TDMNPB", value=80)
    SpecThreshold.objects.create(spec=spec, indicator="3.2", class_code="TDMNPB", value=1)
    values_set(unit=commune, year=2018, values={"3.2": 1.0})
    evaluation = Evaluation.objects.get(unit=commune, year=2018)
    assert evaluation.criteria["3"] == "met"
    assert evaluation.spec_ids == "lc-test"


def test_a_specification_outside_its_years_does_not_apply(commune):
    province = Unit.objects.get(level="province", code="12", valid_from__isnull=True)
    spec = ProvincialSpec.objects.create(
        spec_id="lc-old",
        province=province,
        criteria_set="qd1980-2016",
        legal_source="QĐ thử",
        first_year=2016,
        last_year=2017,
    )
    SpecThreshold.objects.create(spec=spec, indicator="3.1", class_code="TDMNPB", value=80)
    evaluation = values_set(unit=commune, year=2018, values={"3.1": 85.0})
    assert evaluation.spec_ids == ""


def test_a_group_set_without_a_classification_names_the_commune(laichau):
    commune = Unit.objects.filter(level="commune", valid_from__isnull=False, code="03595").first()
    with pytest.raises(NoClassError, match="03595"):
        values_set(unit=commune, year=2026, values={"2": 1.0})


def test_a_classification_gives_the_group_of_a_2026_commune(laichau):
    commune = Unit.objects.filter(level="commune", valid_from__isnull=False, code="03595").first()
    CommuneClass.objects.create(
        unit=commune, criteria_set="qd51-2025", class_code="3", legal_basis="QĐ 113/QĐ-UBND"
    )
    evaluation = values_set(unit=commune, year=2026, values={"2": 1.0})
    assert (evaluation.criteria_set, evaluation.class_code, evaluation.criteria_total) == (
        "qd51-2025",
        "3",
        10,
    )
