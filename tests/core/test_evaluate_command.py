"""`ntm evaluate`: through the command line, as a user runs it (no database)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEADER = "unit_code,year,indicator,value\n"


def run(tmp_path: Path, csv_text: str | bytes, *args: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "values.csv"
    if isinstance(csv_text, bytes):
        path.write_bytes(csv_text)
    else:
        path.write_text(csv_text, encoding="utf-8")
    cmd = [sys.executable, "-m", "ntm.cli", "evaluate", str(path), *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def test_it_reports_each_unit_year_with_criteria_and_indicators(tmp_path):
    out = run(
        tmp_path,
        HEADER + "03409,2018,14.2,70\n03409,2018,15.1,84.9\n",
        "--criteria-set",
        "qd1980-2016",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["criteria_set"] == "qd1980-2016"
    [result] = data["results"]
    assert (result["unit_code"], result["year"], result["region"]) == ("03409", 2018, "TDMNPB")
    assert result["group"] is None
    assert result["indicators"]["14.2"] == {
        "value": 70.0,
        "threshold": 70.0,
        "op": ">=",
        "status": "met",
    }
    assert result["indicators"]["15.1"]["status"] == "not_met"
    assert result["criteria"]["15"] == "not_met"
    assert result["criteria_total"] == 19
    assert result["meets_standard"] is False


def test_region_flag_overrides_the_region_of_the_unit(tmp_path):
    out = run(
        tmp_path,
        HEADER + "03409,2018,14.2,85\n",
        "--criteria-set",
        "qd1980-2016",
        "--region",
        "DBSH",
    )
    [result] = json.loads(out.stdout)["results"]
    assert result["region"] == "DBSH"
    assert result["indicators"]["14.2"]["status"] == "not_met"  # DBSH needs 90%


def test_it_accepts_a_bom_extra_columns_and_yes_no_words(tmp_path):
    text = "\ufeffunit_code,year,indicator,value,ghi_chu\n03409,2018,1.1,Đạt,x\n03409,2018,1.2,KHÔNG ĐẠT,y\n"
    out = run(tmp_path, text, "--criteria-set", "qd1980-2016")
    assert out.returncode == 0, out.stderr
    indicators = json.loads(out.stdout)["results"][0]["indicators"]
    assert indicators["1.1"]["status"] == "met"
    assert indicators["1.2"]["status"] == "not_met"


def test_a_group_set_needs_a_group_and_names_the_commune(tmp_path):
    out = run(tmp_path, HEADER + "03409,2026,2,đạt\n", "--criteria-set", "qd51-2025")
    assert out.returncode == 2
    assert out.stdout == ""
    assert "03409" in out.stderr and "--group" in out.stderr


def test_group_flag_selects_the_group(tmp_path):
    out = run(
        tmp_path, HEADER + "03409,2026,2,đạt\n", "--criteria-set", "qd51-2025", "--group", "3"
    )
    assert out.returncode == 0, out.stderr
    [result] = json.loads(out.stdout)["results"]
    assert result["group"] == "3" and result["region"] is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("03409,2018,14.2,abc\n", ["Dòng 2", "value", "abc"]),
        ("03409,2018,99.9,1\n", ["Dòng 2", "indicator", "99.9"]),
        ("3409,2018,14.2,1\n", ["Dòng 2", "unit_code"]),
        ("03409,20x8,14.2,1\n", ["Dòng 2", "year"]),
        ("03409,2018,1.1,maybe\n", ["Dòng 2", "value", "maybe"]),
        ("03409,2018,14.2,70\n03409,2018,14.2,71\n", ["Dòng 3", "trùng"]),
        ("03409,2018,14.2,170\n", ["Dòng 2", "value", "0-100"]),
    ],
)
def test_bad_rows_exit_2_with_line_column_and_reason(tmp_path, body, expected):
    out = run(tmp_path, HEADER + body, "--criteria-set", "qd1980-2016")
    assert out.returncode == 2
    assert out.stdout == ""
    for word in expected:
        assert word in out.stderr


def test_missing_header_column_is_named(tmp_path):
    out = run(tmp_path, "unit_code,year,value\n03409,2018,1\n", "--criteria-set", "qd1980-2016")
    assert out.returncode == 2 and "indicator" in out.stderr and out.stdout == ""


def test_non_utf8_file_is_refused_with_its_line(tmp_path):
    out = run(
        tmp_path,
        (HEADER + "03409,2018,14.2,70\n").encode() + b"03409,2018,1.1,\xff\n",
        "--criteria-set",
        "qd1980-2016",
    )
    assert out.returncode == 2 and "Dòng 3" in out.stderr and "UTF-8" in out.stderr


def test_unknown_criteria_set_is_refused(tmp_path):
    out = run(tmp_path, HEADER, "--criteria-set", "qd999")
    assert out.returncode == 2 and "qd999" in out.stderr and out.stdout == ""


def test_table_format_prints_a_line_per_unit_year(tmp_path):
    out = run(
        tmp_path,
        HEADER + "03409,2018,14.2,70\n03386,2018,14.2,70\n",
        "--criteria-set",
        "qd1980-2016",
        "--format",
        "table",
    )
    assert out.returncode == 0
    assert "03409" in out.stdout and "03386" in out.stdout and "/19" in out.stdout


def test_a_provincial_spec_file_fills_unconfirmed_thresholds(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        'id: t\nprovince_code: "12"\ncriteria_set: qd1980-2016\nlegal_source: "QĐ thử"\n'
        'thresholds:\n  "3.1": {TDMNPB: 80}\n',
        encoding="utf-8",
    )
    without = run(tmp_path, HEADER + "03409,2018,3.1,85\n", "--criteria-set", "qd1980-2016")
    with_spec = run(
        tmp_path,
        HEADER + "03409,2018,3.1,85\n",
        "--criteria-set",
        "qd1980-2016",
        "--spec",
        str(spec),
    )
    assert json.loads(without.stdout)["results"][0]["indicators"]["3.1"]["reason"] == "no_threshold"
    assert json.loads(with_spec.stdout)["results"][0]["indicators"]["3.1"]["status"] == "met"
