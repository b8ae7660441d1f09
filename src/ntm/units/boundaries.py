"""Unit outlines from a GeoJSON file: checked whole, then written all together or not at all.

The file comes from outside (a survey office, a download), so it is read as hostile: a size
limit before parsing, no NUL byte, strict JSON (no NaN or Infinity), only Polygon and
MultiPolygon geometries with finite longitude/latitude pairs, and every feature's code must
name a unit in force in the chosen year. Every problem is reported with the feature's index,
and one problem refuses the whole file: a map half from the old file and half from the new one
would mislead more than the points it replaces.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ntm.units.models import Level, Unit, UnitBoundary
from ntm.units.selectors import judged_on

# A province's communes at survey precision are a few MB; 50 MB leaves room for a national
# file and stops a file that would take the server's memory before it is even parsed.
MAX_BYTES = 50 * 1024 * 1024
MAX_FEATURES = 20_000
MAX_POINTS = 5_000_000
MAX_ERRORS = 20  # reported; the rest are counted
# 5 decimals of a degree is about 1 m: finer adds weight to every map page, not precision.
DIGITS = 5
_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


class BoundaryError(Exception):
    """The file is refused; the message lists what is wrong, in Vietnamese."""


@dataclass(frozen=True)
class BoundaryPlan:
    year: int
    shapes: dict[int, dict[str, Any]]  # unit id -> geometry
    names: dict[int, str]  # unit id -> name, for the summary


def _refuse_constant(name: str) -> float:
    raise ValueError(f"giá trị {name} không phải số JSON hợp lệ")


def _decoded(content: bytes) -> Any:
    if len(content) > MAX_BYTES:
        raise BoundaryError(
            f"Tệp lớn quá giới hạn {MAX_BYTES // (1024 * 1024)} MB; hãy tách theo tỉnh."
        )
    if b"\x00" in content:
        raise BoundaryError("Tệp chứa ký tự NUL: không phải tệp GeoJSON dạng văn bản.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BoundaryError(f"Tệp không phải văn bản UTF-8 (byte thứ {exc.start + 1}).") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise BoundaryError(
            f"Tệp không phải JSON hợp lệ: {exc.msg} (dòng {exc.lineno}, cột {exc.colno})."
        ) from None
    except (ValueError, RecursionError) as exc:
        raise BoundaryError(f"Tệp không phải JSON hợp lệ: {exc}.") from None


def _features(data: Any) -> list[Any]:
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if isinstance(features, list):
            if len(features) > MAX_FEATURES:
                raise BoundaryError(f"Tệp có hơn {MAX_FEATURES} đối tượng; hãy tách theo tỉnh.")
            return features
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    raise BoundaryError('Tệp phải là GeoJSON "FeatureCollection" có danh sách "features".')


def _position(value: Any) -> list[float] | None:
    """[lon, lat] rounded, or None when not a finite pair inside the globe's ranges."""
    if not isinstance(value, list) or len(value) < 2:
        return None
    lon, lat = value[0], value[1]
    for n in (lon, lat):
        if isinstance(n, bool) or not isinstance(n, int | float) or not math.isfinite(n):
            return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return [round(float(lon), DIGITS), round(float(lat), DIGITS)]


def _ring(value: Any) -> list[list[float]] | None:
    """A closed ring of at least 4 positions (RFC 7946, 3.1.6), or None."""
    if not isinstance(value, list) or len(value) < 4:
        return None
    points = [_position(p) for p in value]
    if any(p is None for p in points) or points[0] != points[-1]:
        return None
    return [p for p in points if p is not None]


def _polygon(value: Any) -> list[list[list[float]]] | None:
    if not isinstance(value, list) or not value:
        return None
    rings = [_ring(r) for r in value]
    return None if any(r is None for r in rings) else [r for r in rings if r is not None]


def _geometry(value: Any) -> dict[str, Any] | str:
    """The cleaned geometry, or the Vietnamese reason it is refused."""
    if not isinstance(value, dict):
        return "không có hình (geometry)"
    kind, coordinates = value.get("type"), value.get("coordinates")
    if kind == "Polygon":
        polygon = _polygon(coordinates)
        if polygon is not None:
            return {"type": kind, "coordinates": polygon}
    elif kind == "MultiPolygon":
        parts = [_polygon(p) for p in coordinates] if isinstance(coordinates, list) else [None]
        if parts and all(p is not None for p in parts):
            return {"type": kind, "coordinates": parts}
    else:
        return f"hình loại {str(kind)[:40]!r}, chỉ nhận Polygon hoặc MultiPolygon"
    return "tọa độ không hợp lệ (cần các vòng khép kín gồm cặp kinh độ, vĩ độ)"


