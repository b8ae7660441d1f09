"""The criteria workbook: sheet names, columns, metadata keys and how they may be written.

One layout serves both directions (``ntm criteria export`` writes it, ``ntm criteria import``
and the upload page read it) and is documented in WORKBOOK.md and on the workbook's own
instructions sheet. Headers and keys are matched without accents or case, so an office may
retype "Mã chỉ tiêu" as "ma chi tieu"; sheets are matched the same way ("Bộ tiêu chí").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ntm.core.values import fold

SHEET_META = "Bo tieu chi"
SHEET_ROWS = "Chi tieu"
SHEET_SOURCES = "Nguon"
SHEET_HELP = "Huong dan"

# How values of communes merged into one combine (sáp nhập 2025): code -> accepted spellings.
COMBINE = {
    "sum": ("sum", "tong", "cong"),
    "mean": ("mean", "trung binh", "trung binh cong"),
    # Folded spellings: folded() turns "mean_by:population" into "mean_by population".
    "mean_by:population": ("mean_by population", "trung binh theo dan so"),
    "mean_by:households": ("mean_by households", "trung binh theo so ho"),
    "mean_by:length": ("mean_by length", "trung binh theo chieu dai"),
    "mean_by:area": ("mean_by area", "trung binh theo dien tich"),
    "mean_by:villages": ("mean_by villages", "trung binh theo so thon"),
    "all": ("all", "tat ca", "tat ca dat"),
    "any": ("any", "bat ky", "it nhat mot"),
    "min": ("min", "nho nhat", "thap nhat"),
    "max": ("max", "lon nhat", "cao nhat"),
}
COMBINE_LABELS = {
    "sum": "cộng các xã cũ",
    "mean": "trung bình cộng",
    "mean_by:population": "trung bình theo dân số",
    "mean_by:households": "trung bình theo số hộ",
    "mean_by:length": "trung bình theo chiều dài đường",
    "mean_by:area": "trung bình theo diện tích đất sản xuất nông nghiệp",
    "mean_by:villages": "trung bình theo số thôn, bản",
    "all": "đạt khi mọi xã cũ đạt",
    "any": "đạt khi một xã cũ đạt",
    "min": "lấy giá trị nhỏ nhất",
    "max": "lấy giá trị lớn nhất",
}
# Comparison as written in the sheet -> core.model.Op value.
OPS = {
    ">=": ">=",
    "≥": ">=",
    "<=": "<=",
    "≤": "<=",
    ">": ">",
    "<": "<",
    "dat": "dat",
    "khong": "khong",
}
OP_WRITTEN = {">=": ">=", "<=": "<=", ">": ">", "<": "<", "dat": "đạt", "khong": "không"}


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as exported
    aliases: tuple[str, ...]  # folded spellings accepted on import, besides the header
    help: str


COLUMNS = (
    Column("criterion", "Tiêu chí", ("ma tieu chi", "tieu chi so"), "Mã tiêu chí (1, 2, … 19)."),
    Column("criterion_name", "Tên tiêu chí", (), "Tên tiêu chí."),
    Column("group", "Nhóm tiêu chí", ("nhom",), "Nhóm tiêu chí (I, II, …), chỉ để trình bày."),
    Column("code", "Mã chỉ tiêu", ("chi tieu",), "Mã chỉ tiêu của quyết định (14.2)."),
    Column("text", "Nội dung", ("noi dung chi tieu", "ten chi tieu"), "Lời văn chỉ tiêu."),
    Column(
        "unit", "Đơn vị", ("don vi tinh", "dvt"), "%, triệu đồng/người/năm, … (bool: có/không)."
    ),
    Column("op", "So sánh", ("phep so sanh",), ">=, <=, >, <, đạt hoặc không."),
    Column("tier", "Mức", ("muc dat chuan",), "Mức đạt chuẩn của dòng (trống = mức chính)."),
    Column("clause", "Khoản/điều", ("dieu khoan", "khoan", "dieu"), "Vị trí trong văn bản."),
    Column("source", "Nguồn", ("nguon can cu", "can cu"), "Mã nguồn ở trang Nguon, hoặc lời văn."),
    Column(
        "combine", "Cách gộp khi sáp nhập", ("cach gop",), "sum, mean, mean_by:households, all, …"
    ),
    Column("note", "Ghi chú", ("ghi chu chi tieu",), "Ghi chú của chỉ tiêu."),
    Column("code_verified", "Mã đã xác nhận", (), "có/không (trống = có)."),
    Column("text_verified", "Nội dung đã xác nhận", (), "có/không (trống = có)."),
    Column("criterion_name_en", "Tên tiêu chí (tiếng Anh)", (), "Tùy chọn."),
    Column("criterion_note", "Ghi chú tiêu chí", (), "Ghi ở dòng đầu của tiêu chí."),
)
# Columns an office's own annex table often has and that carry nothing to import.
IGNORED_HEADERS = ("stt", "tt", "so thu tu")
# Without these the sheet is not a criteria table at all.
REQUIRED_FIELDS = ("criterion", "code")
# Criterion columns left empty take the row above's value (merged cells in an annex table).
INHERITED_FIELDS = ("criterion", "criterion_name", "group")

# Metadata keys (sheet "Bo tieu chi", column A) -> accepted folded spellings.
META_KEYS = {
    "kind": ("kind", "loai"),
    "id": ("id", "ma bo tieu chi"),
    "title": ("title", "ten", "tieu de"),
    "decision": ("decision", "quyet dinh"),
    "level": ("level", "cap"),
    "issued": ("issued", "ngay ban hanh"),
    "effective": ("effective", "ngay hieu luc"),
    "period": ("period", "giai doan"),
    "ends": ("ends", "het hieu luc"),
    "classification": ("classification", "phan loai"),
    "class": ("class", "classes", "vung nhom"),
    "tier": ("tier", "tiers", "muc"),
    "note": ("note", "notes", "ghi chu"),
    "replaces_national": ("replaces_national", "thay bo quoc gia"),
    "spec_id": ("spec_id", "spec id", "ma quy dinh"),
    "province_code": ("province_code", "province code", "ma tinh"),
    "criteria_set": ("criteria_set", "base criteria set", "bo tieu chi goc"),
    "legal_source": ("legal_source", "legal source", "can cu phap ly"),
    "first_year": ("first_year", "first year", "tu nam"),
    "last_year": ("last_year", "last year", "den nam"),
    "illustrative": ("illustrative", "minh hoa"),
}
META_HELP = {
    "kind": "set = bộ tiêu chí mới; spec = quy định cụ thể của tỉnh",
    "id": "mã bộ tiêu chí, ví dụ qd51-2025",
    "title": "tên bộ tiêu chí",
    "decision": "số hiệu quyết định, ví dụ 51/2025/QĐ-TTg",
    "level": "village, commune, district hoặc province",
    "issued": "ngày ban hành (dd/mm/yyyy)",
    "effective": "ngày có hiệu lực: quyết định bộ nào áp dụng cho một năm",
    "period": "giai đoạn, ví dụ 2026-2030",
    "ends": "ngày cuối bộ còn dùng để đánh giá (để trống: đến khi có bộ mới), ví dụ 30/06/2025",
    "classification": "region (7 vùng), group (nhóm xã) hoặc none",
    "class": "một dòng cho mỗi vùng/nhóm: mã ở cột B, tên ở cột C",
    "tier": "một dòng cho mỗi mức: mã ở cột B, tên ở cột C; dòng đầu là mức chính",
    "note": "mỗi ghi chú một dòng",
    "replaces_national": "có = bộ này thay bộ quốc gia cùng mã (ví dụ qd51-2025 đầy đủ 47 chỉ tiêu)",
    "spec_id": "mã quy định của tỉnh",
    "province_code": "mã tỉnh (mã thống kê, ví dụ 12)",
    "criteria_set": "mã bộ tiêu chí quốc gia mà quy định áp dụng",
    "legal_source": "số hiệu, ngày và cơ quan ban hành quy định",
    "first_year": "năm đầu áp dụng (trống = không giới hạn)",
    "last_year": "năm cuối áp dụng (trống = không giới hạn)",
    "illustrative": "có = giá trị minh họa, không chính thức",
}


def folded(text: object) -> str:
    """A header, key or sheet name compared without accents, case or punctuation."""
    return " ".join(re.sub(r"[^0-9a-z_<>=]+", " ", fold(str(text))).split())


def field_for_header(header: str) -> str | None:
    """The column's field, "" for a column to ignore, None for anything else (a class?)."""
    key = folded(header)
    if key in IGNORED_HEADERS:
        return ""
    for column in COLUMNS:
        if key == folded(column.header) or key in column.aliases:
            return column.field
    return None


