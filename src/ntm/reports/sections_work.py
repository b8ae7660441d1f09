"""Sections I-III: organisation, training and communication, resources (contributions, capital)."""

from __future__ import annotations

from typing import Any

from ntm.reports.document import DOTS, Heading, Para, Table
from ntm.reports.figures import BLANK
from ntm.reports.wording import (
    BODY_NAMES,
    BODY_SENTENCES,
    LEVEL_WORDS,
    SOURCES,
    STAGE_WORDS,
    Writer,
    end_text,
)


def organisation_section(w: Writer) -> None:
    w.add(Heading("I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN"))
    org = w.d["organisation"]
    parts = []
    for kind, cov in org["bodies"].items():
        if not cov["units_total"]:
            continue
        n = w.num(
            f"bodies_{kind}",
            cov["units_with"],
            f"Số đơn vị có {BODY_NAMES.get(kind, kind)}",
            _org_query(w),
        )
        total = w.num(f"bodies_{kind}_total", cov["units_total"], "Tổng số đơn vị", _org_query(w))
        parts.append(f"{n}/{total} {BODY_SENTENCES[kind]}")
    for level, cov in org["resolutions"].items():
        n = w.num(
            f"resolutions_{level}",
            cov["units_with"],
            "Số đơn vị đã ban hành nghị quyết",
            _org_query(w),
        )
        total = w.num(
            f"resolutions_{level}_total", cov["units_total"], "Tổng số đơn vị", _org_query(w)
        )
        parts.append(
            f"{n}/{total} {LEVEL_WORDS[level]} đã ban hành nghị quyết, quyết định về Chương trình"
        )
    if parts:
        w.add(Para(f"Đến ngày {end_text(w.d)}: " + "; ".join(parts) + "."))
    else:
        w.add(Para("Chưa có số liệu về bộ máy chỉ đạo và nghị quyết trong hệ thống.", "note"))
    w.add(Para("Đánh giá về công tác chỉ đạo, điều hành: " + DOTS, "author"))


def _org_query(w: Writer) -> str:
    return (
        f"{w.name} (mã {w.code}): các đơn vị còn hiệu lực ngày {end_text(w.d)}, ban chỉ đạo/ban "
        f"quản lý và nghị quyết có ngày quyết định trước ngày đó (trang Tổ chức bộ máy)"
    )


def training_section(w: Writer) -> None:
    w.add(Heading("II. CÔNG TÁC ĐÀO TẠO, TẬP HUẤN, TUYÊN TRUYỀN"))
    t = w.d["training"]
    first = w.d["first_year"]
    query = w.resources_query(first, w.year) + " (mục training)"
    _communication(w)
    if not t["courses"]:
        w.add(Para(f"Chưa có số liệu lớp tập huấn, đào tạo từ năm {first} trong hệ thống.", "note"))
        return
    courses = w.num("training_courses", t["courses"], "Số lớp tập huấn, đào tạo", query)
    people = w.num("training_attendances", t["attendances"], "Số lượt người được đào tạo", query)
    w.add(
        Para(
            f"Từ năm {first} đến ngày {end_text(w.d)}, đã tổ chức {courses} lớp tập huấn, đào "
            f"tạo với {people} lượt cán bộ, người dân tham gia."
        )
    )


def _communication(w: Writer) -> None:
    c = w.d["communication"]
    query = f"Trang Đào tạo, truyền thông của {w.name}: hoạt động đến ngày {end_text(w.d)}"
    for m in c["movements"]:
        when = ""
        if m["date"]:
            y, mo, d = m["date"].split("-")
            when = f" ngày {d}/{mo}/{y}"
        w.add(Para(f"{m['launched_by']} phát động phong trào thi đua «{m['name']}»{when}."))
    if c["activities"]:
        n = w.num("communication_activities", c["activities"], "Số hoạt động tuyên truyền", query)
        text = f"Đến ngày {end_text(w.d)}, đã ghi nhận {n} hoạt động tuyên truyền"
        if c["reach"]:
            reach = w.num("communication_reach", c["reach"], "Số lượt người được tiếp cận", query)
            text += f", tiếp cận {reach} lượt người"
        w.add(Para(text + "."))


