"""Which kinds of evidence file are accepted, judged by their first bytes, not their name.

Pure Python (no Django): the browser's Content-Type header and the file name are both chosen by
the uploader, so neither is trusted alone. The magic bytes must say the same as the extension.
An Office Open XML file is also looked inside by the spreadsheet layer's zip inspection, as the
importers look at theirs: macros (code Office runs on opening) and zip bombs are refused.
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from ntm.spreadsheet import MB, SheetError, SheetLimits, inspect_package

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Extension -> the content type its magic bytes must show.
ALLOWED_EXTENSIONS = {
    "pdf": PDF,
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "doc": DOC,
    "xls": XLS,
    "docx": DOCX,
    "xlsx": XLSX,
}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and Excel 97-2003 containers
_ZIP = b"PK\x03\x04"
# The part that makes a zip an Office Open XML document of that kind.
_OOXML_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
# An evidence file is at most a few dozen MB; unpacked, a report with photos stays well below.
PACKAGE_LIMITS = SheetLimits(max_unpacked=200 * MB)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff_content_type(*, stream: BinaryIO, name: str) -> str | None:
    """The content type of an accepted file whose bytes match its extension, else None."""
    expected = ALLOWED_EXTENSIONS.get(extension_of(name))
    if expected is None:
        return None
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    found = _by_magic(head)
    if found == _ZIP:
        found = _ooxml_kind(stream, expected)
    elif found == _OLE2:
        # The OLE2 container is shared by .doc and .xls; the magic bytes rule out anything
        # else (an executable starts with "MZ"), and the extension tells which of the two.
        found = expected if expected in (DOC, XLS) else None
    return found if found == expected else None


def _by_magic(head: bytes) -> str | bytes | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_OLE2):
        return _OLE2
    if head.startswith(_ZIP):
        return _ZIP
    return None


def _ooxml_kind(stream: BinaryIO, expected: str) -> str | None:
    """A zip is only a .docx/.xlsx when it holds the content-types part and the main part."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        stream.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    part = _OOXML_PART.get(expected)
    return expected if part in names else None


def office_refusal(*, stream: BinaryIO, content_type: str) -> str | None:
    """Why an Office Open XML file is refused (macros, encryption, zip bomb), or None.

    A file of another type is not looked into; the stream is left at its start.
    """
    if content_type not in _OOXML_PART:
        return None
    stream.seek(0)
    try:
        inspect_package(stream, PACKAGE_LIMITS)
    except SheetError as exc:
        return exc.reason
    finally:
        stream.seek(0)
    return None
