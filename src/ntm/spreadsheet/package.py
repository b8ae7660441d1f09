"""Office Open XML packages (.xlsx, .docx, .pptx) looked at before anything parses them.

Everything here reads the zip's central directory, bounded before zipfile reads it, and the
content types part only: names, declared sizes, flags, content types. A zip bomb is refused from what it declares (the sum of the sizes, and the compression ratio of each
part), so nothing is unpacked to find out. A part that lies about its size cannot unpack more
than it declares either: Python's zipfile stops every read at the declared size and then fails
the CRC check, which openpyxl's errors turn into "broken" (tests/spreadsheet proves it).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from ntm.spreadsheet.errors import MB, SheetError, SheetLimits, megabytes

ZIP_MAGIC = b"PK\x03\x04"
# The Compound File Binary container: Excel 97-2003 (.xls), Word 97-2003 (.doc), and every
# password-protected Office file (an encrypted .xlsx is an OLE file holding the package).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONTENT_TYPES = "[Content_Types].xml"

MAX_PARTS = 10_000  # a workbook with a few hundred sheets has a few thousand parts
MAX_CONTENT_TYPES = 1 * MB
# Deflate cannot do better than about 1:1032; a bomb sits near that. A real sheet part
# compresses 10 to 50 times (measured with openpyxl: 300,000 rows of values 14:1, 200,000
# styled blank rows 10:1).
MAX_RATIO = 200
RATIO_FROM = 10 * MB  # small parts may compress as they like
# zipfile reads the whole central directory whatever count the end record gives, and builds an
# object for every entry in it (about 1.5 KB each): the directory is bounded, not the count.
# An entry is 46 bytes plus its name and extra fields; Office names are under 100 characters.
MAX_DIRECTORY = MAX_PARTS * 512
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_EOCD64 = b"PK\x06\x06"
_EOCD64_SIZE = 56
_LOCATOR64 = b"PK\x06\x07"
_LOCATOR64_SIZE = 20
_MAX_COMMENT = 0xFFFF
_ENTRY = b"PK\x01\x02"
# Office documents that may carry macros, when embedded in another one.
_MACRO_DOCUMENTS: tuple[str, ...] = (".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".xlsb")
_MACRO_DOCUMENTS += (".pptm", ".potm", ".ppsm", ".sldm", ".ppam")


@dataclass(frozen=True)
class Package:
    """What a zip holds, as its directory says."""

    names: tuple[str, ...]
    content_types: bytes
    unpacked: int

    def embedded_code(self) -> tuple[str, ...]:
        """Parts that may hold code Office runs when asked: embedded macro documents, OLE
        objects, ActiveX controls (refused as evidence; an importer never opens them)."""
        found = tuple(n for n in self.names if _holds_code(n))
        types = self.content_types.lower()
        if not found and (b"oleobject" in types or b"activex" in types):
            return (CONTENT_TYPES,)  # a part renamed, still declared as such
        return found


def _holds_code(name: str) -> bool:
    """An embedded macro document, an OLE object (which can wrap any program) or a part of an
    ActiveX control; compared in lower case, as Office compares part names."""
    path = "/" + name.lower()
    base = path.rsplit("/", 1)[-1]
    if "/activex/" in path or (base.startswith("oleobject") and base.endswith(".bin")):
        return True
    return "/embeddings/" in path and base.endswith(_MACRO_DOCUMENTS)


def refuse_ole() -> SheetError:
    return SheetError(
        "Tệp được đặt mật khẩu hoặc là định dạng cũ (.xls, .doc của Office 97-2003): ntm không "
        "đọc được. Hãy bỏ mật khẩu nếu có, rồi mở bằng Excel và lưu lại dưới dạng «Excel "
        "Workbook (.xlsx)» (Excel 97-2003 không được hỗ trợ).",
        kind="encrypted",
    )


def inspect_package(source: bytes | BinaryIO, limits: SheetLimits) -> Package:
    """The package's parts, or SheetError: not a zip, encrypted, macros, or a zip bomb."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    start = stream.tell()
    try:
        check_directory(stream)
        stream.seek(start)
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            _check_sizes(infos, limits)
            names = tuple(info.filename for info in infos)
            types = _content_types(archive, infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError):
        raise SheetError(
            "Tệp nén bị hỏng hoặc không phải tệp Office (.xlsx, .docx) đọc được.", kind="not_zip"
        ) from None
    except (RuntimeError, NotImplementedError):  # a zip password, or an unknown compression
        raise _encrypted() from None
    finally:
        stream.seek(start)
    if _has_macros(names, types):
        raise _macros(names)
    return Package(names, types, sum(info.file_size for info in infos))


def _has_macros(names: tuple[str, ...], types: bytes) -> bool:
    """VBA or Excel 4.0 macro sheets, found by part name or by declared content type.

    Office compares part names and content types ignoring case, so both are compared in lower
    case; a VBA part renamed is still declared as "application/vnd.ms-office.vbaProject".
    """
    declared = types.lower()
    if any(word in declared for word in (b"macroenabled", b"vbaproject", b"macrosheet")):
        return True
    lowered = [n.lower() for n in names]
    return any(n.endswith("vbaproject.bin") or "/macrosheets/" in n for n in lowered)


