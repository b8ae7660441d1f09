"""The report's words: each section a function of the report data, every figure through the book.

The structure follows the provinces' periodic reports (organisation; training and communication;
resources; criteria results; targets; limitations; tasks ahead); the sentences are ours. What
the data cannot say (the tasks ahead, the assessment) is left to the author, marked as such.
"""

from __future__ import annotations

from typing import Any

from ntm.core.values import format_number
from ntm.reports.document import DOTS, Block, Header, Heading, Para, ReportDocument, Table
from ntm.reports.figures import BLANK, FigureBook

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


class _Writer:
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


def report_document(*, data: dict[str, Any], digest: str, header: Header) -> ReportDocument:
    w = _Writer(data)
    if data["simulated"]:
        w.add(
            Para(
                "Lưu ý: báo cáo được lập từ số liệu mô phỏng (dữ liệu trình diễn của phần mềm), "
                "không phải số liệu thật; chỉ dùng để minh họa.",
                "note",
            )
        )
    _organisation(w)
    _training(w)
    _resources(w)
    _results(w)
    _targets(w)
    _limitations(w)
    _tasks(w)
    period = "6 tháng đầu năm" if data["period"] == "h1" else "năm"
    return ReportDocument(
        header=header,
        title="BÁO CÁO",
        subtitle=(
            f"Kết quả thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới "
            f"{period} {w.year} — {w.name}"
        ),
        blocks=w.blocks,
        figures=w.book.figures,
        digest=digest,
        simulated=data["simulated"],
    )


def _end_text(data: dict[str, Any]) -> str:
    y, m, d = (int(p) for p in data["period_end"].split("-"))
    return f"{d:02d}/{m:02d}/{y}"


def _organisation(w: _Writer) -> None:
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
        w.add(Para(f"Đến ngày {_end_text(w.d)}: " + "; ".join(parts) + "."))
    else:
        w.add(Para("Chưa có số liệu về bộ máy chỉ đạo và nghị quyết trong hệ thống.", "note"))
    w.add(Para("Đánh giá về công tác chỉ đạo, điều hành: " + DOTS, "author"))


def _org_query(w: _Writer) -> str:
    return (
        f"{w.name} (mã {w.code}): các đơn vị còn hiệu lực ngày {_end_text(w.d)}, ban chỉ đạo/ban "
        f"quản lý và nghị quyết có ngày quyết định trước ngày đó (trang Tổ chức bộ máy)"
    )


def _training(w: _Writer) -> None:
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
            f"Từ năm {first} đến ngày {_end_text(w.d)}, đã tổ chức {courses} lớp tập huấn, đào "
            f"tạo với {people} lượt cán bộ, người dân tham gia."
        )
    )


def _communication(w: _Writer) -> None:
    c = w.d["communication"]
    query = f"Trang Đào tạo, truyền thông của {w.name}: hoạt động đến ngày {_end_text(w.d)}"
    for m in c["movements"]:
        when = ""
        if m["date"]:
            y, mo, d = m["date"].split("-")
            when = f" ngày {d}/{mo}/{y}"
        w.add(Para(f"{m['launched_by']} phát động phong trào thi đua «{m['name']}»{when}."))
    if c["activities"]:
        n = w.num("communication_activities", c["activities"], "Số hoạt động tuyên truyền", query)
        text = f"Đến ngày {_end_text(w.d)}, đã ghi nhận {n} hoạt động tuyên truyền"
        if c["reach"]:
            reach = w.num("communication_reach", c["reach"], "Số lượt người được tiếp cận", query)
            text += f", tiếp cận {reach} lượt người"
        w.add(Para(text + "."))


def _resources(w: _Writer) -> None:
    w.add(Heading("III. HUY ĐỘNG NGUỒN LỰC"))
    w.add(Heading("1. Đóng góp của cộng đồng", 2))
    c = w.d["contributions"]
    if not c["sums"] or all(v is None for v in c["sums"].values()):
        w.add(Para(f"Chưa có số liệu đóng góp của cộng đồng đến ngày {_end_text(w.d)}.", "note"))
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
                f"Từ tháng {int(m0)}/{y0} đến ngày {_end_text(w.d)}, người dân và cộng đồng đã hiến "
                f"{land} m² đất; đóng góp {labour} ngày công lao động; {cash} triệu đồng tiền mặt; "
                f"vật liệu trị giá {goods} triệu đồng."
            )
        )
    w.add(Heading("2. Vốn thực hiện Chương trình", 2))
    _capital(w)


def _capital(w: _Writer) -> None:
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


def _capital_period(w: _Writer, period: dict[str, Any]) -> None:
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


def _capital_table(w: _Writer, rows: list[dict[str, Any]]) -> Table:
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


