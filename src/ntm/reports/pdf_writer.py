"""The report as a PDF, from the same document as the Word file, with its fonts embedded.

The font is DejaVu Serif (shipped in ``fonts/``, free licence beside it): it covers every
Vietnamese letter, and fpdf2 embeds the subset used, so the file reads the same on any machine
(Times New Roman cannot be shipped; the Word file names it and Word supplies it).
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from ntm.reports.document import DOTS, Header, Heading, Para, ReportDocument, Table

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSerif"
BODY_PT = 12  # DejaVu is wider than Times New Roman: 12 pt here reads like 14 pt there
WIDTH = 165  # mm between the margins (210 - 30 - 15)


class _Pdf(FPDF):
    def header(self) -> None:
        if self.page_no() > 1:  # NĐ 30/2020: page numbers from the second page, centred on top
            self.set_font(FAMILY, "", 10)
            self.cell(0, 6, str(self.page_no()), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def report_pdf(doc: ReportDocument) -> bytes:
    pdf = _Pdf(format="A4", unit="mm")
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(True, margin=20)
    for style, name in (("", ""), ("B", "-Bold"), ("I", "-Italic"), ("BI", "-BoldItalic")):
        pdf.add_font(FAMILY, style, str(FONTS / f"DejaVuSerif{name}.ttf"))
    pdf.set_title(doc.subtitle)
    pdf.set_creator("ntm")
    pdf.set_subject(f"SHA-256 dữ liệu: {doc.digest}")
    pdf.add_page()
    _header_block(pdf, doc.header)
    _text(pdf, doc.title, "B", 13, Align.C)
    _text(pdf, doc.subtitle, "B", 12, Align.C)
    pdf.ln(4)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _text(pdf, block.text, "BI" if block.level > 1 else "B", BODY_PT, Align.L)
        elif isinstance(block, Para):
            style = "I" if block.kind in ("note", "author") else ""
            _text(pdf, block.text, style, BODY_PT, Align.J, indent=True)
        else:
            _table(pdf, block)
    _closing(pdf, doc.header)
    _appendix(pdf, doc)
    return bytes(pdf.output())


def _text(
    pdf: FPDF,
    text: str,
    style: str,
    size: float,
    align: Align,
    indent: bool = False,
    width: float = 0,
) -> None:
    pdf.set_font(FAMILY, style, size)
    body = ("      " + text) if indent else text
    pdf.multi_cell(width, size * 0.5, body, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)


def _header_block(pdf: FPDF, h: Header) -> None:
    top = pdf.get_y()
    left_w, right_w = 62.0, WIDTH - 62.0
    lines_left = [
        *([(h.issuer_parent.upper(), "")] if h.issuer_parent else []),
        ((h.issuer or DOTS).upper(), "B"),
    ]
    for text, style in lines_left:
        pdf.set_font(FAMILY, style, 10)
        pdf.set_x(30)
        pdf.multi_cell(left_w, 5, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y() + 1
    pdf.line(30 + left_w / 2 - 12, y, 30 + left_w / 2 + 12, y)
    pdf.set_xy(30, y + 2)
    pdf.set_font(FAMILY, "", 10)
    pdf.multi_cell(left_w, 5, h.number_line(), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bottom_left = pdf.get_y()
    pdf.set_xy(30 + left_w, top)
    pdf.set_font(FAMILY, "B", 10)
    pdf.multi_cell(
        right_w,
        5,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        align=Align.C,
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    pdf.set_font(FAMILY, "B", 11)
    pdf.multi_cell(
        right_w, 5, "Độc lập - Tự do - Hạnh phúc", align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT
    )
    y = pdf.get_y() + 1
    middle = 30 + left_w + right_w / 2
    pdf.line(middle - 28, y, middle + 28, y)
    pdf.set_xy(30 + left_w, y + 2)
    pdf.set_font(FAMILY, "I", 10)
    pdf.multi_cell(right_w, 5, h.date_line(), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(bottom_left, pdf.get_y()) + 6)


def _table(pdf: FPDF, block: Table) -> None:
    _text(pdf, block.title, "B", 11, Align.C)
    pdf.set_font(FAMILY, "", 9)
    widths = _widths(block)
    with pdf.table(
        col_widths=widths,
        width=WIDTH,
        line_height=4.5,
        padding=1,
        text_align="LEFT",
        first_row_as_headings=True,
    ) as table:
        head = table.row()
        for text in block.headers:
            head.cell(text, align=Align.C)
        for values in block.rows:
            row = table.row()
            for k, text in enumerate(values):
                row.cell(text, align=Align.R if k in block.numeric else Align.L)
    pdf.ln(3)


def _widths(block: Table) -> tuple[float, ...]:
    """Text columns get the room; number columns a fixed share."""
    if block.widths:
        return block.widths
    texts = [k for k in range(len(block.headers)) if k not in block.numeric]
    if not texts:
        return tuple(1.0 for _ in block.headers)
    return tuple(
        1.0 if k in block.numeric else 3.0 / len(texts) * 2 for k in range(len(block.headers))
    )


def _closing(pdf: FPDF, h: Header) -> None:
    pdf.ln(4)
    if pdf.get_y() > 230:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font(FAMILY, "BI", 10)
    pdf.cell(80, 5, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 9)
    for name in [*h.recipients] or [DOTS]:
        pdf.multi_cell(80, 4.5, f"- {name};", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.multi_cell(80, 4.5, "- Lưu: VT.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_xy(30 + 80, top)
    lines = [
        *([(h.signer_capacity.upper(), "B")] if h.signer_capacity else []),
        ((h.signer_title or DOTS).upper(), "B"),
        ("(Chữ ký, dấu)", "I"),
    ]
    for text, style in lines:
        pdf.set_font(FAMILY, style, 11)
        pdf.set_x(30 + 80)
        pdf.multi_cell(85, 5, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(18)
    pdf.set_x(30 + 80)
    pdf.set_font(FAMILY, "B", 11)
    pdf.multi_cell(85, 5, h.signer or DOTS, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _appendix(pdf: FPDF, doc: ReportDocument) -> None:
    pdf.add_page()
    _text(pdf, "PHỤ LỤC", "B", 12, Align.C)
    _text(pdf, "NGUỒN GỐC CÁC SỐ LIỆU TRONG BÁO CÁO", "B", 12, Align.C)
    made = f"; dữ liệu đọc lúc {doc.made_at}." if doc.made_at else "."
    _text(
        pdf,
        "Mỗi số liệu trong báo cáo được tính trực tiếp từ dữ liệu của hệ thống tại thời "
        f"điểm lập. Mã kiểm tra dữ liệu (SHA-256): {doc.digest}{made}",
        "I",
        10,
        Align.J,
    )
    for table in doc.appendix():
        _table(pdf, table)
