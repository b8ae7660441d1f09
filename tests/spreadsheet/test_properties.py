"""Whatever the bytes, the layer answers with its own error or with rows: never another
exception (which would reach the user as a server error)."""

from __future__ import annotations

import contextlib
import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from ntm.spreadsheet import (
    SheetError,
    SheetLimits,
    csv_rows,
    decode_text,
    inspect_package,
    open_workbook,
)
from tests.spreadsheet.files import SHEET_PART, XLSX_TYPES, xlsx

LIMITS = SheetLimits(max_bytes=1 << 20, max_rows=200, max_cells=1000, max_sheets=5)
PARTS = [
    "[Content_Types].xml",
    "xl/workbook.xml",
    SHEET_PART,
    "xl/sharedStrings.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/vbaProject.bin",
    "xl/styles.xml",
]
FRAGMENTS = [
    b"<",
    b">",
    b"/",
    b"row",
    b"c",
    b"v",
    b"f",
    b'r="A1"',
    b't="s"',
    b't="e"',
    b"0",
    b"1",
    b"#REF!",
    b"sheetData",
    b"worksheet",
    b"mergeCell",
    b'ref="A1:B2"',
    b"\x00",
    b"\xff",
]


def read_all(data: bytes) -> None:
    """Open and read every row and merged range; only SheetError may escape."""
    try:
        with open_workbook(data, LIMITS) as book:
            for sheet in book.sheets:
                for _ in sheet.rows():
                    pass
                sheet.merged_ranges()
    except SheetError as exc:
        assert exc.reason.strip()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_raise_nothing_but_the_layers_error(data: bytes):
    read_all(data)
    read_all(b"PK\x03\x04" + data)
    with contextlib.suppress(SheetError):
        inspect_package(data, LIMITS)
    with contextlib.suppress(SheetError):
        for _ in csv_rows(decode_text(data), ",", LIMITS):
            pass


@st.composite
def small_zips(draw: st.DrawFn) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(
        out, "w", draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    ) as archive:
        for name in draw(st.lists(st.sampled_from(PARTS), unique=True, max_size=len(PARTS))):
            if name == "[Content_Types].xml" and draw(st.booleans()):
                content = XLSX_TYPES
            else:
                content = b"".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=60)))
            archive.writestr(name, content)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(small_zips())
def test_random_small_zips_raise_nothing_but_the_layers_error(data: bytes):
    read_all(data)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(xlsx()) - 1), st.integers(0, 255)), min_size=1, max_size=8
    )
)
def test_a_corrupted_real_workbook_raises_nothing_but_the_layers_error(
    spots: list[tuple[int, int]],
):
    data = bytearray(xlsx(lambda book: book.active.append(["mã", 1, "=A1", "#REF!"])))
    for at, byte in spots:
        data[at] = byte
    read_all(bytes(data))
