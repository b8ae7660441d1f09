"""Workbooks and zips built byte by byte for the spreadsheet layer's tests."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

from openpyxl import Workbook

SHEET_PART = "xl/worksheets/sheet1.xml"
XLSX_TYPES = (
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def xlsx(build: Callable[[Workbook], object] | None = None) -> bytes:
    book = Workbook()
    if build is not None:
        build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezipped(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same zip with some parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename not in replace:
                target.writestr(item, source.read(item.filename))
        for name, content in replace.items():
            target.writestr(name, content)
    return out.getvalue()


def with_sheet_xml(cells: str) -> bytes:
    """A one-sheet workbook whose sheet holds exactly these <row> elements (as Excel writes
    them, cached values included, which openpyxl itself never writes)."""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1"/><sheetData>{cells}</sheetData></worksheet>'
    )
    return rezipped(xlsx(), {SHEET_PART: sheet.encode()})


def repeated_deflate(chunk: bytes, times: int) -> bytes:
    """Raw deflate of ``chunk * times`` without compressing it all: one block compressed once,
    ended by a full flush (byte-aligned, history reset), repeated, then an empty final block."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * times + b"\x03\x00"


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already deflated members: (name, deflated bytes, declared size, declared CRC).

    zipfile cannot write what it did not compress itself, nor lie about a size; this can.
    """
    out, directory = io.BytesIO(), io.BytesIO()
    for name, data, size, crc in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
            )
        )
        out.write(encoded + data)
        directory.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    out.write(directory.getvalue())
    count = len(members)
    out.write(
        struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory.getvalue()), start, 0
        )
    )
    return out.getvalue()


def deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def xlsx_members(sheet: tuple[bytes, int, int]) -> list[tuple[str, bytes, int, int]]:
    """The parts of a minimal workbook around a given (deflated, size, crc) sheet part."""
    workbook = (
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    parts = [("[Content_Types].xml", XLSX_TYPES), ("xl/workbook.xml", workbook)]
    members = [(n, deflated(d), len(d), zlib.crc32(d)) for n, d in parts]
    return [*members, (SHEET_PART, *sheet)]


def declaring_entries(data: bytes, count: int) -> bytes:
    """The same zip whose end record declares ``count`` entries, whatever it holds."""
    at = data.rfind(b"PK\x05\x06")
    fields = struct.pack("<2H", count, count)
    return data[: at + 8] + fields + data[at + 12 :]


def with_zip64_end(data: bytes) -> bytes:
    """The same zip (no comment) ended by Zip64 records, the end record saying "see Zip64"."""
    at = data.rfind(b"PK\x05\x06")
    count, size, start = struct.unpack("<2xHLL", data[at + 8 : at + 20])
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, start)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, at, 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return data[:at] + record + locator + end