def _macros(names: tuple[str, ...]) -> SheetError:
    """Macros are code that Office runs on opening: refused in every file, named by its kind."""
    kind, saved_as = "Excel", "«Excel Workbook (.xlsx)»"
    if any(n.lower().startswith("word/") for n in names):
        kind, saved_as = "Word", "«Word Document (.docx)»"
    elif any(n.lower().startswith("ppt/") for n in names):
        kind, saved_as = "PowerPoint", "«PowerPoint Presentation (.pptx)»"
    suffix = {"Excel": "xlsm", "Word": "docm", "PowerPoint": "pptm"}[kind]
    return SheetError(
        f"Tệp {kind} có macro (.{suffix}) không được nhận vì lý do an toàn; hãy lưu lại dưới "
        f"dạng {saved_as} rồi gửi lại.",
        kind="macro",
    )


def _encrypted() -> SheetError:
    return SheetError(
        "Tệp có mật khẩu hoặc nén theo cách không đọc được; hãy bỏ mật khẩu và lưu lại "
        "dưới dạng .xlsx.",
        kind="encrypted",
    )


def check_directory(stream: BinaryIO) -> None:
    """Refuse a zip of too many entries before zipfile builds an object for each.

    zipfile ignores the entry count of the end record: it reads as many bytes of directory as
    the record (or the Zip64 record) says, and makes an entry of every 46-byte header in them.
    So the same bytes are found as zipfile finds them, bounded, then their headers counted.
    The stream is left anywhere.
    """
    span = _directory_span(stream)
    if span is None:
        return  # zipfile will say it is not a zip
    begin, size = span
    if size > MAX_DIRECTORY:
        raise _too_many_parts(f"danh mục {size // 1024} KB")
    stream.seek(begin)
    entries = stream.read(size).count(_ENTRY)  # every entry starts so, or zipfile refuses it
    if entries > MAX_PARTS:
        raise _too_many_parts(f"{entries} phần")


def _too_many_parts(what: str) -> SheetError:
    return SheetError(
        f"Tệp nén có {what}, quá nhiều cho một tệp Office (tối đa {MAX_PARTS} phần): không đọc.",
        kind="parts",
    )


def _directory_span(stream: BinaryIO) -> tuple[int, int] | None:
    """Where the central directory starts and its size, as zipfile (3.11) reads them:
    ``_EndRecData`` and ``_EndRecData64`` for the records, ``_RealGetContents`` for the start
    (the end record's place less the directory size, whatever offset the record gives)."""
    stream.seek(0, io.SEEK_END)
    tail_at = max(0, stream.tell() - _EOCD_SIZE - _MAX_COMMENT - 1)
    stream.seek(tail_at)
    tail = stream.read()
    at = len(tail) - _EOCD_SIZE
    if not (at >= 0 and tail.startswith(_EOCD, at) and tail.endswith(b"\0\0")):
        at = tail.rfind(_EOCD)  # a comment follows the record
        if at < 0 or len(tail) < at + _EOCD_SIZE:
            return None
    end = tail_at + at
    (size,) = struct.unpack("<L", tail[at + 12 : at + 16])
    record64 = _zip64_size(stream, end)
    if record64 is not None:
        size, end = record64, end - _LOCATOR64_SIZE - _EOCD64_SIZE
    return (end - size, size) if end >= size else None


def _zip64_size(stream: BinaryIO, end: int) -> int | None:
    """The directory size of the Zip64 record before the end record at ``end``, if any."""
    if end < _LOCATOR64_SIZE + _EOCD64_SIZE:
        return None
    stream.seek(end - _LOCATOR64_SIZE)
    if not stream.read(_LOCATOR64_SIZE).startswith(_LOCATOR64):
        return None
    stream.seek(end - _LOCATOR64_SIZE - _EOCD64_SIZE)
    record = stream.read(_EOCD64_SIZE)
    if not record.startswith(_EOCD64):
        return None
    (size,) = struct.unpack("<Q", record[40:48])
    return int(size)


def _check_sizes(infos: list[zipfile.ZipInfo], limits: SheetLimits) -> None:
    if any(info.flag_bits & 0x1 for info in infos):
        raise _encrypted()
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unpacked:
        raise SheetError(
            f"Tệp khi giải nén lớn {unpacked // MB} MB, vượt giới hạn "
            f"{megabytes(limits.max_unpacked)} MB; hãy chia thành nhiều tệp nhỏ hơn.",
            kind="unpacked",
        )
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise SheetError(
                f"Phần «{info.filename[:80]}» của tệp nén lại hơn {MAX_RATIO} lần (giải nén "
                f"{info.file_size // MB} MB): tệp bất thường (zip bomb), không đọc.",
                kind="ratio",
            )


def _content_types(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> bytes:
    """Every part named [Content_Types].xml in any case, joined: Office ignores the case of
    part names, so any of them may be the one it reads."""
    data = b""
    for info in infos:
        if info.filename.lower() == CONTENT_TYPES.lower():
            with archive.open(info) as part:
                data += part.read(MAX_CONTENT_TYPES + 1 - len(data))
            if len(data) > MAX_CONTENT_TYPES:
                raise SheetError(
                    f"Phần «{CONTENT_TYPES}» của tệp lớn bất thường, không đọc.", kind="broken"
                )
    return data
