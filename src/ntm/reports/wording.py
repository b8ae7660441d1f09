"""What every section of the report's text shares: the words for codes, and the writer that
holds the data, the figure book and the blocks while the sections are written."""

from __future__ import annotations

from typing import Any

from ntm.core.values import format_number
from ntm.reports.document import Block
from ntm.reports.figures import FigureBook

SOURCES = {
    "central": "ngân sách Trung ương",
    "local_dev": "ngân sách địa phương",
    "enterprise": "doanh nghiệp, hợp tác xã",
    "community": "cộng đồng dân cư",
}
BODY_SENTENCES = {
    "coordination_office": "tỉnh có Văn phòng điều phối",
    "steering_committee": "huyện, thành phố đã thành lập Ban Chỉ đạo",
    "management_board": "xã đã thành lập Ban quản lý xã",
    "village_board": "thôn, bản đã thành lập Ban phát triển thôn, bản",
}
# The appendix names each figure in words; the body kinds are stored as English codes.
BODY_NAMES = {
    "coordination_office": "Văn phòng điều phối",
    "steering_committee": "Ban Chỉ đạo",
    "management_board": "Ban quản lý xã",
    "village_board": "Ban phát triển thôn, bản",
}
LEVEL_WORDS = {"district": "huyện, thành phố", "commune": "xã"}
STAGE_WORDS = {"plan": "Kế hoạch", "allocated": "Đã bố trí", "disbursed": "Đã giải ngân"}


class Writer:
    """Holds the data, the book and the blocks while the sections are written."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.d = data
        self.book = FigureBook()
        self.blocks: list[Block] = []
        unit = data["unit"]
        self.code, self.name, self.year = unit["code"], unit["name"], data["year"]

    def num(self, key: str, value: Any, label: str, query: str, digits: int = 0) -> str:
        return self.book.number(key, value, label=label, query=query, digits=digits)

    def summary_query(self, year: int) -> str:
        return (
            f"{self.name} (mã {self.code}), năm {year}, các xã thuộc Chương trình theo đơn vị "
            f"hành chính năm đó, kết quả đánh giá đã lưu; kiểm tra: "
            f"ntm summary --unit {self.code} --year {year}"
        )

    def resources_query(self, year_from: int, year_to: int | str) -> str:
        until = f"--until {year_to}" if isinstance(year_to, str) else f"--to {year_to}"
        return (
            f"{self.name} (mã {self.code}) và các đơn vị trực thuộc, giai đoạn {year_from}-"
            f"{year_to}; kiểm tra: ntm resources --unit {self.code} --from {year_from} {until}"
        )

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def end_text(data: dict[str, Any]) -> str:
    y, m, d = (int(p) for p in data["period_end"].split("-"))
    return f"{d:02d}/{m:02d}/{y}"


def format_rate(rate: float) -> str:
    return format_number(rate, 1)
