"""`ntm report` on the demo: the Word, Excel and PDF files, opened and checked against
`ntm summary` and `ntm resources` (the report and the pages must never disagree)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from ntm.reports.content import report_document
from ntm.reports.data import report_data
from ntm.reports.document import Header
from ntm.units.selectors import unit_for_year

pytestmark = pytest.mark.django_db


def _json(command: str, **options: object) -> dict:
    out = io.StringIO()
    call_command(command, stdout=out, **options)
    return json.loads(out.getvalue())


def _report(tmp_path: Path, fmt: str, year: int = 2018, **options: object) -> Path:
    path = tmp_path / f"report.{fmt}"
    call_command(
        "report",
        unit="12",
        year=year,
        format=fmt,
        output=str(path),
        verbosity=0,
        stdout=io.StringIO(),
        **options,
    )
    return path


def _docx_text(path: Path) -> str:
    word = Document(str(path))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def test_the_2018_word_report_carries_the_reference_figures(demo, tmp_path):
    text = _docx_text(_report(tmp_path, "docx"))
    assert "2,88" in text  # 2011, the programme's first year
    assert "13,43" in text  # 2018
    assert "29 xã" in text
    assert "số liệu mô phỏng" in text  # the demo's invented values are labelled


def test_the_word_report_has_the_administrative_layout(demo, tmp_path):
    path = _report(
        tmp_path,
        "docx",
        issuer="Văn phòng điều phối NTM tỉnh",
        number="15/BC-VPĐP",
        place="Lai Châu",
        date="2019-02-05",
        signer="Nguyễn Văn A",
        signer_title="Chánh văn phòng",
        recipient=["Ban Chỉ đạo tỉnh"],
    )
    word = Document(str(path))
    assert word.styles["Normal"].font.name == "Times New Roman"
    section = word.sections[0]
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    header = "\n".join(c.text for c in word.tables[0].rows[0].cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Độc lập - Tự do - Hạnh phúc" in header
    assert "VĂN PHÒNG ĐIỀU PHỐI NTM TỈNH" in header
    assert "Số: 15/BC-VPĐP" in header
    assert "Lai Châu, ngày 05 tháng 02 năm 2019" in header
    text = _docx_text(path)
    assert "Nơi nhận:" in text and "- Ban Chỉ đạo tỉnh;" in text
    assert "CHÁNH VĂN PHÒNG" in text and "Nguyễn Văn A" in text


def test_the_word_report_opens_with_its_header_and_ends_with_the_appendix(demo, tmp_path):
    word = Document(str(_report(tmp_path, "docx")))
    texts = [p.text for p in word.paragraphs if p.text.strip()]
    assert texts[0] == "BÁO CÁO"
    assert texts.index("PHỤ LỤC") > texts.index("BÁO CÁO")
    assert word.element.body.index(word.tables[0]._tbl) == 0  # the header block comes first


def test_fields_left_empty_are_dotted_never_invented(demo, tmp_path):
    header = "\n".join(
        c.text for c in Document(str(_report(tmp_path, "docx"))).tables[0].rows[0].cells
    )
    assert "Số: ……/BC-……" in header
    assert "ngày …… tháng …… năm ……" in header


def test_every_figure_agrees_with_ntm_summary_and_ntm_resources(demo):
    unit = unit_for_year(code="12", year=2018)
    data = report_data(unit=unit, year=2018)
    doc = report_document(data=data.data, digest=data.digest, header=Header())
    figure = {f.key: f for f in doc.figures}
    for year, suffix in ((2018, ""), (2017, "_previous"), (2011, "_first")):
        summary = _json("summary", unit="12", year=year, format="json")
        assert figure[f"avg_criteria{suffix}"].value == summary["avg_criteria"]
        if suffix != "_first":
            assert figure[f"meeting_standard{suffix}"].value == summary["meeting_standard"]
    summary = _json("summary", unit="12", year=2018, format="json")
    for label, count in summary["buckets"].items():
        assert figure[f"bucket_{label}"].value == count
    resources = _json("resources", unit="12", year_from=2011, year_to=2020)
    assert figure["capital_2011_2020_total"].value == resources["capital"]["total"]
    for code, amount in resources["capital"]["by_source"].items():
        assert figure[f"capital_2011_2020_{code}"].value == amount
    assert figure["capital_2011_2020_unclassified"].value == resources["capital"]["unclassified"]
    forecast = _json("forecast", unit="12", target_year=2020, base_year=2018, format="json")
    assert figure["forecast_count"].value == forecast["expected"]["count"]
    assert forecast["base_year"] == 2018  # the report of 2018 reads no later data
    training = _json("resources", unit="12", year_from=2011, year_to=2018)["training"]
    assert figure["training_courses"].value == training["courses"]
    assert figure["training_attendances"].value == training["attendances"]


def test_the_appendix_lists_each_figure_with_its_query_and_the_data_hash(demo, tmp_path):
    path = _report(tmp_path, "docx")
    text = _docx_text(path)
    unit = unit_for_year(code="12", year=2018)
    digest = report_data(unit=unit, year=2018).digest
    assert f"(SHA-256): {digest}" in text
    assert "ntm summary --unit 12 --year 2018" in text
    assert "ntm resources --unit 12 --from 2011 --to 2020" in text
    assert "Số đơn vị có Ban Chỉ đạo" in text and "steering_committee" not in text


def test_the_data_hash_changes_when_a_value_behind_the_report_changes(demo):
    from ntm.indicators.models import Evaluation

    unit = unit_for_year(code="12", year=2018)
    before = report_data(unit=unit, year=2018).digest
    assert report_data(unit=unit, year=2018).digest == before  # same data, same hash
    row = Evaluation.objects.filter(year=2018).order_by("pk").first()
    Evaluation.objects.filter(pk=row.pk).update(criteria_met=row.criteria_met - 1)
    assert report_data(unit=unit, year=2018).digest != before


def test_the_excel_annex_has_one_row_per_commune_and_formula_totals(demo, tmp_path):
    wb = load_workbook(_report(tmp_path, "xlsx"))
    ws = wb["Tiêu chí theo xã"]
    head = [c.value for c in ws[3]]
    assert head[:4] == ["STT", "Huyện", "Xã", "Mã xã"]
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert len(rows) == 96
    assert sum(1 for r in rows if r[-1] == "Đạt") == 29
    total = [c.value for c in ws[ws.max_row]]
    assert total[4].startswith("=COUNTIF(E4:E99")
    assert {"Vốn theo nguồn", "Đóng góp cộng đồng", "Đào tạo, tập huấn", "Nguồn số liệu"} <= set(
        wb.sheetnames
    )
    capital = wb["Vốn theo nguồn"]
    formulas = [c.value for row in capital.iter_rows() for c in row if c.data_type == "f"]
    assert any(str(f).startswith("=C") and "SUM(" in str(f) for f in formulas)  # checked sum


def test_the_pdf_embeds_its_font_and_renders_the_vietnamese_text(demo, tmp_path):
    path = _report(tmp_path, "pdf")
    raw = path.read_bytes()
    assert b"/FontFile2" in raw  # the TrueType font is inside the file
    pdf = pdfium.PdfDocument(str(path))
    first = pdf[0]
    text = first.get_textpage().get_text_range()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    all_text = "".join(pdf[k].get_textpage().get_text_range() for k in range(len(pdf)))
    assert "13,43" in all_text and "2,88" in all_text
    image = first.render(scale=0.5).to_pil().convert("L")
    width, height = image.size
    # ink on the page, inside the margins (30 mm left, 15 mm right of 210 mm)
    box = image.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert box is not None
    left, top, right, bottom = box
    assert left >= width * 25 / 210 and right <= width * (1 - 12 / 210)
    assert bottom - top > height / 2  # a full first page, not a broken layout


def test_a_2026_report_has_no_districts_and_says_the_sets_differ(demo):
    unit = unit_for_year(code="12", year=2026)
    data = report_data(unit=unit, year=2026)
    doc = report_document(data=data.data, digest=data.digest, header=Header())
    text = doc.text()
    assert "Kết quả theo đơn vị trực thuộc" not in text
    assert "10 tiêu chí" in text and "19 tiêu chí" in text


def test_a_half_year_report_counts_to_the_end_of_june(demo):
    unit = unit_for_year(code="12", year=2019)
    data = report_data(unit=unit, year=2019, period="h1").data
    assert data["period_end"] == "2019-06-30"
    doc = report_document(data=data, digest="x", header=Header())
    assert "6 tháng đầu năm 2019" in doc.subtitle


def test_refusals_are_vietnamese_sentences(demo, tmp_path):
    with pytest.raises(CommandError, match="Không có đơn vị mã 99"):
        _report_code(tmp_path, "99", 2018)
    with pytest.raises(CommandError, match="chưa có kết quả đánh giá năm 2030"):
        _report_code(tmp_path, "12", 2030)
    with pytest.raises(CommandError, match="phải có dạng YYYY-MM-DD"):
        _report(tmp_path, "docx", date="5/2/2019")


def _report_code(tmp_path: Path, code: str, year: int) -> None:
    call_command(
        "report",
        unit=code,
        year=year,
        format="pdf",
        output=str(tmp_path / "x.pdf"),
        verbosity=0,
        stdout=io.StringIO(),
    )
