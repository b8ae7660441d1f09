"""values_set with expected_versions: a save from a stale form is refused as a whole."""

import threading

import pytest
from django.db import close_old_connections, connection

from ntm.audit.models import AuditEvent
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.indicators.services import ConflictError, IndicatorInputError, values_set

YEAR = 2018


@pytest.mark.django_db
def test_a_stale_version_refuses_the_whole_save_and_names_both_values(commune, office_user):
    values_set(unit=commune, year=YEAR, values={"14.2": 60.0}, author=office_user)
    values_set(unit=commune, year=YEAR, values={"14.2": 75.0}, author=office_user)
    with pytest.raises(ConflictError) as caught:
        values_set(
            unit=commune,
            year=YEAR,
            values={"14.2": 80.0, "14.3": 30.0},
            expected_versions={"14.2": 1, "14.3": None},
        )
    (conflict,) = caught.value.conflicts
    assert (conflict.indicator, conflict.submitted, conflict.stored) == ("14.2", 80.0, 75.0)
    assert conflict.stored_by == "vanphong"
    assert "bạn nhập 80%" in str(caught.value) and "vanphong đã lưu 75%" in str(caught.value)
    assert "San Thàng, năm 2018" in str(caught.value)
    assert not IndicatorValue.objects.filter(indicator="14.3").exists()
    assert AuditEvent.objects.filter(action="value.set").count() == 2


@pytest.mark.django_db
def test_a_value_created_meanwhile_conflicts_with_a_form_that_had_none(commune):
    values_set(unit=commune, year=YEAR, values={"1.1": 1.0})
    with pytest.raises(ConflictError, match=r"chỉ tiêu 1\.1: bạn nhập không đạt"):
        values_set(unit=commune, year=YEAR, values={"1.1": 0.0}, expected_versions={"1.1": None})


@pytest.mark.django_db
def test_a_value_deleted_meanwhile_conflicts(commune):
    values_set(unit=commune, year=YEAR, values={"14.2": 60.0})
    values_set(unit=commune, year=YEAR, values={"14.2": None})
    with pytest.raises(ConflictError, match=r"đã lưu \(trống\)"):
        values_set(unit=commune, year=YEAR, values={"14.2": 70.0}, expected_versions={"14.2": 1})


@pytest.mark.django_db
def test_the_current_version_saves(commune):
    values_set(unit=commune, year=YEAR, values={"14.2": 60.0})
    values_set(unit=commune, year=YEAR, values={"14.2": 70.0}, expected_versions={"14.2": 1})
    assert IndicatorValue.objects.get().version == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "value", "message"),
    [("14.2", 101.0, "từ 0 đến 100"), ("10", -1.0, "số âm"), ("1.1", 0.5, "đạt \\(1\\)")],
)
def test_values_set_refuses_impossible_values(commune, code, value, message):
    with pytest.raises(IndicatorInputError, match=message):
        values_set(unit=commune, year=YEAR, values={code: value})
    assert not Evaluation.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite has no row locks (select_for_update is a no-op) and one writer at a time",
)
def test_two_concurrent_saves_from_one_opened_form_let_exactly_one_through(laichau):
    from ntm.units.models import Unit

    commune = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    values_set(unit=commune, year=YEAR, values={"14.2": 60.0})
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(value: float) -> None:
        try:
            barrier.wait()
            values_set(
                unit=commune, year=YEAR, values={"14.2": value}, expected_versions={"14.2": 1}
            )
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=save, args=(v,)) for v in (75.0, 80.0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "saved"]
    row = IndicatorValue.objects.get(indicator="14.2")
    assert row.version == 2 and row.value in (75.0, 80.0)
    assert AuditEvent.objects.filter(action="value.set").count() == 2
