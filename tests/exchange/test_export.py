"""`ntm export`: long CSV that round-trips byte for byte, xlsx with typed numbers and
neutralised text, DHIS2 JSON; on the Lai Châu demo (loaded once for the module)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from ntm.audit.models import AuditEvent
from ntm.indicators.models import IndicatorValue
from tests.exchange.conftest import run

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    from ntm.demo.services import demo_load

    with django_db_blocker.unblock():
        demo_load()
        yield
        call_command("flush", interactive=False, verbosity=0)


def export(tmp_path, *args: str, name: str = "out") -> bytes:
    path = tmp_path / name
    status, _, err = run("export", *args, "-o", str(path))
    assert status == 0, err
    return path.read_bytes()


def test_export_import_export_gives_the_same_csv_byte_for_byte(demo, tmp_path):
    first = export(
        tmp_path, "--unit", "12", "--years", "2011-2020", "--format", "csv", name="1.csv"
    )
    lines = first.decode().splitlines()
    assert lines[0] == "unit_code,year,indicator,value"
    # 96 communes 2011-2019 and the 94 of 2020 (the new Xã Sùng Phài holds 03403 from 2020)
    assert len(lines) - 1 == 32542
    keys = [tuple(line.split(",")[:2]) for line in lines[1:]]
    assert keys == sorted(keys)
    audit_before = AuditEvent.objects.count()
    status, out, err = run("import", str(tmp_path / "1.csv"), "--no-progress")
    assert status == 0, err
    assert "Đã thêm 0, sửa 0, giữ nguyên 32542 giá trị" in out
    assert AuditEvent.objects.count() == audit_before  # nothing changed, nothing audited
    second = export(
        tmp_path, "--unit", "12", "--years", "2011-2020", "--format", "csv", name="2.csv"
    )
    assert second == first


def test_the_csv_is_sorted_by_unit_year_and_indicator_order(demo, tmp_path):
    data = export(tmp_path, "--unit", "03409", "--years", "2018", "--format", "csv").decode()
    rows = [line.split(",") for line in data.splitlines()[1:]]
    assert {r[0] for r in rows} == {"03409"} and {r[1] for r in rows} == {"2018"}
    codes = [r[2] for r in rows]
    assert codes[:3] == ["1.1", "1.2", "2.1"] and codes.index("2.1") < codes.index("10")
    assert all("," not in r[3] and not r[3].endswith(".0") for r in rows)


def test_a_changed_value_round_trips(demo, tmp_path):
    data = export(tmp_path, "--unit", "03409", "--years", "2018", "--format", "csv").decode()
    edited = data.replace("\n03409,2018,14.2,", "\n03409,2018,14.2,99.5\n#", 1)
    edited = "\n".join(line for line in edited.splitlines() if not line.startswith("#")) + "\n"
    (tmp_path / "e.csv").write_text(edited)
    assert run("import", str(tmp_path / "e.csv"), "--no-progress")[0] == 0
    again = export(tmp_path, "--unit", "03409", "--years", "2018", "--format", "csv").decode()
    assert "03409,2018,14.2,99.5" in again
    assert again == edited


def test_xlsx_numbers_are_numbers_and_text_cannot_be_a_formula(demo, tmp_path):
    from ntm.units.models import Unit

    unit = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    name = unit.name
    Unit.objects.filter(pk=unit.pk).update(name='=HYPERLINK("http://x","bấm")')
    try:
        data = export(tmp_path, "--unit", "03409", "--years", "2018", "--format", "xlsx")
    finally:
        Unit.objects.filter(pk=unit.pk).update(name=name)
    book = load_workbook(io.BytesIO(data))
    ws = book["Giá trị"]
    assert [c.value for c in ws[1]][:4] == ["unit_code", "year", "indicator", "value"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[2].value == "14.2")
    assert row[3].data_type == "n" and isinstance(row[3].value, float | int)
    assert row[1].value == 2018 and row[1].data_type == "n"
    assert row[4].value == '\'=HYPERLINK("http://x","bấm")' and row[4].data_type == "s"
    results = book["Kết quả"]
    header = [c.value for c in results[1]]
    assert header[:6] == [
        "unit_code",
        "Tên đơn vị",
        "year",
        "Bộ tiêu chí",
        "Vùng/nhóm",
        "Số tiêu chí đạt",
    ]
    assert results[2][5].data_type == "n"
    about = " ".join(str(r[1].value) for r in book["Thông tin"].iter_rows())
    assert "MÔ PHỎNG" in about


def test_the_xlsx_export_imports_back_unchanged(demo, tmp_path):
    export(tmp_path, "--unit", "105", "--years", "2017-2018", "--format", "xlsx", name="e.xlsx")
    status, out, err = run("import", str(tmp_path / "e.xlsx"), "--dry-run", "--no-progress")
    assert status == 0, err
    assert "Sẽ thêm 0, sửa 0, giữ nguyên 196 giá trị" in out
    assert "Bỏ qua trang «Kết quả»" in out


def test_dhis2_json_holds_values_and_results_and_imports_back(demo, tmp_path):
    data = json.loads(
        export(tmp_path, "--unit", "03409", "--years", "2018", "--format", "dhis2", name="d.json")
    )
    values = data["dataValues"]
    first = values[0]
    assert set(first) == {"dataElement", "period", "orgUnit", "value"}
    assert (first["period"], first["orgUnit"]) == ("2018", "03409")
    results = {
        v["dataElement"]: v["value"] for v in values if v["dataElement"].startswith("NTM_KQ_")
    }
    assert set(results) == {"NTM_KQ_SO_TIEU_CHI_DAT", "NTM_KQ_DAT_CHUAN"}
    status, out, _ = run("import", str(tmp_path / "d.json"), "--dry-run", "--no-progress")
    assert status == 0 and "giữ nguyên 49 giá trị" in out and "Bỏ qua 2 giá trị kết quả" in out


def test_a_user_exports_only_their_scope(demo, tmp_path):
    status, _, err = run(
        "export",
        "--unit",
        "12",
        "--years",
        "2018",
        "--user",
        "xa.santhang",
        "-o",
        str(tmp_path / "x"),
    )
    assert status == 1 and "không có đơn vị mã 12 trong phạm vi của bạn" in err.lower()
    data = export(tmp_path, "--unit", "03409", "--years", "2018", "--user", "so.yte")
    indicators = {line.split(",")[2] for line in data.decode().splitlines()[1:]}
    assert indicators == {"15.1", "15.2", "15.3"}


def test_export_usage_errors(demo, tmp_path):
    assert run("export", "--unit", "12", "--years", "20x1", "-o", str(tmp_path / "x"))[0] == 2
    assert run("export", "--unit", "1", "--years", "2018", "-o", str(tmp_path / "x"))[0] == 1


def test_the_export_page_downloads_each_format(demo, client):
    from ntm.units.models import Unit

    client.login(username="vanphong.laichau", password="demo-ntm-laichau")
    province = Unit.objects.get(level="province", code="12", valid_from__isnull=True)
    page = client.get(f"/don-vi/{province.id}/xuat/")
    assert page.status_code == 200 and "Tải xuống" in page.content.decode()
    csv_response = client.get(f"/don-vi/{province.id}/xuat/", {"nam": "2018", "dinh_dang": "csv"})
    assert csv_response["Content-Disposition"] == 'attachment; filename="ntm-12-2018-2018.csv"'
    assert csv_response.content.count(b"\n") == 1 + 96 * 49
    bad = client.get(f"/don-vi/{province.id}/xuat/", {"nam": "hai nghìn", "dinh_dang": "csv"})
    assert bad.status_code == 400 and "không đúng dạng" in bad.content.decode()
    # 96 communes 2011-2019, 94 in 2020 (three ended on 31/12/2019, one was formed), 32 in 2026
    assert IndicatorValue.objects.count() == 32862


@pytest.mark.parametrize("years", ["0", "0000", "0000-0010", "99999", "1999"])
def test_an_export_of_impossible_years_is_refused_without_a_traceback(demo, tmp_path, years):
    status, _, err = run("export", "--unit", "12", "--years", years, "-o", str(tmp_path / "y.csv"))
    assert status in (0, 2), err
    assert "Traceback" not in err