def _results(w: _Writer) -> None:
    d = w.d
    w.add(Heading("IV. KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ QUỐC GIA VỀ XÃ NÔNG THÔN MỚI"))
    s = d["summary"]
    sets = "; ".join(
        f"{x['title']} ({x['decision']})" if x["decision"] else x["title"] for x in d["set"]
    )
    communes = w.num("communes", s["communes"], "Số xã thuộc Chương trình", w.summary_query(w.year))
    w.add(
        Para(f"Năm {w.year}, {w.name} có {communes} xã thuộc Chương trình, đánh giá theo {sets}.")
    )
    if s["structure_note"]:
        w.add(Para(s["structure_note"], "note"))
    _averages(w)
    _standard(w)
    _children(w)
    _criteria(w)
    if s["not_evaluated"]:
        names = ", ".join(f"{r['name']} ({r['reason']})" for r in s["not_evaluated"])
        w.add(Para(f"Các xã chưa được đánh giá năm {w.year}: {names}.", "note"))


def _averages(w: _Writer) -> None:
    d = w.d
    s, first, prev = d["summary"], d["summary_first"], d["summary_previous"]
    avg = w.num(
        "avg_criteria",
        s["avg_criteria"],
        f"Bình quân tiêu chí/xã năm {w.year}",
        w.summary_query(w.year),
        2,
    )
    text = f"Bình quân đạt {avg} tiêu chí/xã"
    changes = []
    if prev is not None:
        p = w.num(
            "avg_criteria_previous",
            prev["avg_criteria"],
            f"Bình quân tiêu chí/xã năm {prev['year']}",
            w.summary_query(prev["year"]),
            2,
        )
        changes.append(f"năm {prev['year']}: {p}{_delta(d, s, prev)}")
    if first["year"] != w.year and (prev is None or first["year"] != prev["year"]):
        f = w.num(
            "avg_criteria_first",
            first["avg_criteria"],
            f"Bình quân tiêu chí/xã năm {first['year']}",
            w.summary_query(first["year"]),
            2,
        )
        changes.append(f"năm {first['year']}, năm đầu có số liệu: {f}{_delta(d, s, first)}")
    if changes:
        text += " (" + "; ".join(changes) + ")"
    w.add(Para(text + "."))
    sizes = d["set_sizes"]
    if len(set(sizes.values())) > 1:
        told = ", ".join(f"năm {y}: {n} tiêu chí" for y, n in sorted(sizes.items()))
        w.add(
            Para(
                f"Lưu ý: các năm được so sánh đánh giá theo các bộ tiêu chí có số tiêu chí "
                f"khác nhau ({told}); so sánh số tiêu chí bình quân chỉ mang tính tham khảo.",
                "note",
            )
        )


def _delta(d: dict[str, Any], now: dict[str, Any], then: dict[str, Any]) -> str:
    """ ", tăng 1,43 tiêu chí"; nothing when the two years' sets differ in size (19 vs 10
    criteria: the difference would not be a change in the communes)."""
    if now["avg_criteria"] is None or then["avg_criteria"] is None:
        return ""
    sizes = d["set_sizes"]
    if sizes.get(str(now["year"])) != sizes.get(str(then["year"])):
        return ""
    diff = round(now["avg_criteria"] - then["avg_criteria"], 2)
    if diff == 0:
        return ", không đổi"  # "tăng 0,00 tiêu chí" reads as a slip
    word = "tăng" if diff > 0 else "giảm"
    return f", {word} {format_number(abs(diff), 2)} tiêu chí"


def _standard(w: _Writer) -> None:
    d = w.d
    s, prev = d["summary"], d["summary_previous"]
    met = w.num(
        "meeting_standard",
        s["meeting_standard"],
        f"Số xã đạt chuẩn năm {w.year}",
        w.summary_query(w.year),
    )
    text = f"Toàn {_area(w)} có {met} xã đạt chuẩn nông thôn mới"
    if prev is not None:
        p = w.num(
            "meeting_standard_previous",
            prev["meeting_standard"],
            f"Số xã đạt chuẩn năm {prev['year']}",
            w.summary_query(prev["year"]),
        )
        text += f" (năm {prev['year']}: {p} xã)"
    w.add(Para(text + "."))
    tiers = [t for t in d["tiers"] if t["code"] != "ntm"]
    if tiers:
        parts = [
            f"{t['name']}: "
            + w.num("tier_" + t["code"], t["communes"], t["name"], w.summary_query(w.year))
            + " xã"
            for t in tiers
        ]
        w.add(Para("Theo mức đạt chuẩn: " + "; ".join(parts) + "."))
    labels = list(s["buckets"])
    cells = [
        w.num(
            f"bucket_{label}",
            s["buckets"][label],
            f"Số xã đạt {label} tiêu chí",
            w.summary_query(w.year),
        )
        for label in labels
    ]
    w.add(
        Table(
            f"Số xã theo số tiêu chí đạt năm {w.year}",
            [f"{label} tiêu chí" for label in labels],
            [cells],
            frozenset(range(len(labels))),
        )
    )