def meta_key(raw: object) -> str | None:
    key = folded(raw)
    for name, spellings in META_KEYS.items():
        if key in spellings:
            return name
    return None


def combine_code(raw: str) -> str | None:
    key = folded(raw)
    for code, spellings in COMBINE.items():
        if key in spellings:
            return code
    return None


def class_header(code: str, classification: str) -> str:
    """How a class column is headed on export: "TDMNPB", "nhóm 1"."""
    return f"nhóm {code}" if classification == "group" else code


def class_for_header(header: str, classes: dict[str, str]) -> str | None:
    key = folded(header)
    for prefix in ("nguong vung ", "nguong nhom ", "nguong ", "vung ", "nhom ", "xa nhom "):
        if key.startswith(prefix) and key[len(prefix) :]:
            key = key[len(prefix) :]
            break
    for code, name in classes.items():
        if key in (folded(code), folded(name)):
            return code
    return None


INSTRUCTIONS = (
    "HƯỚNG DẪN: BẢNG TÍNH BỘ TIÊU CHÍ / QUY ĐỊNH CỤ THỂ CỦA TỈNH",
    "",
    "Tệp này được đọc bằng lệnh `ntm criteria import TỆP.xlsx --dry-run` hoặc trang "
    "/bo-tieu-chi/nhap/. Xem trước (dry run) luôn chạy trước; khi có lỗi thì không ghi gì.",
    "",
    "Trang 'Bo tieu chi': mỗi dòng một khóa (cột A) và giá trị (cột B); cột C là tên (cho "
    "vùng/nhóm và mức), cột D là giải thích.",
    "  - kind = set: một bộ tiêu chí mới (ví dụ Phụ lục I của QĐ 51/2025/QĐ-TTg với 47 chỉ tiêu).",
    "  - kind = spec: quy định cụ thể của tỉnh trên một bộ quốc gia; chỉ những ô khác mức "
    "quốc gia được lưu thành ngưỡng của tỉnh (thường là các ô quốc gia để trống).",
    "",
    "Trang 'Chi tieu': mỗi dòng một chỉ tiêu. Các cột được nhận theo tiêu đề (không phân biệt "
    "dấu, hoa/thường, thứ tự cột):",
    "  Tiêu chí, Tên tiêu chí, Nhóm tiêu chí: để trống thì lấy theo dòng trên (ô gộp).",
    "  Mã chỉ tiêu, Nội dung, Đơn vị, So sánh (>=, <=, >, <, đạt, không).",
    "  Mức: mã mức đạt chuẩn (ntm, nang_cao …). Mỗi mức một dòng cùng mã chỉ tiêu; chỉ tiêu chỉ "
    "có một dòng và ô Mức trống thì thuộc mọi mức.",
    "  Một cột cho mỗi vùng/nhóm (TDMNPB …, nhóm 1 …): ngưỡng. Ô trống = chưa xác nhận; "
    "ô gộp ngang nhiều vùng = cùng một ngưỡng. Số viết kiểu Việt Nam (1.234,5) hoặc ≥80% đều được.",
    "  Khoản/điều, Nguồn (mã ở trang Nguon, cách nhau bởi dấu phẩy, hoặc lời văn), Cách gộp khi "
    "sáp nhập (sum, mean, mean_by:population|households|length|area|villages, all, any, min, "
    "max), Ghi chú, Mã đã xác nhận, "
    "Nội dung đã xác nhận (có/không), Tên tiêu chí (tiếng Anh), Ghi chú tiêu chí.",
    "  Cột STT được bỏ qua; cột có tiêu đề khác là lỗi.",
    "  Ngưỡng nào có giá trị cũng phải có nguồn (không tự điền ngưỡng khi văn bản chưa xác nhận).",
    "",
    "Trang 'Nguon': mã nguồn (cột A) và lời văn (cột B), được trích ở cột Nguồn.",
    "",
    "Quy định của tỉnh (kind = spec): cột Nguồn, Nội dung, Đơn vị không được đọc; căn cứ của mọi "
    "ô là legal_source. Ô trống giữ mức quốc gia.",
    "Ô công thức không được nhận: hãy dán giá trị.",
)
