"""The zip is judged from its directory before anything parses it: bombs, macros, passwords."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from ntm.spreadsheet import SheetError, SheetLimits, inspect_package, open_workbook
from ntm.spreadsheet import workbook as layer_workbook
from ntm.spreadsheet.package import MAX_DIRECTORY, MAX_PARTS
from tests.spreadsheet.files import (
    SHEET_PART,
    declaring_entries,
    deflated,
    raw_zip,
    repeated_deflate,
    rezipped,
    with_zip64_end,
    xlsx,
    xlsx_members,
)

ROW = b'<row><c t="n"><v>0</v></c></row>'


def refused(data: bytes, limits: SheetLimits | None = None) -> SheetError:
    with pytest.raises(SheetError) as caught:
        open_workbook(data, limits or SheetLimits()).close()
    return caught.value


@pytest.fixture
def openpyxl_never_called(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to open the file")

    monkeypatch.setattr(layer_workbook, "load_workbook", fail)


def test_a_600_kb_workbook_unpacking_to_hundreds_of_mb_is_refused_before_parsing(
    openpyxl_never_called: None,
):
    chunk = ROW * (1024 * 1024 // len(ROW))
    # The CRC is left wrong on purpose: had the part been unpacked, the refusal would be
    # "broken", not "ratio".
    sheet = (repeated_deflate(chunk, 230), 230 * len(chunk), 0)
    data = raw_zip(xlsx_members(sheet))
    assert len(data) < 620 * 1024
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()) > 200 * 2**20
    error = refused(data)
    assert error.kind == "ratio"
    assert "zip bomb" in error.reason and SHEET_PART in error.reason


def test_the_sum_of_declared_sizes_is_refused_over_the_limit(openpyxl_never_called: None):
    error = refused(xlsx(), SheetLimits(max_unpacked=1000))
    assert error.kind == "unpacked" and "khi giải nén" in error.reason


def test_a_part_lying_about_its_size_cannot_unpack_more_than_it_declares():
    chunk = ROW * 4096
    body = repeated_deflate(chunk, 2000)  # about 270 MB once unpacked
    sheet = (body, 1000, zlib.crc32(b"x"))  # declares 1,000 bytes
    error = refused(raw_zip(xlsx_members(sheet)))
    assert error.kind == "broken"


def test_a_macro_workbook_is_refused_by_its_vba_part(openpyxl_never_called: None):
    error = refused(rezipped(xlsx(), {"xl/vbaProject.bin": b"\x00" * 10}))
    assert error.kind == "macro" and "macro (.xlsm)" in error.reason


def test_a_macro_workbook_is_refused_by_its_content_type(openpyxl_never_called: None):
    data = xlsx()
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    types = types.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
    assert refused(rezipped(data, {"[Content_Types].xml": types})).kind == "macro"


def test_a_password_protected_or_old_xls_file_is_refused(openpyxl_never_called: None):
    error = refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert error.kind == "encrypted"
    assert "mật khẩu" in error.reason and "Excel 97-2003" in error.reason


def test_a_zip_with_encrypted_parts_is_refused(openpyxl_never_called: None):
    data = bytearray(xlsx())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data[at + 8] |= 0x1  # the "encrypted" flag of each directory entry
        at = data.find(b"PK\x01\x02", at + 4)
    assert refused(bytes(data)).kind == "encrypted"


def test_a_zip_of_too_many_parts_is_refused_before_zipfile_lists_them(openpyxl_never_called: None):
    parts = [(f"p{i}", deflated(b""), 0, 0) for i in range(MAX_PARTS + 1)]
    assert refused(raw_zip(parts)).kind == "parts"


def too_many_parts() -> bytes:
    return raw_zip([(f"p{i}", deflated(b""), 0, 0) for i in range(MAX_PARTS + 1)])


def refused_package(data: bytes) -> SheetError:
    with pytest.raises(SheetError) as caught:
        inspect_package(data, SheetLimits())
    return caught.value


def test_a_zip_declaring_one_entry_is_refused_by_the_parts_its_directory_holds(
    monkeypatch: pytest.MonkeyPatch,
):
    data = declaring_entries(too_many_parts(), 1)
    assert len(zipfile.ZipFile(io.BytesIO(data)).infolist()) == MAX_PARTS + 1  # zipfile reads all

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("zipfile was asked to read the directory")

    monkeypatch.setattr(zipfile, "ZipFile", fail)
    error = refused_package(data)
    assert error.kind == "parts" and f"{MAX_PARTS + 1} phần" in error.reason


def test_a_zip64_end_record_is_followed_to_the_directory_it_describes():
    assert refused_package(declaring_entries(with_zip64_end(too_many_parts()), 1)).kind == "parts"
    assert inspect_package(with_zip64_end(xlsx()), SheetLimits()).names


def test_a_directory_larger_than_any_office_file_needs_is_refused_before_it_is_read():
    name = "x" * 0xFFFF  # 80 entries of the longest name a zip allows: 5 MB of directory
    data = raw_zip([(f"{i}{name}"[:0xFFFF], deflated(b""), 0, 0) for i in range(80)])
    error = refused_package(data)
    assert len(data) // 2 > MAX_DIRECTORY and error.kind == "parts" and "danh mục" in error.reason


def test_a_vba_part_renamed_is_found_by_its_content_type(openpyxl_never_called: None):
    types = b'<Types><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    data = rezipped(xlsx(), {"[Content_Types].xml": types + b"</Types>", "xl/code.bin": b"\0"})
    assert refused(data).kind == "macro"


def test_content_types_are_compared_ignoring_case(openpyxl_never_called: None):
    # Office reads part names ignoring case: either spelling may be the content types it uses.
    types = b"<Types>sheet.MACROENABLED.main+xml</Types>"
    assert refused(rezipped(xlsx(), {"[CONTENT_TYPES].XML": types})).kind == "macro"


def test_an_excel_4_macro_sheet_is_a_macro(openpyxl_never_called: None):
    assert refused(rezipped(xlsx(), {"XL/MacroSheets/sheet1.xml": b"<x/>"})).kind == "macro"


def test_a_word_document_is_not_a_workbook(openpyxl_never_called: None):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types>wordprocessingml</Types>")
        archive.writestr("word/document.xml", b"<w/>")
    error = refused(out.getvalue())
    assert error.kind == "not_xlsx" and "Word" in error.reason


def test_a_word_document_with_macros_is_named_as_such():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w/>")
        archive.writestr("word/vbaProject.bin", b"\x00")
    with pytest.raises(SheetError) as caught:
        inspect_package(out.getvalue(), SheetLimits())
    assert "Word có macro (.docm)" in caught.value.reason


def test_a_file_over_the_size_limit_is_refused_before_anything_else(openpyxl_never_called: None):
    error = refused(xlsx(), SheetLimits(max_bytes=100))
    assert error.kind == "size" and "vượt giới hạn" in error.reason


def test_inspecting_a_stream_leaves_it_where_it_was():
    stream = io.BytesIO(xlsx())
    package = inspect_package(stream, SheetLimits())
    assert stream.tell() == 0 and "xl/workbook.xml" in package.names
