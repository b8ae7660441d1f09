"""Values are locked while a dossier is under review, and open again only through a return."""

import pytest

from ntm.indicators.models import IndicatorValue
from ntm.indicators.services import ValuesLockedError, values_set
from ntm.workflow.services import dossier_advance, dossier_open, dossier_return

pytestmark = pytest.mark.django_db


def test_a_submitted_dossier_freezes_the_commune_year_values(xa, commune):
    values_set(unit=commune, year=2018, values={"1.1": 1.0}, author=xa.user)
    dossier = dossier_open(actor=xa.user, unit=commune, year=2018)
    dossier_advance(actor=xa.user, dossier=dossier)  # self-assessment submitted
    with pytest.raises(ValuesLockedError, match="khóa"):
        values_set(unit=commune, year=2018, values={"1.1": 0.0}, author=xa.user)
    assert IndicatorValue.objects.get(unit=commune, year=2018, indicator="1.1").value == 1.0


def test_other_years_stay_editable_while_a_dossier_is_in_review(xa, commune):
    dossier = dossier_open(actor=xa.user, unit=commune, year=2018)
    dossier_advance(actor=xa.user, dossier=dossier)
    values_set(unit=commune, year=2019, values={"1.1": 1.0}, author=xa.user)


def test_a_return_to_self_assessment_opens_the_values_again(xa, huyen, commune):
    dossier = dossier_open(actor=xa.user, unit=commune, year=2018)
    first = dossier.current_stage
    dossier = dossier_advance(actor=xa.user, dossier=dossier)  # → consultation
    dossier = dossier_advance(actor=xa.user, dossier=dossier)  # → district verification
    dossier_return(
        actor=huyen.user, dossier=dossier, to_stage=first, reason="Thiếu minh chứng tiêu chí 2"
    )
    values_set(unit=commune, year=2018, values={"1.1": 0.0}, author=xa.user)
    assert IndicatorValue.objects.get(unit=commune, year=2018, indicator="1.1").value == 0.0
