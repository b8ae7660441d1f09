"""Evidence types are judged by magic bytes that must agree with the extension."""

import io
import zipfile

import pytest

from ntm.indicators import filetypes
from ntm.indicators.filetypes import (
    DOC,
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLS,
    XLSX,
    office_refusal,
    sniff_content_type,
)
from ntm.spreadsheet.package import MAX_PARTS

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def ooxml(part: str, *extra: tuple[str, bytes], types: str = "<Types/>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(part, "<x/>")
        for name, content in extra:
            archive.writestr(name, content)
    return out.getvalue()


def sniff(name: str, content: bytes) -> str | None:
    return sniff_content_type(stream=io.BytesIO(content), name=name)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.pdf", b"%PDF-1.7\n", PDF),
        ("a.PNG", b"\x89PNG\r\n\x1a\n....", PNG),
        ("a.jpg", b"\xff\xd8\xff\xe0..", JPEG),
        ("a.jpeg", b"\xff\xd8\xff\xe1..", JPEG),
        ("a.doc", OLE2, DOC),
        ("a.xls", OLE2, XLS),
        ("a.docx", ooxml("word/document.xml"), DOCX),
        ("a.xlsx", ooxml("xl/workbook.xml"), XLSX),
    ],
)
def test_it_accepts_each_allowed_type(name, content, expected):
    assert sniff(name, content) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.pdf", b"MZ\x90\x00"),  # a Windows executable renamed
        ("a.exe", b"MZ\x90\x00"),
        ("a.html", b"<html>"),
        ("a.pdf", b"\x89PNG\r\n\x1a\n"),  # right bytes, wrong name
        ("a.xlsx", ooxml("word/document.xml")),  # a Word file named .xlsx
        ("a.docx", b"PK\x03\x04broken"),
        ("a.pdf", OLE2),
        ("pdf", b"%PDF-1.7"),  # no extension at all
    ],
)
def test_it_refuses_what_does_not_match(name, content):
    assert sniff(name, content) is None


def test_it_leaves_the_stream_at_its_start():
    stream = io.BytesIO(ooxml("word/document.xml"))
    sniff_content_type(stream=stream, name="a.docx")
    assert stream.tell() == 0


@pytest.mark.parametrize(
    ("name", "content", "content_type", "words"),
    [
        ("a.docx", ooxml("word/document.xml", ("word/vbaProject.bin", b"\x00")), DOCX, "Word có"),
        ("a.xlsx", ooxml("xl/workbook.xml", ("xl/vbaProject.bin", b"\x00")), XLSX, "Excel có"),
        (
            "a.xlsx",
            ooxml("xl/workbook.xml", types="<Types>sheet.macroEnabled.main+xml</Types>"),
            XLSX,
            "Excel có macro",
        ),
    ],
)
def test_it_refuses_office_files_with_macros(name, content, content_type, words):
    stream = io.BytesIO(content)
    assert sniff_content_type(stream=stream, name=name) == content_type  # the type is right
    refusal = office_refusal(stream=stream, content_type=content_type)
    assert refusal is not None and words in refusal
    assert stream.tell() == 0


def test_it_refuses_an_office_file_that_unpacks_to_a_zip_bomb():
    bomb = ("word/media/blank.bmp", b"\x00" * (60 * 1024 * 1024))  # 60 MB of zeros, ~60 KB zipped
    refusal = office_refusal(stream=io.BytesIO(ooxml("word/document.xml", bomb)), content_type=DOCX)
    assert refusal is not None and "zip bomb" in refusal


def test_it_does_not_look_inside_other_types_and_accepts_plain_office_files():
    assert office_refusal(stream=io.BytesIO(b"%PDF-1.7"), content_type=PDF) is None
    assert office_refusal(stream=io.BytesIO(ooxml("word/document.xml")), content_type=DOCX) is None


def vba_in_ole(name: str, at: int = 1024) -> bytes:
    """An OLE2 container whose directory names a stream ``name`` at byte ``at``."""
    entry = name.encode("utf-16-le")
    return OLE2 + b"\x00" * (at - len(OLE2)) + entry + b"\x00" * 512


@pytest.mark.parametrize(
    ("content", "content_type", "words"),
    [
        (vba_in_ole("_VBA_PROJECT"), DOC, "Word 97-2003 có macro"),
        (vba_in_ole("_VBA_PROJECT_CUR"), XLS, "Excel 97-2003 có macro"),
        (vba_in_ole("_vba_project"), XLS, "có macro"),  # Office looks names up ignoring case
        (vba_in_ole("_VBA_PROJECT", at=1024 * 1024 - 7), DOC, "có macro"),  # across two reads
    ],
)
def test_it_refuses_old_office_files_holding_a_vba_project(content, content_type, words):
    stream = io.BytesIO(content)
    refusal = office_refusal(stream=stream, content_type=content_type)
    assert refusal is not None and words in refusal
    assert stream.tell() == 0


def test_it_accepts_old_office_files_without_macros():
    plain = vba_in_ole("WordDocument") + "SummaryInformation".encode("utf-16-le")
    assert office_refusal(stream=io.BytesIO(plain), content_type=DOC) is None
    assert office_refusal(stream=io.BytesIO(plain), content_type=XLS) is None


EMBEDDED_TYPES = (  # an OLE object renamed, still declared as one
    '<Types><Default Extension="bin" ContentType="application/vnd.openxmlformats-'
    'officedocument.oleObject"/></Types>'
)


@pytest.mark.parametrize(
    "content",
    [
        ooxml("word/document.xml", ("word/embeddings/oleObject1.bin", b"\x00")),
        ooxml("word/document.xml", ("word/embeddings/Microsoft_Word_Macro.DOCM", b"\x00")),
        ooxml("word/document.xml", ("word/activeX/activeX1.xml", b"<ax/>")),
        ooxml("word/document.xml", ("word/embeddings/picture.bin", b"\x00"), types=EMBEDDED_TYPES),
    ],
)
def test_it_refuses_office_files_with_embedded_objects_that_can_hold_code(content):
    refusal = office_refusal(stream=io.BytesIO(content), content_type=DOCX)
    assert refusal is not None and "đối tượng nhúng/ActiveX có thể chứa mã" in refusal


def test_it_accepts_the_workbook_word_embeds_for_a_chart():
    chart = ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", b"PK")
    content = ooxml("word/document.xml", chart)
    assert office_refusal(stream=io.BytesIO(content), content_type=DOCX) is None


def test_it_compares_part_names_ignoring_case():
    content = ooxml("WORD/DOCUMENT.XML", ("word/VBAPROJECT.BIN", b"\x00"))
    assert sniff("a.docx", content) == DOCX
    refusal = office_refusal(stream=io.BytesIO(content), content_type=DOCX)
    assert refusal is not None and "Word có macro" in refusal


def test_it_does_not_list_a_zip_of_too_many_parts(monkeypatch):
    parts = [(f"word/media/{i}.png", b"") for i in range(MAX_PARTS + 1)]
    content = ooxml("word/document.xml", *parts)
    monkeypatch.setattr(filetypes.zipfile, "ZipFile", None)  # never reached
    assert sniff("a.docx", content) is None
    refusal = office_refusal(stream=io.BytesIO(content), content_type=DOCX)
    assert refusal is not None and "quá nhiều" in refusal
