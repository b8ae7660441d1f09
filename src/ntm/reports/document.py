"""A report as the writers see it: header fields, blocks of text and tables, the figure book.

The Word, PDF and Excel writers only lay this out; none of them reads data or words a sentence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ntm.reports.figures import Figure

DOTS = "……"  # a field the author fills by hand (never invented)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: "I. …", 2: "1. …"


@dataclass(frozen=True)
class Para:
    text: str
    kind: str = "body"  # body | note (data caveat) | author (to be written by the author)


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  # columns right-aligned
    widths: tuple[float, ...] = ()  # relative column widths; empty: the writer decides


Block = Heading | Para | Table


@dataclass(frozen=True)
class Header:
    """The administrative header and signature of Nghị định 30/2020/NĐ-CP, filled by the author.

    Empty fields print as dotted blanks: the issuing body, the number and the signer are the
    author's to give, and the software never guesses them.
    """

    issuer_parent: str = ""  # cơ quan chủ quản (e.g. "UBND TỈNH LAI CHÂU"), optional
    issuer: str = ""  # cơ quan ban hành (e.g. "VĂN PHÒNG ĐIỀU PHỐI NTM")
    number: str = ""  # "…/BC-VPĐP"
    place: str = ""  # địa danh ("Lai Châu")
    date: dt.date | None = None
    signer: str = ""
    signer_title: str = ""  # "CHÁNH VĂN PHÒNG"
    signer_capacity: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. CHÁNH VĂN PHÒNG", optional
    recipients: tuple[str, ...] = ()

    def date_line(self) -> str:
        place = self.place or DOTS
        if self.date is None:
            return f"{place}, ngày {DOTS} tháng {DOTS} năm {DOTS}"
        d = self.date
        # NĐ 30/2020: days below 10 and months below 3 are written with a leading zero
        day = f"{d.day:02d}"
        month = f"{d.month:02d}" if d.month < 3 else str(d.month)
        return f"{place}, ngày {day} tháng {month} năm {d.year}"

    def number_line(self) -> str:
        return f"Số: {self.number or DOTS + '/BC-' + DOTS}"


@dataclass
class ReportDocument:
    header: Header
    title: str  # "BÁO CÁO"
    subtitle: str  # "Kết quả thực hiện Chương trình … năm 2018"
    blocks: list[Block] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    digest: str = ""
    simulated: bool = False
    made_at: str = ""  # when the data was read (ISO), printed beside the digest

    def appendix(self) -> tuple[Table, Table]:
        """The figures (each pointing to its source by a short label) and the sources: one
        query is printed once, not beside each of the many figures it gives."""
        labels: dict[str, str] = {}
        for f in self.figures:
            labels.setdefault(f.query, f"N{len(labels) + 1}")
        figures = Table(
            "Danh mục số liệu",
            ["STT", "Số liệu", "Giá trị", "Nguồn"],
            [[str(k), f.label, f.text, labels[f.query]] for k, f in enumerate(self.figures, 1)],
            frozenset({0, 2}),
            (1, 6, 2, 1.2),
        )
        sources = Table(
            "Nguồn và cách kiểm tra",
            ["Nguồn", "Cách tính, lệnh kiểm tra"],
            [[label, query] for query, label in labels.items()],
            frozenset(),
            (1, 9),
        )
        return figures, sources

    def text(self) -> str:
        """All words of the report, for tests and search."""
        parts = [self.header.date_line(), self.title, self.subtitle]
        for b in self.blocks:
            if isinstance(b, Table):
                parts.append(b.title)
                parts.extend(" | ".join(r) for r in [b.headers, *b.rows])
            else:
                parts.append(b.text)
        return "\n".join(parts)
