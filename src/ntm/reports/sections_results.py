"""Section IV: the criteria results (averages, the standard, districts, each criterion)."""

from __future__ import annotations

from typing import Any

from ntm.core.values import format_number
from ntm.reports.document import Heading, Para, Table
from ntm.reports.figures import BLANK
from ntm.reports.wording import (
    Writer,
)


def results_section(w: Writer) -> None:
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


def _averages(w: Writer) -> None:
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


def _standard(w: Writer) -> None:
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


def _area(w: Writer) -> str:
    level = w.d["unit"]["level"]
    return {"province": "tỉnh", "district": "huyện"}.get(level, "xã")


def _children(w: Writer) -> None:
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


def _criteria(w: Writer) -> None:
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
