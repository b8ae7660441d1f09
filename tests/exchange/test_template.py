"""`ntm template` and the download button: layout, protection, validation, metadata, scope."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from ntm.core.years import LAST_YEAR
from ntm.criteria.models import ProvincialSpec, SpecThreshold
from ntm.exchange.readers.workbook import META_SHEET
from ntm.indicators.models import IndicatorValue
from ntm.indicators.services import values_set
from tests.exchange.conftest import SAN_THANG, YEAR, run, since_ever

pytestmark = pytest.mark.django_db


def build(tmp_path, *args):
    path = tmp_path / "bieu-mau.xlsx"
    status, _, err = run("template", *args, "-o", str(path))
    assert status == 0, err
    return load_workbook(path), path


def column_of(ws, code):
    return next(c.column_letter for c in ws[6] if c.value == code)


def test_one_row_per_commune_and_one_column_per_indicator(laichau, tmp_path):
    book, _ = build(tmp_path, "--unit", "105", "--year", str(YEAR))
    ws = book["Số liệu"]
    codes = [ws.cell(row=r, column=1).value for r in range(7, ws.max_row + 1)]
    assert codes == ["03403", "03409"]  # TP Lai Châu's rural communes: Nậm Loỏng, San Thàng
    assert [c.value for c in ws[6]][:6] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "Trực thuộc",
        "Vùng/nhóm",
        "1.1",
        "1.2",
    ]
    assert ws.max_column == 4 + 49
    letter = column_of(ws, "14.2")
    assert ws[f"{letter}2"].value == "TC 14. Giáo dục và Đào tạo"
    assert ws[f"{letter}3"].value.startswith("Tỷ lệ học sinh tốt nghiệp trung học cơ sở")
    assert ws[f"{letter}4"].value == "%"
    assert ws[f"{letter}5"].value == "≥ 70%"  # every row is in region TDMNPB
    assert ws["E4"].value == "đạt/không đạt"
    assert ws["D7"].value == "TDMNPB"


def test_headers_and_keys_are_protected_and_data_cells_open(laichau, tmp_path):
    ws = build(tmp_path, "--unit", "105", "--year", str(YEAR))[0]["Số liệu"]
    assert ws.protection.sheet
    assert ws["A7"].protection.locked and ws["E6"].protection.locked
    assert not ws["E7"].protection.locked
    assert ws.freeze_panes == "E7"


def test_columns_carry_data_validation(laichau, tmp_path):
    ws = build(tmp_path, "--unit", "105", "--year", str(YEAR))[0]["Số liệu"]
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    letter = column_of(ws, "14.2")
    percent = rules[f"{letter}7:{letter}8"]
    assert (percent.type, percent.formula1, percent.formula2) == ("decimal", "0", "100")
    assert rules["E7:E8"].formula1 == '"đạt,không đạt"'
    houses = rules[f"{column_of(ws, '9.1')}7:{column_of(ws, '9.1')}8"]
    assert houses.formula1 == '"có,không"'
    income = rules[f"{column_of(ws, '10')}7:{column_of(ws, '10')}8"]
    assert (income.type, income.operator) == ("decimal", "greaterThanOrEqual")


def test_current_values_are_filled_in(commune, tmp_path):
    values_set(unit=commune, year=YEAR, values={"14.2": 72.5, "1.1": 1.0, "9.1": 0.0})
    ws = build(tmp_path, "--unit", SAN_THANG, "--year", str(YEAR))[0]["Số liệu"]
    assert ws[f"{column_of(ws, '14.2')}7"].value == 72.5
    assert ws["E7"].value == "đạt"
    assert ws[f"{column_of(ws, '9.1')}7"].value == "không"


def test_a_very_hidden_sheet_tells_the_importer_what_it_is(laichau, tmp_path):
    book = build(tmp_path, "--unit", "105", "--year", str(YEAR))[0]
    meta = book[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    values = {r[0].value: r[1].value for r in meta.iter_rows()}
    assert values["format"] == "ntm-template" and values["version"] == "1"
    assert (values["criteria_set"], values["year"], values["unit_code"]) == (
        "qd1980-2016",
        "2018",
        "105",
    )
    assert book.sheetnames[:3] == ["Hướng dẫn", "Số liệu", "Ngưỡng"]
    text = " ".join(str(r[0].value) for r in book["Hướng dẫn"].iter_rows())
    assert "Ô để trống nghĩa là chưa có số liệu" in text and "trang «Ngưỡng»" in text


def test_a_filled_template_imports_back(commune, tmp_path):
    book, path = build(tmp_path, "--unit", "105", "--year", str(YEAR))
    ws = book["Số liệu"]
    ws[f"{column_of(ws, '14.2')}8"] = 81
    ws["E8"] = "không đạt"
    ws[f"{column_of(ws, '10')}7"] = "36,5"  # typed as text, Vietnamese decimal comma
    book.save(path)
    status, out, err = run("import", str(path), "--no-progress")
    assert status == 0, err
    assert "Biểu mẫu Excel của ntm" in out
    values = {(v.unit.code, v.indicator): v.value for v in IndicatorValue.objects.all()}
    assert values == {("03409", "14.2"): 81.0, ("03409", "1.1"): 0.0, ("03403", "10"): 36.5}


def test_errors_in_a_template_name_sheet_row_and_column(commune, tmp_path):
    book, path = build(tmp_path, "--unit", "105", "--year", str(YEAR))
    ws = book["Số liệu"]
    letter = column_of(ws, "14.2")
    ws[f"{letter}7"] = "=F7*2"
    ws[f"{letter}8"] = 130
    book.save(path)
    status, _, err = run("import", str(path), "--no-progress")
    assert status == 1
    assert (
        f"Trang «Số liệu», dòng 7, cột {letter}, đơn vị 03403, chỉ tiêu 14.2: ô chứa công thức"
        in err
    )
    assert f"dòng 8, cột {letter}, đơn vị 03409, chỉ tiêu 14.2: giá trị 130 là tỷ lệ" in err
    assert not IndicatorValue.objects.exists()


def test_an_edited_header_refuses_the_template(laichau, tmp_path):
    book, path = build(tmp_path, "--unit", "105", "--year", str(YEAR))
    book["Số liệu"]["E6"] = "1.9"
    book.save(path)
    status, _, err = run("import", str(path), "--no-progress")
    assert status == 1 and "Ô tiêu đề E6 phải là mã chỉ tiêu «1.1»" in err


def test_a_department_gets_only_its_criteria(education, tmp_path):
    ws = build(tmp_path, "--unit", "12", "--year", str(YEAR), "--user", "so.giaoduc")[0]["Số liệu"]
    assert [c.value for c in ws[6]][4:] == ["14.1", "14.2", "14.3"]
    assert ws.max_row - 6 == 96


def test_a_locked_dossier_greys_its_row(board, commune, tmp_path):
    from ntm.workflow.services import dossier_advance, dossier_open

    dossier_advance(actor=board, dossier=dossier_open(actor=board, unit=commune, year=YEAR))
    ws = build(tmp_path, "--unit", "105", "--year", str(YEAR))[0]["Số liệu"]
    assert ws["E8"].protection.locked and not ws["E7"].protection.locked
    assert "bị khóa" in ws["A8"].comment.text


def test_thresholds_that_differ_by_group_point_to_the_threshold_sheet(laichau, tmp_path):
    from ntm.criteria.models import CommuneClass
    from ntm.units.models import Unit

    # QĐ 51/2025 has no confirmed threshold yet: give 3.1 one per group, as a province would.
    province = Unit.objects.get(level="province", code="12", valid_from__isnull=False)
    spec = ProvincialSpec.objects.create(
        spec_id="lc-thu", province=province, criteria_set="qd51-2025", legal_source="thử"
    )
    for group, value in (("1", 80.0), ("2", 70.0), ("3", 60.0)):
        SpecThreshold.objects.create(spec=spec, indicator="3.1", class_code=group, value=value)
    communes = Unit.objects.filter(level="commune", ntm_eligible=True).valid_on(dt.date(2026, 1, 1))
    for unit, group in zip(communes[:3], ["1", "2", "3"], strict=True):
        CommuneClass.objects.create(unit=unit, criteria_set="qd51-2025", class_code=group)
    book = build(tmp_path, "--unit", "12", "--year", "2026")[0]
    ws = book["Số liệu"]
    letter = column_of(ws, "3.1")
    assert ws[f"{letter}5"].value == "khác nhau theo nhóm: xem trang «Ngưỡng»"
    assert ws["E5"].value == "chưa xác nhận"
    sheet = {
        r[0].value.split(" — ")[0]: r for r in book["Ngưỡng"].iter_rows(min_row=3) if r[0].value
    }
    column = [c.value for c in book["Ngưỡng"][2]].index("3.1")
    assert {g: sheet[g][column].value for g in "123"} == {"1": "≥ 80%", "2": "≥ 70%", "3": "≥ 60%"}


def test_the_unit_page_offers_the_download(client, office):
    client.force_login(office)
    province = since_ever("province", "12")
    page = client.get(f"/don-vi/{province.id}/{YEAR}/").content.decode()
    assert f'href="/don-vi/{province.id}/{YEAR}/bieu-mau/"' in page
    response = client.get(f"/don-vi/{province.id}/{YEAR}/bieu-mau/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bieu-mau-ntm-12-2018.xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content))["Số liệu"]
    assert ws.max_row - 6 == 96


def test_the_download_takes_the_years_the_command_line_takes(client, office):
    # One rule for years (ntm.core.years, the <year:year> converter): the button offers
    # what `ntm template --year` accepts.
    client.force_login(office)
    province = since_ever("province", "12")
    # 2200 is a year the rule allows: the template says why it has nothing, not "no page".
    response = client.get(f"/don-vi/{province.id}/{LAST_YEAR}/bieu-mau/")
    assert response.status_code == 400 and "2200" in response.content.decode()
    assert client.get(f"/don-vi/{province.id}/{LAST_YEAR + 1}/bieu-mau/").status_code == 404


def test_a_unit_outside_the_scope_is_not_found(client, board, laichau):
    client.force_login(board)
    other = since_ever("commune", "03412")
    assert client.get(f"/don-vi/{other.id}/{YEAR}/bieu-mau/").status_code == 404


def test_a_commune_page_links_to_its_template(client, board, commune):
    client.force_login(board)
    from ntm.indicators.services import evaluation_refresh

    evaluation_refresh(unit=commune, year=YEAR)
    page = client.get(f"/xa/{commune.id}/{YEAR}/").content.decode()
    assert f"/don-vi/{commune.id}/{YEAR}/bieu-mau/" in page
    response = client.get(f"/don-vi/{commune.id}/{YEAR}/bieu-mau/")
    ws = load_workbook(io.BytesIO(response.content))["Số liệu"]
    assert ws["A7"].value == SAN_THANG and ws.max_row == 7


def test_an_unknown_unit_code_is_a_usage_error(laichau, tmp_path):
    status, _, err = run(
        "template", "--unit", "77777", "--year", "2018", "-o", str(tmp_path / "x.xlsx")
    )
    assert status == 2 and "Không có đơn vị mã 77777" in err


def test_a_village_template_when_a_village_set_is_in_force(commune, tmp_path, monkeypatch):
    import dataclasses

    from ntm.core import registry
    from ntm.core.model import Level
    from ntm.units.services import village_create

    village = village_create(commune=commune, name="Bản Sin Chải")
    village_set = dataclasses.replace(
        registry.get_set("qd1980-2016"), id="thon-thu", level=Level.VILLAGE
    )
    sets = {**registry.national_sets(), village_set.id: village_set}
    monkeypatch.setattr(registry, "national_sets", lambda: sets)
    book, path = build(tmp_path, "--unit", SAN_THANG, "--year", str(YEAR), "--level", "village")
    ws = book["Số liệu"]
    assert ws["A7"].value == village.code and ws["B7"].value == "Bản Sin Chải"
    ws[f"{column_of(ws, '14.2')}7"] = 66
    book.save(path)
    assert run("import", str(path), "--no-progress")[0] == 0
    stored = IndicatorValue.objects.get(unit=village)
    assert (stored.criteria_set, stored.value) == ("thon-thu", 66.0)
