"""Rows and cells as the file holds them: values, formulas with or without a computed value,
Excel errors with their place, and the limits on sheets, rows and cells."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from ntm.spreadsheet import (
    SheetCell,
    SheetError,
    SheetLimits,
    cell_problem,
    open_workbook,
)
from tests.spreadsheet.files import with_sheet_xml, xlsx


def cells_of(data: bytes, limits: SheetLimits | None = None) -> dict[str, SheetCell]:
    with open_workbook(data, limits or SheetLimits()) as book:
        return {c.coordinate: c for s in book.sheets for r in s.rows() for c in r.cells}


def test_an_excel_error_is_reported_with_its_coordinates():
    def build(book: Workbook) -> None:
        book.active.title = "Vốn"
        book.active["C4"] = "#REF!"

    with open_workbook(xlsx(build), SheetLimits()) as book:
        sheet = book.sheets[0]
        [row] = [r for r in sheet.rows() if r.number == 4]
    cell = row.cell(3)
    assert (sheet.title, cell.coordinate, cell.error) == ("Vốn", "C4", "#REF!")
    assert cell_problem(cell, formulas=True) == "ô báo lỗi #REF! của Excel, không có giá trị"


def test_a_formula_with_a_cached_value_gives_that_value_when_formulas_are_taken():
    cells = cells_of(with_sheet_xml('<row r="2"><c r="B2"><f>1+1</f><v>2</v></c></row>'))
    cell = cells["B2"]
    assert (cell.value, cell.formula) == (2, "=1+1")
    assert cell_problem(cell, formulas=True) is None
    assert "Paste Values" in (cell_problem(cell, formulas=False) or "")


def test_a_formula_without_a_cached_value_is_refused_with_the_reason():
    cells = cells_of(with_sheet_xml('<row r="3"><c r="A3"><f>SUM(B1:B2)</f></c></row>'))
    reason = cell_problem(cells["A3"], formulas=True) or ""
    assert "«=SUM(B1:B2)»" in reason and "không lưu kết quả tính" in reason


def test_a_formula_computing_an_error_is_an_error():
    xml = '<row r="1"><c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
    cell = cells_of(with_sheet_xml(xml))["A1"]
    assert cell.error == "#DIV/0!" and cell_problem(cell, formulas=True) == (
        "ô báo lỗi #DIV/0! của Excel, không có giá trị"
    )


def test_shared_formulas_are_read_as_each_cell_writes_them():
    xml = (
        '<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">B1*2</f><v>2</v></c></row>'
        '<row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c></row>'
    )
    cells = cells_of(with_sheet_xml(xml))
    assert [cells["A1"].formula, cells["A2"].formula] == ["=B1*2", "=B2*2"]


def test_rows_keep_their_numbers_and_cells_their_columns_across_gaps():
    def build(book: Workbook) -> None:
        book.active["A1"] = "tiêu đề"
        book.active["D7"] = 75.5
        book.active["D7"].number_format = "0.0%"

    with open_workbook(xlsx(build), SheetLimits()) as book:
        rows = list(book.sheets[0].rows())
    assert [r.number for r in rows] == [1, 7]
    assert rows[1].values == (None, None, None, 75.5)
    assert rows[1].cells[3].number_format == "0.0%"


def test_merged_ranges_are_found_in_read_only_mode():
    def build(book: Workbook) -> None:
        book.active.merge_cells("A1:C1")
        book.active.merge_cells("B5:B9")

    with open_workbook(xlsx(build), SheetLimits()) as book:
        assert book.sheets[0].merged_ranges() == ["A1:C1", "B5:B9"]


def test_too_many_rows_are_refused_naming_the_sheet():
    def build(book: Workbook) -> None:
        book.active.title = "Dài"
        for n in range(10):
            book.active.append([n])

    with (
        open_workbook(xlsx(build), SheetLimits(max_rows=5)) as book,
        pytest.raises(SheetError) as caught,
    ):
        list(book.sheets[0].rows())
    assert (caught.value.kind, caught.value.sheet) == ("rows", "Dài")
    assert "hơn 5 dòng" in caught.value.reason


def test_rows_are_counted_over_every_sheet_of_the_book():
    def build(book: Workbook) -> None:
        for name in ("A", "B"):
            sheet = book.create_sheet(name)
            for n in range(4):
                sheet.append([n])

    with (
        open_workbook(xlsx(build), SheetLimits(max_rows=6)) as book,
        pytest.raises(SheetError) as caught,
    ):
        for sheet in book.sheets:
            list(sheet.rows())
    assert caught.value.kind == "rows" and caught.value.sheet == "B"


def test_too_many_cells_are_refused():
    def build(book: Workbook) -> None:
        for n in range(5):
            book.active.append([n, n, n])

    with pytest.raises(SheetError) as caught:
        cells_of(xlsx(build), SheetLimits(max_cells=10))
    assert caught.value.kind == "cells" and "hơn 10 ô," in caught.value.reason


def test_a_lone_cell_far_to_the_right_counts_every_cell_before_it():
    rows = "".join(f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(1, 4))
    with pytest.raises(SheetError) as caught:
        cells_of(with_sheet_xml(rows), SheetLimits(max_cells=40_000))
    assert caught.value.kind == "cells"


def test_too_many_sheets_are_refused():
    def build(book: Workbook) -> None:
        for n in range(4):
            book.create_sheet(f"T{n}")

    with pytest.raises(SheetError) as caught:
        open_workbook(xlsx(build), SheetLimits(max_sheets=3))
    assert caught.value.kind == "sheets" and "hơn 3 trang tính" in caught.value.reason


def test_a_broken_sheet_part_is_refused_while_its_rows_are_read():
    data = with_sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row><row')
    with open_workbook(data, SheetLimits()) as book, pytest.raises(SheetError) as caught:
        list(book.sheets[0].rows())
    assert caught.value.kind == "broken" and caught.value.reason.startswith("Không đọc được")


def test_an_error_names_its_place_in_a_vietnamese_sentence():
    error = SheetError("ô báo lỗi #REF! của Excel", sheet="Vốn", row=4, column="C")
    assert error.text() == "Trang «Vốn», dòng 4, cột C: ô báo lỗi #REF! của Excel"
    assert SheetError("Tệp rỗng (0 byte).").text() == "Tệp rỗng (0 byte)."
