"""Which kinds of evidence file are accepted, judged by their first bytes, not their name.

Pure Python (no Django): the browser's Content-Type header and the file name are both chosen by
the uploader, so neither is trusted alone. The magic bytes must say the same as the extension.
An Office Open XML file is also looked inside by the spreadsheet layer's zip inspection, as the
importers look at theirs: macros (code Office runs on opening) and zip bombs are refused, and so
are embedded objects and ActiveX controls, which a reviewer opening the file could run. An
Office 97-2003 file is refused when it holds a VBA project.
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from ntm.spreadsheet import (
    MB,
    OLE_MAGIC,  # Word 97-2003 and Excel 97-2003 containers
    ZIP_MAGIC,
    SheetError,
    SheetLimits,
    check_directory,
    inspect_package,
)

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

# The part that makes a zip an Office Open XML document of that kind.
_OOXML_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
# An evidence file is at most a few dozen MB; unpacked, a report with photos stays well below.
PACKAGE_LIMITS = SheetLimits(max_unpacked=200 * MB)
# Every VBA project has a stream of this name (Word keeps it under "Macros/VBA", Excel under
# "_VBA_PROJECT_CUR/VBA"); an OLE2 directory holds names in UTF-16LE, matched ignoring case.
_VBA_STREAM = "_vba_project".encode("utf-16-le")
_CHUNK = 1 * MB


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
    if found == ZIP_MAGIC:
        found = _ooxml_kind(stream, expected)
    elif found == OLE_MAGIC:
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
    if head.startswith(OLE_MAGIC):
        return OLE_MAGIC
    if head.startswith(ZIP_MAGIC):
        return ZIP_MAGIC
    return None


def _ooxml_kind(stream: BinaryIO, expected: str) -> str | None:
    """A zip is only a .docx/.xlsx when it holds the content-types part and the main part."""
    try:
        check_directory(stream)  # before zipfile builds an object for every entry
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            names = {name.lower() for name in archive.namelist()}  # Office ignores the case
    except (SheetError, zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        stream.seek(0)
    if "[content_types].xml" not in names:
        return None
    part = _OOXML_PART.get(expected)
    return expected if part in names else None


def office_refusal(*, stream: BinaryIO, content_type: str) -> str | None:
    """Why an Office file is refused (macros, embedded code, encryption, zip bomb), or None.

    A file of another type is not looked into; the stream is left at its start.
    """
    if content_type in (DOC, XLS):
        return _vba_refusal(content_type) if _has_vba_project(stream) else None
    if content_type not in _OOXML_PART:
        return None
    stream.seek(0)
    try:
        package = inspect_package(stream, PACKAGE_LIMITS)
    except SheetError as exc:
        return exc.reason
    finally:
        stream.seek(0)
    parts = package.embedded_code()
    if parts:
        return (
            f"Tệp có đối tượng nhúng/ActiveX có thể chứa mã («{parts[0][:80]}») nên không được "
            "nhận vì lý do an toàn; hãy xóa đối tượng đó (hoặc chèn nội dung dưới dạng ảnh), "
            "lưu lại rồi gửi lại."
        )
    return None


def _has_vba_project(stream: BinaryIO) -> bool:
    """Whether an Office 97-2003 (OLE2) file holds a VBA project, without parsing it.

    A directory entry of the container never straddles a sector, so the UTF-16LE name of the
    project's stream is found by searching the raw bytes, a chunk at a time. Word keeps the
    text of a document in UTF-16LE too: one whose text holds "_VBA_PROJECT" is refused as well
    (rare, and on the safe side). Excel 4.0 macro sheets inside an .xls are not looked for.
    """
    stream.seek(0)
    carried = b""
    try:
        while chunk := stream.read(_CHUNK):
            window = carried + chunk.lower()
            if _VBA_STREAM in window:
                return True
            carried = window[-(len(_VBA_STREAM) - 1) :]
    finally:
        stream.seek(0)
    return False


def _vba_refusal(content_type: str) -> str:
    kind, saved_as = ("Word", "«Word Document (.docx)»")
    if content_type == XLS:
        kind, saved_as = ("Excel", "«Excel Workbook (.xlsx)»")
    return (
        f"Tệp {kind} 97-2003 có macro (VBA) không được nhận vì lý do an toàn; hãy mở bằng "
        f"{kind}, lưu lại dưới dạng {saved_as} rồi gửi lại."
    )