def _area(w: _Writer) -> str:
    level = w.d["unit"]["level"]
    return {"province": "tỉnh", "district": "huyện"}.get(level, "xã")


def _children(w: _Writer) -> None:
    """The districts (before 7/2025); communes directly under the unit are in the annex."""
    children = [c for c in w.d["summary"].get("children") or [] if len(c["unit_code"]) == 3]
    if not children:
        return
    rows = []
    for c in children:
        q = w.summary_query(w.year) + " --by child"
        rows.append(
            [
                c["name"],
                w.num(f"child_{c['unit_code']}_communes", c["communes"], f"{c['name']}: số xã", q),
                w.num(
                    f"child_{c['unit_code']}_avg",
                    c["avg_criteria"],
                    f"{c['name']}: bình quân tiêu chí/xã",
                    q,
                    2,
                ),
                w.num(
                    f"child_{c['unit_code']}_standard",
                    c["meeting_standard"],
                    f"{c['name']}: số xã đạt chuẩn",
                    q,
                ),
            ]
        )
    w.add(
        Table(
            f"Kết quả theo đơn vị trực thuộc năm {w.year}",
            ["Đơn vị", "Số xã", "Bình quân tiêu chí/xã", "Xã đạt chuẩn"],
            rows,
            frozenset({1, 2, 3}),
        )
    )


def _criteria(w: _Writer) -> None:
    rows = []
    for c in w.d["criteria"]:
        q = w.summary_query(w.year) + "; số xã đạt từng tiêu chí (biểu đồ trên trang đơn vị)"
        met = w.num(
            f"criterion_{c['set']}_{c['code']}",
            c["met"],
            f"Số xã đạt tiêu chí {c['code']}. {c['name']}",
            q,
        )
        share = 100 * c["met"] / c["judged"] if c["judged"] else None
        rows.append(
            [
                f"{c['code']}. {c['name']}",
                met,
                BLANK
                if share is None
                else w.num(
                    f"criterion_{c['set']}_{c['code']}_percent",
                    share,
                    f"Tỷ lệ xã đạt tiêu chí {c['code']} (%)",
                    q,
                    1,
                ),
            ]
        )
    if rows:
        w.add(
            Table(
                f"Số xã đạt từng tiêu chí năm {w.year}",
                ["Tiêu chí", "Số xã đạt", "Tỷ lệ (%)"],
                rows,
                frozenset({1, 2}),
            )
        )


def _targets(w: _Writer) -> None:
    w.add(Heading("V. MỤC TIÊU VÀ TIẾN ĐỘ"))
    targets = w.d["targets"]
    if not targets:
        w.add(Para("Chưa có mục tiêu nào được ghi trong hệ thống cho các năm tới.", "note"))
    for t in targets:
        if isinstance(t["actual"], (int, float)) and isinstance(t["target"], (int, float)):
            digits = 0 if float(t["target"]).is_integer() else 2
            q = f"Trang Mục tiêu của {w.name}: mục tiêu '{t['name']}', số liệu năm {t['data_year']}"
            actual = w.num(
                f"target_{t['name']}",
                t["actual"],
                f"Thực hiện: {t['name']}",
                q,
                digits if isinstance(t["actual"], int) is False else 0,
            )
            text = f"{t['name']} (đến năm {t['year']}): năm {t['data_year']} đạt {actual}."
        elif t["actual"] is not None:
            text = (
                f"{t['name']} (đến năm {t['year']}): {t['actual']} (số liệu năm {t['data_year']})."
            )
        else:
            text = f"{t['name']} (đến năm {t['year']}): chưa có số liệu."
        w.add(Para(text))
        if t["simulated_data"]:
            w.add(
                Para(
                    "Số liệu thực hiện là số liệu mô phỏng (demo), không phải số liệu thật.", "note"
                )
            )
    _forecast(w)


