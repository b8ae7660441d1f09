"""A province records thresholds the national text leaves open, with their legal source."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ntm.core.specs import ProvincialSpec as SpecData
from ntm.core.specs import SpecCell, SpecError
from ntm.criteria.models import ProvincialSpec, SpecThreshold
from ntm.criteria.services import spec_save

pytestmark = pytest.mark.django_db

SPEC_FILE = """\
id: lc-1285-2023
province_code: "12"
criteria_set: qd318-2022
legal_source: "QĐ 1285/QĐ-UBND tỉnh Lai Châu (bản sao của văn phòng)"
first_year: 2022
last_year: 2025
thresholds:
  "3.1": {TDMNPB: 80}
  "8.1": {TDMNPB: đạt}
"""


def data(*cells: SpecCell) -> SpecData:
    return SpecData(
        id="lc-x", province_code="12", criteria_set="qd318-2022", legal_source="QĐ thử", cells=cells
    )


def test_spec_load_command_records_every_cell_with_its_source(laichau, tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC_FILE, encoding="utf-8")
    call_command("criteria", "spec-load", str(path), stdout=StringIO())
    spec = ProvincialSpec.objects.get(spec_id="lc-1285-2023")
    assert spec.legal_source.startswith("QĐ 1285")
    assert sorted(spec.thresholds.values_list("indicator", "value")) == [
        ("3.1", 80.0),
        ("8.1", 1.0),
    ]


def test_a_bad_cell_saves_nothing(laichau):
    cells = (SpecCell("3.1", "TDMNPB", 80), SpecCell("99.9", "TDMNPB", 1))
    with pytest.raises(SpecError, match="99"):
        spec_save(data=data(*cells))
    assert not ProvincialSpec.objects.exists() and not SpecThreshold.objects.exists()


def test_a_yes_no_indicator_refuses_a_number_threshold(laichau):
    with pytest.raises(SpecError, match=r"8\.1"):
        spec_save(data=data(SpecCell("8.1", "TDMNPB", 55)))


def test_an_unknown_region_is_refused(laichau):
    with pytest.raises(SpecError, match="XYZ"):
        spec_save(data=data(SpecCell("3.1", "XYZ", 80)))


def test_saving_again_replaces_the_cells(laichau):
    spec_save(data=data(SpecCell("3.1", "TDMNPB", 80)))
    spec_save(data=data(SpecCell("3.1", "TDMNPB", 85)))
    assert list(SpecThreshold.objects.values_list("value", flat=True)) == [85.0]


def test_show_unconfirmed_lists_only_open_cells():
    out = StringIO()
    call_command("criteria", "show", "qd1980-2016", "--unconfirmed", stdout=out)
    text = out.getvalue()
    assert "2.1" in text and "chưa xác nhận" in text
    codes = [line.split()[0] for line in text.splitlines()[1:] if not line.startswith(" ")]
    assert "10" not in codes  # income: every region confirmed


def test_show_of_an_unknown_set_is_a_clear_error():
    with pytest.raises(CommandError, match="qd999"):
        call_command("criteria", "show", "qd999", stdout=StringIO())


def test_saving_a_specification_is_audited(laichau):
    from ntm.audit.models import AuditEvent

    spec_save(data=data(SpecCell("3.1", "TDMNPB", 80)))
    event = AuditEvent.objects.get(action="spec.save")
    assert event.after["cells"] == [["3.1", "TDMNPB", "", 80.0]]
    assert event.origin == "cli"


def test_a_commune_group_needs_a_known_group_and_a_legal_basis(laichau):
    from ntm.criteria.services import commune_class_set
    from ntm.units.models import Unit

    commune = Unit.objects.filter(level="commune", code="03595", valid_from__isnull=False).first()
    with pytest.raises(SpecError, match="nhóm"):
        commune_class_set(
            unit=commune, criteria_set="qd51-2025", class_code="4", legal_basis="QĐ 113"
        )
    with pytest.raises(SpecError, match="căn cứ"):
        commune_class_set(unit=commune, criteria_set="qd51-2025", class_code="3", legal_basis=" ")
    record = commune_class_set(
        unit=commune, criteria_set="qd51-2025", class_code="3", legal_basis="QĐ 113/QĐ-UBND"
    )
    assert record.class_code == "3"


def test_changing_a_commune_group_is_audited_with_before_and_after(laichau):
    from ntm.audit.models import AuditEvent
    from ntm.criteria.services import commune_class_set
    from ntm.units.models import Unit

    commune = Unit.objects.filter(level="commune", code="03595", valid_from__isnull=False).first()
    commune_class_set(unit=commune, criteria_set="qd51-2025", class_code="2", legal_basis="QĐ A")
    commune_class_set(unit=commune, criteria_set="qd51-2025", class_code="3", legal_basis="QĐ B")
    last = AuditEvent.objects.filter(action="class.set").order_by("-id").first()
    assert last.before["class_code"] == "2" and last.after["class_code"] == "3"


def test_a_specification_judges_its_province_in_both_structures(laichau, tmp_path):
    """QĐ 318/2022 judges 2025 in the structure of 1/7/2025: the 2022-2025 specification of
    province 12 must reach the communes of the new province row too."""
    from ntm.indicators.services import commune_criteria
    from ntm.units.selectors import unit_for_year

    path = tmp_path / "spec.yaml"
    path.write_text(SPEC_FILE, encoding="utf-8")
    call_command("criteria", "spec-load", str(path), stdout=StringIO())
    for year in (2024, 2025):
        cset, cls = commune_criteria(unit=unit_for_year(code="03571", year=year), year=year)
        assert cset.spec_id == "lc-1285-2023" and cls == "TDMNPB", year
        assert cset.indicator("3.1").threshold("ntm", "TDMNPB").value == 80


def test_a_specification_outside_the_sets_period_is_refused(laichau):
    outside = SpecData(
        id="lc-y",
        province_code="12",
        criteria_set="qd318-2022",
        legal_source="QĐ thử",
        cells=(),
        first_year=2027,
        last_year=2028,
    )
    with pytest.raises(SpecError, match="không thuộc giai đoạn 2021-2025"):
        spec_save(data=outside)
