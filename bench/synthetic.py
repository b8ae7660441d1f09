"""Synthetic national-scale test data: communes, a QĐ 1980/2016-shaped criteria set, values.

Nothing here is official: thresholds are illustrative, only the shape (19 criteria, 49
indicators, 7 regions, a few unconfirmed cells) follows the 2016-2020 national set.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ntm.core.evaluate import threshold_matrix
from ntm.core.model import CriteriaSet, Criterion, Indicator, Level, Op, Threshold, Tier

GSO_ENV = "NTM_GSO_COMMUNES"
GSO_DEFAULT = (
    Path(__file__).resolve().parents[1].parent / "shared/reference/gso_communes_2020-02-25.csv"
)

REGIONS = {
    "TDMNPB": "Trung du và miền núi phía Bắc",
    "DBSH": "Đồng bằng sông Hồng",
    "BTB": "Bắc Trung Bộ",
    "DHNTB": "Duyên hải Nam Trung Bộ",
    "TN": "Tây Nguyên",
    "DNB": "Đông Nam Bộ",
    "DBSCL": "Đồng bằng sông Cửu Long",
}

# GSO province code (Mã TP, before the 2025 mergers) -> region; GSO's "Bắc Trung Bộ và
# duyên hải miền Trung" is split into BTB and DHNTB as the NTM criteria sets do.
_REGION_PROVINCES = {
    "TDMNPB": "02 04 06 08 10 11 12 14 15 17 19 20 24 25",
    "DBSH": "01 22 26 27 30 31 33 34 35 36 37",
    "BTB": "38 40 42 44 45 46",
    "DHNTB": "48 49 51 52 54 56 58 60",
    "TN": "62 64 66 67 68",
    "DNB": "70 72 74 75 77 79",
    "DBSCL": "80 82 83 84 86 87 89 91 92 93 94 95 96",
}
PROVINCE_REGION = {p: r for r, ps in _REGION_PROVINCES.items() for p in ps.split()}


class Commune(NamedTuple):
    code: str  # Mã PX
    name: str
    province: str  # Mã TP

    @property
    def region(self) -> str:
        return PROVINCE_REGION[self.province]


def gso_csv_path() -> Path:
    env = os.environ.get(GSO_ENV)
    return Path(env) if env else GSO_DEFAULT


def load_communes(path: Path | None = None) -> list[Commune]:
    """Every row of the GSO commune list (xã, phường, thị trấn)."""
    path = path or gso_csv_path()
    if not path.is_file():
        raise SystemExit(
            f"Không tìm thấy danh sách đơn vị hành chính cấp xã của Tổng cục Thống kê: {path}. "
            f"Đặt biến môi trường {GSO_ENV} trỏ tới tệp gso_communes_2020-02-25.csv "
            "(trong CI tệp nằm ở ../shared/reference/ so với thư mục gốc của dự án)."
        )
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    communes = []
    for n, row in enumerate(rows, start=2):
        try:
            commune = Commune(row["Mã PX"], row["Phường Xã"], row["Mã TP"])
        except KeyError as exc:
            raise SystemExit(f"Tệp {path.name}: thiếu cột {exc.args[0]}") from None
        if commune.province not in PROVINCE_REGION:
            raise SystemExit(
                f"Tệp {path.name}, dòng {n}: mã tỉnh '{commune.province}' không thuộc vùng nào"
            )
        communes.append(commune)
    if not communes:
        raise SystemExit(f"Tệp {path.name} không có dòng dữ liệu nào")
    return communes


# (code, text, unit, op, thresholds in REGIONS order; None = unconfirmed cell)
_R = tuple[float | None, ...]
_ALL_DAT: _R = (1, 1, 1, 1, 1, 1, 1)
_ALL_KHONG: _R = (0, 0, 0, 0, 0, 0, 0)
_INDICATORS: dict[tuple[str, str], list[tuple[str, str, str, Op, _R]]] = {
    ("1", "Quy hoạch"): [
        ("1.1", "Có quy hoạch chung xây dựng xã được phê duyệt", "", Op.DAT, _ALL_DAT),
        ("1.2", "Ban hành quy định quản lý quy hoạch", "", Op.DAT, _ALL_DAT),
    ],
    ("2", "Giao thông"): [
        ("2.1", "Đường xã được nhựa hóa hoặc bê tông hóa", "%", Op.GE, (100,) * 7),
        ("2.2", "Đường thôn, xóm được cứng hóa", "%", Op.GE, (70, 100, 80, 80, 70, 100, 70)),
        ("2.3", "Đường ngõ, xóm sạch, không lầy lội", "%", Op.GE, (70, 100, 100, 100, 70, 100, 70)),
        (
            "2.4",
            "Đường trục chính nội đồng được cứng hóa",
            "%",
            Op.GE,
            (50, 100, 70, 70, 50, 70, 50),
        ),
    ],
    ("3", "Thủy lợi"): [
        ("3.1", "Diện tích đất sản xuất được tưới, tiêu chủ động", "%", Op.GE, (80,) * 7),
        ("3.2", "Đảm bảo yêu cầu dân sinh, phòng chống thiên tai", "", Op.DAT, _ALL_DAT),
    ],
    ("4", "Điện"): [
        ("4.1", "Hệ thống điện đạt chuẩn", "", Op.DAT, _ALL_DAT),
        ("4.2", "Hộ sử dụng điện thường xuyên, an toàn", "%", Op.GE, (95, 99, 98, 98, 95, 99, 98)),
    ],
    ("5", "Trường học"): [
        ("5", "Trường học có cơ sở vật chất đạt chuẩn", "%", Op.GE, (70, 80, 80, 80, 70, 80, 70)),
    ],
    ("6", "Cơ sở vật chất văn hóa"): [
        ("6.1", "Có nhà văn hóa hoặc hội trường đa năng", "", Op.DAT, _ALL_DAT),
        ("6.2", "Có điểm vui chơi, giải trí, thể thao", "", Op.DAT, _ALL_DAT),
        ("6.3", "Thôn có nhà văn hóa, khu thể thao", "%", Op.GE, (100,) * 7),
    ],
    ("7", "Cơ sở hạ tầng thương mại nông thôn"): [
        ("7", "Xã có chợ nông thôn hoặc nơi mua bán đạt chuẩn", "", Op.DAT, _ALL_DAT),
    ],
    ("8", "Thông tin và Truyền thông"): [
        ("8.1", "Có điểm phục vụ bưu chính", "", Op.DAT, _ALL_DAT),
        ("8.2", "Có dịch vụ viễn thông, internet", "", Op.DAT, _ALL_DAT),
        ("8.3", "Có đài truyền thanh và loa đến các thôn", "", Op.DAT, _ALL_DAT),
        ("8.4", "Ứng dụng công nghệ thông tin trong quản lý", "", Op.DAT, _ALL_DAT),
    ],
    ("9", "Nhà ở dân cư"): [
        ("9.1", "Nhà tạm, dột nát", "", Op.KHONG, _ALL_KHONG),
        ("9.2", "Hộ có nhà ở đạt chuẩn", "%", Op.GE, (75, 80, 80, 80, 75, 80, 70)),
    ],
    ("10", "Thu nhập"): [
        (
            "10",
            "Thu nhập bình quân đầu người",
            "triệu đồng/năm",
            Op.GE,
            (36, 50, 41, 45, None, 59, 50),
        ),
    ],
    ("11", "Hộ nghèo"): [
        ("11", "Tỷ lệ hộ nghèo đa chiều", "%", Op.LE, (12, 2, 5, 5, 12, 1, 5)),
    ],
    ("12", "Lao động có việc làm"): [
        ("12", "Tỷ lệ người có việc làm trong độ tuổi lao động", "%", Op.GE, (90,) * 7),
    ],
    ("13", "Tổ chức sản xuất"): [
        ("13.1", "Có hợp tác xã hoạt động hiệu quả", "", Op.DAT, _ALL_DAT),
        ("13.2", "Có mô hình liên kết sản xuất gắn với tiêu thụ", "", Op.DAT, _ALL_DAT),
    ],
    ("14", "Giáo dục và Đào tạo"): [
        (
            "14.1",
            "Phổ cập giáo dục mầm non, xóa mù chữ, phổ cập tiểu học, THCS",
            "",
            Op.DAT,
            _ALL_DAT,
        ),
        ("14.2", "Học sinh tốt nghiệp THCS tiếp tục học", "%", Op.GE, (70, 90, 80, 80, 70, 85, 70)),
        ("14.3", "Lao động có việc làm qua đào tạo", "%", Op.GE, (25, 40, 35, 35, 25, 45, 25)),
    ],
    ("15", "Y tế"): [
        ("15.1", "Người dân tham gia bảo hiểm y tế", "%", Op.GE, (85,) * 7),
        ("15.2", "Xã đạt tiêu chí quốc gia về y tế", "", Op.DAT, _ALL_DAT),
        (
            "15.3",
            "Trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi",
            "%",
            Op.LE,
            (34.5, 21.1, 26.7, 26.7, 34.5, 20.1, None),
        ),
    ],
    ("16", "Văn hóa"): [
        ("16", "Thôn đạt tiêu chuẩn văn hóa", "%", Op.GE, (70,) * 7),
    ],
    ("17", "Môi trường và an toàn thực phẩm"): [
        ("17.1", "Hộ dùng nước hợp vệ sinh và nước sạch", "%", Op.GE, (90, 98, 95, 95, 90, 98, 90)),
        ("17.2", "Cơ sở sản xuất, kinh doanh đảm bảo môi trường", "%", Op.GE, (100,) * 7),
        ("17.3", "Cảnh quan, không gian xanh - sạch - đẹp", "", Op.DAT, _ALL_DAT),
        ("17.4", "Mai táng phù hợp quy hoạch", "", Op.DAT, _ALL_DAT),
        ("17.5", "Chất thải rắn được thu gom, xử lý", "", Op.DAT, _ALL_DAT),
        (
            "17.6",
            "Hộ có nhà tiêu, nhà tắm, bể nước hợp vệ sinh",
            "%",
            Op.GE,
            (70, 90, 85, 85, 70, 90, None),
        ),
        (
            "17.7",
            "Hộ chăn nuôi có chuồng trại hợp vệ sinh",
            "%",
            Op.GE,
            (60, 80, 70, 70, 60, 80, 60),
        ),
        ("17.8", "Cơ sở thực phẩm tuân thủ quy định an toàn thực phẩm", "%", Op.GE, (100,) * 7),
    ],
    ("18", "Hệ thống chính trị và tiếp cận pháp luật"): [
        ("18.1", "Cán bộ, công chức xã đạt chuẩn", "", Op.DAT, _ALL_DAT),
        ("18.2", "Có đủ tổ chức trong hệ thống chính trị", "", Op.DAT, _ALL_DAT),
        (
            "18.3",
            "Đảng bộ, chính quyền xã đạt tiêu chuẩn trong sạch, vững mạnh",
            "",
            Op.DAT,
            _ALL_DAT,
        ),
        ("18.4", "Tổ chức chính trị - xã hội xếp loại khá trở lên", "%", Op.GE, (100,) * 7),
        ("18.5", "Xã đạt chuẩn tiếp cận pháp luật", "", Op.DAT, (1, 1, 1, None, 1, 1, 1)),
        ("18.6", "Bình đẳng giới và phòng chống bạo lực gia đình", "", Op.DAT, _ALL_DAT),
    ],
    ("19", "Quốc phòng và An ninh"): [
        ("19.1", "Xây dựng lực lượng dân quân vững mạnh, rộng khắp", "", Op.DAT, _ALL_DAT),
        ("19.2", "Xã đạt chuẩn an toàn về an ninh, trật tự xã hội", "", Op.DAT, _ALL_DAT),
    ],
}

SOURCE = "Số liệu tổng hợp cho benchmark, không phải ngưỡng chính thức"


def build_criteria_set() -> CriteriaSet:
    """A synthetic commune-level set shaped like QĐ 1980/QĐ-TTg (2016-2020)."""
    tier = Tier("ntm", "Nông thôn mới")
    criteria = []
    for (ccode, cname), rows in _INDICATORS.items():
        indicators = tuple(
            Indicator(
                code=code,
                text=text,
                unit=unit,
                op=op,
                criterion=ccode,
                clause="",
                thresholds={
                    tier.code: {
                        region: Threshold(float(v), SOURCE, illustrative=True)
                        for region, v in zip(REGIONS, values, strict=True)
                        if v is not None
                    }
                },
                tiers=(tier.code,),
            )
            for code, text, unit, op, values in rows
        )
        criteria.append(Criterion(code=ccode, name=cname, group="", indicators=indicators))
    return CriteriaSet(
        id="bench-qd1980-2016",
        title="Bộ tiêu chí quốc gia về xã nông thôn mới (mô phỏng cho benchmark)",
        decision="QĐ 1980/QĐ-TTg (mô phỏng)",
        level=Level.COMMUNE,
        issued=dt.date(2016, 10, 17),
        effective=dt.date(2016, 10, 17),
        classification="region",
        classes=dict(REGIONS),
        tiers=(tier,),
        criteria=tuple(criteria),
        period=(2016, 2020),
    )


def row_classes(communes: Sequence[Commune], years: int) -> list[str]:
    """The region of every unit-year row; rows are commune-major (commune i, year y)."""
    return [c.region for c in communes for _ in range(years)]


def make_values(
    cset: CriteriaSet, communes: Sequence[Commune], years: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    """An (communes x years) x indicators matrix; each value is met with probability ~0.9-0.99
    (rising over the years), some land exactly on the threshold, ~3% are NaN."""
    classes, table = threshold_matrix(cset, cset.primary_tier)
    # Unconfirmed cells still need plausible values: use the column's loosest/strictest cell.
    filled = np.where(np.isnan(table), np.nanmax(table, axis=0), table)
    index = {c: i for i, c in enumerate(classes)}
    region_rows = np.array([index[c.region] for c in communes], dtype=np.intp)
    thr = np.repeat(filled[region_rows], years, axis=0)  # N x M
    n = thr.shape[0]
    indicators = cset.indicators
    step = np.linspace(0.0, 1.0, years) if years > 1 else np.array([0.5])
    p_met = np.tile(0.90 + 0.09 * step, len(communes))[:, None]
    met = rng.random(thr.shape) < p_met
    spread = np.maximum(1.0, 0.25 * np.abs(thr)) * rng.random(thr.shape)
    spread[rng.random(thr.shape) < 0.1] = 0.0  # exactly on the threshold
    values = np.empty_like(thr)
    for j, ind in enumerate(indicators):
        t, s, m = thr[:, j], spread[:, j], met[:, j]
        if ind.op is Op.DAT:
            col = np.where(m, 1.0, 0.0)
        elif ind.op is Op.KHONG:
            col = np.where(m, 0.0, 1.0)
        elif ind.op in (Op.GE, Op.GT):
            eps = 0.01 if ind.op is Op.GT else 0.0
            col = np.where(m, t + s + eps, t - np.maximum(s, 0.01))
        else:  # LE, LT
            eps = 0.01 if ind.op is Op.LT else 0.0
            col = np.where(m, t - s - eps, t + np.maximum(s, 0.01))
        if ind.unit == "%":
            col = np.clip(col, 0.0, 100.0)
        values[:, j] = np.round(col, 2)
    values[rng.random(values.shape) < 0.03] = np.nan
    assert values.shape == (n, len(indicators))
    return values