def _forecast(w: _Writer) -> None:
    f = w.d["forecast"]
    if f is None:
        return
    e = f["expected"]
    q = (
        f"Dự báo từ kết quả đánh giá đến năm {f['base_year']}; kiểm tra: ntm forecast --unit "
        f"{w.code} --target-year {f['target_year']} --base-year {f['base_year']} --format json"
    )
    count = w.num(
        "forecast_count", e["count"], f"Số xã đạt chuẩn dự kiến năm {f['target_year']}", q, 1
    )
    low = w.num("forecast_low", e["low"], "Cận dưới khoảng dự báo 90%", q)
    high = w.num("forecast_high", e["high"], "Cận trên khoảng dự báo 90%", q)
    text = (
        f"Theo xu hướng số liệu đến năm {f['base_year']}, dự kiến đến năm {f['target_year']} "
        f"có khoảng {count} xã đạt chuẩn (khoảng dự báo 90%: {low}-{high} xã)"
    )
    if f["target"]:
        goal = w.num("forecast_target", f["target"]["value"], "Mục tiêu số xã đạt chuẩn", q)
        verdict = (
            "đạt"
            if e["low"] >= f["target"]["value"]
            else ("có thể đạt" if e["high"] >= f["target"]["value"] else "khó đạt")
        )
        text += f", so với mục tiêu {goal} xã: {verdict} mục tiêu"
    w.add(Para(text + "."))
    w.add(Para("Phương pháp: " + f["method"], "note"))
    b = f.get("backtest")
    if b:
        guess = w.num("backtest_forecast", b["forecast"], "Dự báo kiểm tra lại", q, 1)
        real = w.num("backtest_actual", b.get("actual"), "Thực tế năm kiểm tra", q)
        w.add(
            Para(
                f"Kiểm tra lại phương pháp: dùng số liệu đến năm {b['fit_year']} dự báo năm "
                f"{b['check_year']} được {guess} xã đạt chuẩn, thực tế {real} xã.",
                "note",
            )
        )


def _limitations(w: _Writer) -> None:
    w.add(Heading("VI. TỒN TẠI, HẠN CHẾ (TỪ SỐ LIỆU)"))
    criteria = sorted(w.d["criteria"], key=lambda c: c["met"] / c["judged"] if c["judged"] else 1)
    hardest = criteria[:3]
    if hardest:
        parts = [
            f"{c['name']} ("
            + w.num(
                "hardest_" + c["code"],
                c["met"],
                "Số xã đạt tiêu chí " + c["code"],
                w.summary_query(w.year),
            )
            + f"/{c['judged']} xã)"
            for c in hardest
        ]
        w.add(Para("Các tiêu chí có ít xã đạt nhất: " + "; ".join(parts) + "."))
    slipping = w.d["slipping"]
    if slipping:
        n = w.num(
            "slipping",
            len(slipping),
            "Số xã đã công nhận nhưng nay không còn đạt",
            f"Hồ sơ đã công nhận trước năm {w.year} và kết quả đánh giá năm {w.year} "
            f"(trang Việc cần làm: cảnh báo xã tụt chuẩn)",
        )
        names = "; ".join(
            f"{s['name']} (công nhận năm {s['recognised_year']}; chưa đạt tiêu chí "
            f"{', '.join(s['not_met'])})"
            for s in slipping
        )
        w.add(
            Para(
                f"{n} xã đã được công nhận đạt chuẩn nhưng số liệu năm {w.year} không còn "
                f"đạt: {names}."
            )
        )
    else:
        w.add(
            Para(f"Không có xã nào đã được công nhận mà số liệu năm {w.year} không còn đạt chuẩn.")
        )
    slow = w.d["capital"]["slow"]
    if slow:
        parts = [f"{r['label']} ({format_rate(r['rate'])}%)" for r in slow]
        w.add(
            Para(
                f"Giải ngân chậm (dưới {w.d['slow_percent']}% vốn đã bố trí năm {w.year}): "
                + "; ".join(parts)
                + "."
            )
        )
    elif not w.d["capital"]["year_rows"]:
        w.add(
            Para(f"Chưa có số liệu giải ngân năm {w.year} để đánh giá tiến độ giải ngân.", "note")
        )
    w.add(Para("Nguyên nhân và các hạn chế khác: " + DOTS, "author"))


def format_rate(rate: float) -> str:
    return format_number(rate, 1)


def _tasks(w: _Writer) -> None:
    w.add(Heading("VII. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI"))
    w.add(Para("Phần này do đơn vị soạn thảo bổ sung: " + DOTS, "author"))
    s = w.d["summary"]
    near = next(iter(list(s["buckets"].items())[1:2]), None)
    hints = []
    if near and near[1]:
        hints.append(f"{near[1]} xã đạt {near[0]} tiêu chí là nhóm gần chuẩn nhất")
    hardest = sorted(w.d["criteria"], key=lambda c: c["met"] / c["judged"] if c["judged"] else 1)
    if hardest:
        hints.append("các tiêu chí cần tập trung: " + ", ".join(c["name"] for c in hardest[:3]))
    if hints:
        w.add(
            Para("Gợi ý từ số liệu (để người soạn cân nhắc): " + "; ".join(hints) + ".", "author")
        )