def _points(geometry: dict[str, Any]) -> int:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return sum(len(ring) for polygon in polygons for ring in polygon)


def _code(properties: Any, key: str) -> str | None:
    if not isinstance(properties, dict):
        return None
    value = properties.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value).strip() or None


def _units_by_code(year: int) -> dict[str, list[Unit]]:
    by_code: dict[str, list[Unit]] = {}
    for unit in Unit.objects.filter(level__in=_LEVELS).valid_on(judged_on(year)):
        by_code.setdefault(unit.code, []).append(unit)
    return by_code


def _match(code: str, by_code: dict[str, list[Unit]]) -> list[Unit]:
    # A code written as a number loses its leading zero (3409 for commune 03409).
    return by_code.get(code) or (by_code.get(code.zfill(5), []) if code.isdigit() else [])


def _checked(features: list[Any], key: str, year: int) -> Iterator[tuple[int, Unit | str, Any]]:
    """(index, unit or reason, geometry or None) per feature."""
    by_code = _units_by_code(year)
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            yield index, "không phải một Feature", None
            continue
        code = _code(feature.get("properties"), key)
        if code is None:
            yield index, f"không có thuộc tính {key!r} ghi mã đơn vị", None
            continue
        geometry = _geometry(feature.get("geometry"))
        units = _match(code, by_code)
        if isinstance(geometry, str):
            yield index, f"mã {code[:20]!r}: {geometry}", None
        elif not units:
            yield index, f"mã {code[:20]!r} không là đơn vị nào còn hiệu lực năm {year}", None
        elif len(units) > 1:
            yield index, f"mã {code[:20]!r} trùng nhiều đơn vị năm {year}", None
        else:
            yield index, units[0], geometry


def boundaries_plan(*, content: bytes, key: str, year: int) -> BoundaryPlan:
    """Read and check a GeoJSON file whose features carry the unit code in property ``key``,
    matched against the units in force on the last day of ``year``. Raises BoundaryError
    naming every refused feature (by its index in "features", from 0)."""
    features = _features(_decoded(content))
    if not features:
        raise BoundaryError("Tệp không có đối tượng (feature) nào.")
    errors: list[str] = []
    shapes: dict[int, dict[str, Any]] = {}
    names: dict[int, str] = {}
    first_seen: dict[int, int] = {}
    points = 0
    for index, found, geometry in _checked(features, key, year):
        if isinstance(found, str):
            errors.append(f"features[{index}]: {found}")
        elif found.pk in first_seen:
            errors.append(
                f"features[{index}]: {found.name} ({found.code}) đã có ở "
                f"features[{first_seen[found.pk]}]"
            )
        else:
            first_seen[found.pk] = index
            shapes[found.pk], names[found.pk] = geometry, found.name
            points += _points(geometry)
    if points > MAX_POINTS:
        errors.append(f"tệp có {points} điểm, quá giới hạn {MAX_POINTS}; hãy giản lược hình")
    if errors:
        shown = errors[:MAX_ERRORS]
        more = len(errors) - len(shown)
        tail = f"\n… và {more} lỗi khác." if more else ""
        raise BoundaryError(
            f"Không nhập tệp: {len(errors)} lỗi, chưa ghi gì.\n" + "\n".join(shown) + tail
        )
    return BoundaryPlan(year=year, shapes=shapes, names=names)


@transaction.atomic
def boundaries_save(*, plan: BoundaryPlan, source: str) -> int:
    """Write every outline of the plan (replacing a unit's earlier one); the count written.
    The caller audits the import inside the same transaction."""
    UnitBoundary.objects.filter(unit_id__in=list(plan.shapes)).delete()
    UnitBoundary.objects.bulk_create(
        [
            UnitBoundary(unit_id=unit_id, geometry=geometry, source=source[:255])
            for unit_id, geometry in plan.shapes.items()
        ],
        batch_size=500,
    )
    return len(plan.shapes)
