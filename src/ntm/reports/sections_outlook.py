"""Sections V-VII: targets and the forecast, limitations drawn from the data, tasks ahead."""

from __future__ import annotations

from ntm.reports.document import DOTS, Heading, Para
from ntm.reports.wording import (
    Writer,
    format_rate,
)


def targets_section(w: Writer) -> None:
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


def _forecast(w: Writer) -> None:
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


def limitations_section(w: Writer) -> None:
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


def tasks_section(w: Writer) -> None:
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
