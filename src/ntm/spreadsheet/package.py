"""Office Open XML packages (.xlsx, .docx, .pptx) looked at before anything parses them.

Everything here reads the zip's central directory only: names, declared sizes, flags. A zip
bomb is refused from what it declares (the sum of the sizes, and the compression ratio of each
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
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_MAX_COMMENT = 0xFFFF


@dataclass(frozen=True)
class Package:
    """What a zip holds, as its directory says."""

    names: tuple[str, ...]
    content_types: bytes
    unpacked: int


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
        _check_part_count(stream)
        stream.seek(start)
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            _check_sizes(infos, limits)
            names = tuple(info.filename for info in infos)
            types = _read_bounded(archive, CONTENT_TYPES) if CONTENT_TYPES in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError):
        raise SheetError(
            "Tệp nén bị hỏng hoặc không phải tệp Office (.xlsx, .docx) đọc được.", kind="not_zip"
        ) from None
    except (RuntimeError, NotImplementedError):  # a zip password, or an unknown compression
        raise _encrypted() from None
    finally:
        stream.seek(start)
    if b"macroEnabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _macros(names)
    return Package(names, types, sum(info.file_size for info in infos))


def _macros(names: tuple[str, ...]) -> SheetError:
    """Macros are code that Office runs on opening: refused in every file, named by its kind."""
    kind, saved_as = "Excel", "«Excel Workbook (.xlsx)»"
    if any(n.startswith("word/") for n in names):
        kind, saved_as = "Word", "«Word Document (.docx)»"
    elif any(n.startswith("ppt/") for n in names):
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


def _check_part_count(stream: BinaryIO) -> None:
    """Refuse a directory of millions of entries before zipfile builds an object for each."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    tail_at = max(0, size - _EOCD_SIZE - _MAX_COMMENT)
    stream.seek(tail_at)
    tail = stream.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + _EOCD_SIZE:
        return  # zipfile will say it is not a zip
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    if entries > MAX_PARTS:  # 0xFFFF (a Zip64 directory) is more than any Office file holds
        raise SheetError(
            f"Tệp nén có {entries} phần, quá nhiều cho một tệp Office: không đọc.", kind="parts"
        )


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


def _read_bounded(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        data = part.read(MAX_CONTENT_TYPES + 1)
    if len(data) > MAX_CONTENT_TYPES:
        raise SheetError(f"Phần «{name}» của tệp lớn bất thường, không đọc.", kind="broken")
    return data