def resources_section(w: Writer) -> None:
    w.add(Heading("III. HUY ĐỘNG NGUỒN LỰC"))
    w.add(Heading("1. Đóng góp của cộng đồng", 2))
    c = w.d["contributions"]
    if not c["sums"] or all(v is None for v in c["sums"].values()):
        w.add(Para(f"Chưa có số liệu đóng góp của cộng đồng đến ngày {end_text(w.d)}.", "note"))
    else:
        start = c["from"][:7]
        end = w.d["period_end"][:7]
        query = w.resources_query(int(start[:4]), end) + " (mục contributions)"
        s = c["sums"]
        land = w.num("contrib_land", s["land_m2"], "Đất hiến (m²)", query)
        labour = w.num("contrib_labour", s["labour_days"], "Ngày công", query)
        cash = w.num("contrib_cash", s["cash_million_vnd"], "Tiền mặt (triệu đồng)", query)
        goods = w.num(
            "contrib_materials", s["materials_million_vnd"], "Vật liệu (triệu đồng)", query
        )
        y0, m0 = start.split("-")
        w.add(
            Para(
                f"Từ tháng {int(m0)}/{y0} đến ngày {end_text(w.d)}, người dân và cộng đồng đã hiến "
                f"{land} m² đất; đóng góp {labour} ngày công lao động; {cash} triệu đồng tiền mặt; "
                f"vật liệu trị giá {goods} triệu đồng."
            )
        )
    w.add(Heading("2. Vốn thực hiện Chương trình", 2))
    _capital(w)


def _capital(w: Writer) -> None:
    cap = w.d["capital"]
    first = w.d["first_year"]
    prog = cap["programme"]
    if prog["total"] is None and not prog["by_source"]:
        w.add(
            Para(
                f"Chưa có số liệu vốn theo năm cho giai đoạn {first}-{w.year} (số liệu chỉ được "
                f"cộng khi cả kỳ của nó nằm trong giai đoạn báo cáo).",
                "note",
            )
        )
    else:
        query = w.resources_query(first, w.year) + " (mục capital)"
        total = w.num("capital_total", prog["total"], "Tổng vốn huy động và bố trí", query)
        parts = [
            f"{SOURCES.get(code, code)}: "
            + w.num("capital_" + code, amount, "Vốn " + SOURCES.get(code, code), query)
            + " triệu đồng"
            for code, amount in prog["by_source"].items()
        ]
        text = f"Giai đoạn {first}-{w.year}, tổng vốn huy động và bố trí là {total} triệu đồng"
        if parts:
            text += "; trong đó " + "; ".join(parts)
        if prog["unclassified"]:
            rest = w.num(
                "capital_unclassified",
                prog["unclassified"],
                "Phần tổng vốn chưa phân theo nguồn",
                query,
            )
            text += f"; phần còn lại chưa phân theo nguồn trong số liệu: {rest} triệu đồng"
        w.add(Para(text + "."))
    for period in cap["periods"]:
        _capital_period(w, period)
    rows = cap["year_rows"]
    if rows:
        w.add(_capital_table(w, rows))


def _capital_period(w: Writer, period: dict[str, Any]) -> None:
    """A figure for several years (e.g. 2011-2020) is printed for its own period, never split."""
    yf, yt, s = period["from"], period["to"], period["summary"]
    query = w.resources_query(yf, yt) + " (mục capital)"
    key = f"capital_{yf}_{yt}"
    total = w.num(f"{key}_total", s["total"], f"Tổng vốn huy động và bố trí {yf}-{yt}", query)
    parts = [
        f"{SOURCES.get(code, code)}: "
        + w.num(f"{key}_{code}", amount, f"Vốn {SOURCES.get(code, code)} {yf}-{yt}", query)
        + " triệu đồng"
        for code, amount in s["by_source"].items()
    ]
    text = f"Số liệu cả giai đoạn {yf}-{yt}: tổng vốn huy động và bố trí {total} triệu đồng"
    if parts:
        text += "; trong đó " + "; ".join(parts)
    if s["unclassified"]:
        rest = w.num(
            f"{key}_unclassified",
            s["unclassified"],
            f"Phần tổng vốn {yf}-{yt} chưa phân theo nguồn",
            query,
        )
        text += (
            f"; phần còn lại {rest} triệu đồng chưa phân theo nguồn trong số liệu (tổng nguồn "
            f"ghi ở trên chưa giải thích hết tổng vốn)"
        )
    w.add(Para(text + "."))


def _capital_table(w: Writer, rows: list[dict[str, Any]]) -> Table:
    query = w.resources_query(w.year, w.year) + " (trang Nguồn vốn năm " + str(w.year) + ")"
    out = []
    for r in rows:
        cells = [("  " * r["depth"]) + r["label"]]
        for stage in ("plan", "allocated", "disbursed"):
            key = f"capital_year_{r['code']}_{stage}"
            cells.append(w.num(key, r[stage], f"{r['label']}: {STAGE_WORDS[stage]}", query))
        rate = r["rate"]
        cells.append(
            BLANK
            if rate is None
            else w.num(
                f"capital_year_{r['code']}_rate",
                rate,
                f"{r['label']}: tỷ lệ giải ngân (%)",
                query,
                1,
            )
        )
        out.append(cells)
    return Table(
        f"Vốn năm {w.year} theo nguồn (triệu đồng)",
        ["Nguồn vốn", "Kế hoạch", "Đã bố trí", "Đã giải ngân", "Tỷ lệ giải ngân (%)"],
        out,
        frozenset({1, 2, 3, 4}),
    )
