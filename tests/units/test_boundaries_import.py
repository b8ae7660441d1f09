"""`ntm boundaries import FILE --key FIELD`: outlines of the units of a year, all or nothing,
refusing hostile files with the feature's index and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ntm.audit.models import AuditEvent, Origin
from ntm.units import boundaries
from ntm.units.models import Unit, UnitBoundary

pytestmark = pytest.mark.django_db

RING = [[103.4, 22.3], [103.5, 22.3], [103.5, 22.4], [103.4, 22.3]]


def polygon(ring: list[list[float]] | None = None) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring or RING]}


def feature(code: Any, geometry: dict[str, Any] | None = None, key: str = "ma") -> dict[str, Any]:
    return {"type": "Feature", "properties": {key: code}, "geometry": geometry or polygon()}


def write(tmp_path: Path, features: list[Any], name: str = "ranh-gioi.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def run(path: Path, *extra: str, key: str = "ma", year: str = "2019") -> None:
    call_command("boundaries", "import", str(path), "--key", key, "--year", year, *extra)


def refused(path: Path, *extra: str, **kwargs: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(path, *extra, **kwargs)
    assert caught.value.returncode == 2
    return str(caught.value)


def commune(code: str, year: int = 2019) -> Unit:
    rows = Unit.objects.filter(level="commune", code=code)
    return rows.get(valid_from__isnull=True) if year < 2025 else rows.get(valid_from__year=2025)


def test_it_stores_each_outline_on_the_unit_row_of_the_year(laichau, tmp_path):
    multi = {"type": "MultiPolygon", "coordinates": [[RING], [RING]]}
    run(write(tmp_path, [feature("03409"), feature("03403", multi), feature("105")]))
    assert UnitBoundary.objects.count() == 3
    assert commune("03409").boundary.geometry == polygon()
    assert commune("03403").boundary.geometry["type"] == "MultiPolygon"
    assert Unit.objects.get(level="district", code="105").boundary.source == "ranh-gioi.geojson"


def test_the_same_code_reaches_another_row_in_another_year(laichau, tmp_path):
    run(write(tmp_path, [feature("03388")]), year="2026")
    assert UnitBoundary.objects.get().unit == commune("03388", 2026)
    assert commune("03388", 2026).name == "Phường Đoàn Kết"


def test_a_code_written_as_a_number_finds_its_commune(laichau, tmp_path):
    run(write(tmp_path, [feature(3409)]))
    assert UnitBoundary.objects.get().unit == commune("03409")


def test_coordinates_are_kept_to_about_a_metre(laichau, tmp_path):
    fine = [[103.1234567, 22.7654321], [103.2, 22.7], [103.3, 22.8], [103.1234567, 22.7654321]]
    run(write(tmp_path, [feature("03409", polygon(fine))]))
    assert commune("03409").boundary.geometry["coordinates"][0][0] == [103.12346, 22.76543]


def test_a_new_import_replaces_the_outline(laichau, tmp_path):
    run(write(tmp_path, [feature("03409")]))
    other = [[103.0, 22.0], [103.1, 22.0], [103.1, 22.1], [103.0, 22.0]]
    run(write(tmp_path, [feature("03409", polygon(other))]))
    assert UnitBoundary.objects.get().geometry == polygon(other)


def test_the_import_is_audited_as_a_command(laichau, tmp_path):
    run(write(tmp_path, [feature("03409"), feature("03403")]))
    event = AuditEvent.objects.get(action="boundaries.import")
    assert event.origin == Origin.CLI
    assert event.after == {"units": 2, "key": "ma", "file": "ranh-gioi.geojson"}
    assert event.year == 2019


def test_a_dry_run_writes_nothing(laichau, tmp_path, capsys):
    run(write(tmp_path, [feature("03409")]), "--dry-run")
    assert "1 đơn vị hợp lệ" in capsys.readouterr().out
    assert not UnitBoundary.objects.exists()
    assert not AuditEvent.objects.filter(action="boundaries.import").exists()


def test_one_unknown_code_refuses_the_whole_file_naming_its_feature(laichau, tmp_path):
    run(write(tmp_path, [feature("03409")]))
    before = UnitBoundary.objects.get().geometry
    other = [[103.0, 22.0], [103.1, 22.0], [103.1, 22.1], [103.0, 22.0]]
    message = refused(write(tmp_path, [feature("03409", polygon(other)), feature("99999")]))
    assert "features[1]" in message and "'99999'" in message and "năm 2019" in message
    assert "chưa ghi gì" in message
    assert UnitBoundary.objects.get().geometry == before


def test_a_code_of_another_period_is_unknown(laichau, tmp_path):
    # 03397 (old Sùng Phài) ended on 31/12/2019
    assert "features[0]" in refused(write(tmp_path, [feature("03397")]), year="2020")


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        ({"type": "Point", "coordinates": [103.4, 22.3]}, "Point"),
        ({"type": "LineString", "coordinates": RING}, "LineString"),
        ({"type": "GeometryCollection", "geometries": []}, "GeometryCollection"),
        (polygon(RING[:-1]), "khép kín"),  # not closed
        (polygon([[103.4, 22.3], [103.5, 22.3], [103.4, 22.3]]), "khép kín"),  # too short
        (polygon([[203.4, 22.3], [103.5, 22.3], [103.5, 22.4], [203.4, 22.3]]), "tọa độ"),
        (polygon([["103.4", 22.3], [103.5, 22.3], [103.5, 22.4], ["103.4", 22.3]]), "tọa độ"),
        ({"type": "Polygon", "coordinates": "[[1,2]]"}, "tọa độ"),
        ({"type": "MultiPolygon", "coordinates": [[RING], "x"]}, "tọa độ"),
    ],
)
def test_it_refuses_a_geometry_that_is_not_a_polygon(laichau, tmp_path, geometry, reason):
    message = refused(write(tmp_path, [feature("03409"), feature("03403", geometry)]))
    assert "features[1]" in message and reason in message
    assert not UnitBoundary.objects.exists()


def test_it_refuses_a_feature_without_the_key(laichau, tmp_path):
    message = refused(write(tmp_path, [feature("03409", key="code")]))
    assert "features[0]" in message and "'ma'" in message


def test_it_refuses_a_unit_given_twice(laichau, tmp_path):
    message = refused(write(tmp_path, [feature("03409"), feature("03409")]))
    assert "features[1]" in message and "features[0]" in message


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"type": "FeatureCollection", "features": [', "JSON"),
        (b'{"type": "FeatureCollection", "features": []}\x00', "NUL"),
        (b"\xff\xfe{}", "UTF-8"),
        (b'{"type": "Topology"}', "FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "không có đối tượng"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON"),
    ],
)
def test_it_refuses_a_file_that_is_not_geojson(laichau, tmp_path, content, reason):
    path = tmp_path / "xau.geojson"
    path.write_bytes(content)
    assert reason in refused(path)


def test_it_refuses_nan_and_infinity(laichau, tmp_path):
    path = tmp_path / "nan.geojson"
    text = json.dumps({"type": "FeatureCollection", "features": [feature("03409")]})
    path.write_text(text.replace("103.5", "NaN", 1))
    assert "NaN" in refused(path)
    path.write_text(text.replace("103.5", "Infinity", 1))
    assert "Infinity" in refused(path)


def test_it_refuses_a_file_over_the_size_limit_before_parsing_it(laichau, tmp_path, monkeypatch):
    monkeypatch.setattr(boundaries, "MAX_BYTES", 100)
    monkeypatch.setattr(
        "ntm.operations.management.commands.boundaries.MAX_BYTES", boundaries.MAX_BYTES
    )
    path = write(tmp_path, [feature("03409"), feature("03403")])
    assert "giới hạn" in refused(path)
    assert not UnitBoundary.objects.exists()


def test_a_missing_file_is_a_usage_error(laichau, tmp_path):
    assert "Không đọc được tệp" in refused(tmp_path / "khong-co.geojson")


def test_errors_are_capped_and_counted(laichau, tmp_path):
    message = refused(write(tmp_path, [feature(f"9{n:04d}") for n in range(30)]))
    assert "30 lỗi" in message and "… và 10 lỗi khác" in message
