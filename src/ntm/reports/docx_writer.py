"""The report as a Word file in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I).

A4, margins 20/20/30/15 mm; Times New Roman; the header block in two borderless columns
(issuing body and number on the left, national motto and place-date on the right); title;
body at 14 pt with a first-line indent; the recipients ("Nơi nhận") and the signature side by
side; page numbers centred at the top from the second page. The appendix lists every figure of
the text with its query and the hash of the data.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from ntm.reports.document import DOTS, Header, Heading, Para, ReportDocument, Table

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12


def report_docx(doc: ReportDocument) -> bytes:
    word = Document()
    _page(word)
    _header_block(word, doc.header)
    _title(word, doc)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _heading(word, block)
        elif isinstance(block, Para):
            _para(word, block)
        else:
            _table(word, block)
    _closing(word, doc.header)
    _appendix(word, doc)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _page(word: object) -> None:
    doc = word  # python-docx's Document has no public type
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.different_first_page_header_footer = True
    style = doc.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    # East Asian and complex-script slots too, or Word substitutes a font for Vietnamese marks
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    _page_number(section.header.paragraphs[0])


def _page_number(paragraph: Paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    run.font.size = Pt(13)


def _line(
    cell_or_doc: object,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = BODY_PT,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = False,
) -> Paragraph:
    container = cell_or_doc
    if first and getattr(container, "paragraphs", None):
        p: Paragraph = container.paragraphs[0]  # type: ignore[attr-defined]
    else:
        p = container.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    return p


def _rule(paragraph: Paragraph) -> None:
    """The short solid line under the issuing body and under the motto (a bottom border)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    p_pr.append(borders)


def _borderless(table: DocxTable) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _header_block(word: object, h: Header) -> None:
    table = word.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _borderless(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(65), Mm(100)
    if h.issuer_parent:
        _line(left, h.issuer_parent.upper(), size=13, first=True)
    issuer = _line(left, (h.issuer or DOTS).upper(), bold=True, size=13, first=not h.issuer_parent)
    issuer.paragraph_format.space_after = Pt(6)
    _line(left, "")
    _rule(issuer)
    _line(left, h.number_line(), size=13)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13, first=True)
    motto = _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    _rule(motto)
    _line(right, "")
    _line(right, h.date_line(), italic=True, size=14)


def _title(word: object, doc: ReportDocument) -> None:
    _line(word, "")
    title = _line(word, doc.title, bold=True, size=14)
    title.paragraph_format.space_before = Pt(12)
    _line(word, doc.subtitle, bold=True, size=14)
    _line(word, "")


def _heading(word: object, block: Heading) -> None:
    p = _line(word, block.text, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    p.paragraph_format.first_line_indent = Mm(10)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(6)
    p.paragraph_format.keep_with_next = True
    if block.level > 1:
        p.runs[0].bold = False
        p.runs[0].italic = True
        p.runs[0].bold = True


def _para(word: object, block: Para) -> None:
    p = _line(
        word,
        block.text,
        italic=block.kind in ("note", "author"),
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    p.paragraph_format.first_line_indent = Mm(10)
    p.paragraph_format.space_after = Pt(6)
    p.paragraph_format.line_spacing = 1.15


def _table(word: object, block: Table) -> None:
    caption = _line(word, block.title, bold=True, size=13)
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.keep_with_next = True
    table = word.add_table(rows=1, cols=len(block.headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if block.widths:
        scale = 165 / sum(block.widths)
        for column, share in zip(table.columns, block.widths, strict=True):
            column.width = Mm(share * scale)
            for cell in column.cells:
                cell.width = Mm(share * scale)
    for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
        _line(cell, text, bold=True, size=TABLE_PT, first=True)
    for row in block.rows:
        cells = table.add_row().cells
        for k, (cell, text) in enumerate(zip(cells, row, strict=True)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if k in block.numeric else WD_ALIGN_PARAGRAPH.LEFT
            _line(cell, text, size=TABLE_PT, align=align, first=True)
    _line(word, "")


def _closing(word: object, h: Header) -> None:
    table = word.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _borderless(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(80), Mm(85)
    _line(
        left,
        "Nơi nhận:",
        bold=True,
        italic=True,
        size=12,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        first=True,
    )
    recipients = [*h.recipients] or [DOTS]
    for name in recipients:
        _line(left, f"- {name};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(left, "- Lưu: VT.", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    if h.signer_capacity:
        _line(right, h.signer_capacity.upper(), bold=True, size=14, first=True)
    _line(right, (h.signer_title or DOTS).upper(), bold=True, size=14, first=not h.signer_capacity)
    _line(right, "(Chữ ký, dấu)", italic=True, size=12)
    for _ in range(3):
        _line(right, "")
    _line(right, h.signer or DOTS, bold=True, size=14)


def _appendix(word: object, doc: ReportDocument) -> None:
    section = word.add_section(WD_SECTION.NEW_PAGE)  # type: ignore[attr-defined]
    section.different_first_page_header_footer = False
    _line(word, "PHỤ LỤC", bold=True)
    _line(word, "NGUỒN GỐC CÁC SỐ LIỆU TRONG BÁO CÁO", bold=True)
    _line(word, "")
    _para(
        word,
        Para(
            "Mỗi số liệu trong báo cáo được tính trực tiếp từ dữ liệu của hệ thống tại thời "
            "điểm lập; bảng dưới đây ghi cách tính và lệnh kiểm tra lại từng số liệu. Mã kiểm tra "
            f"dữ liệu (SHA-256): {doc.digest}"
            + (f"; dữ liệu đọc lúc {doc.made_at}." if doc.made_at else "."),
            "note",
        ),
    )
    for table in doc.appendix():
        _table(word, table)
