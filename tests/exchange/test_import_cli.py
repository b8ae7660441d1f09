"""`ntm import`: dry run, all-or-nothing commit, audit, evaluation refresh, exit statuses."""

import hashlib
import subprocess
import sys

import pytest

from ntm.audit.models import AuditEvent
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.indicators.services import values_set
from tests.exchange.conftest import (
    BINH_LU,
    NAM_LOONG,
    SAN_THANG,
    YEAR,
    long_csv,
    run,
    write,
)

pytestmark = pytest.mark.django_db


def test_a_dry_run_lists_each_cell_and_writes_nothing(commune, tmp_path):
    values_set(unit=commune, year=YEAR, values={"14.2": 60.0, "15.1": 90.0})
    path = write(
        tmp_path,
        "so-lieu.csv",
        long_csv(
            (SAN_THANG, YEAR, "14.2", 75.5),
            (SAN_THANG, YEAR, "15.1", 90),
            (SAN_THANG, YEAR, "1.1", 1),
        ),
    )
    status, out, _ = run("import", path, "--dry-run", "--no-progress")
    assert status == 0
    assert "sửa (dòng 2): Xã San Thàng (03409), năm 2018, chỉ tiêu 14.2: 60% → 75,5%" in out
    assert "thêm (dòng 4): Xã San Thàng (03409), năm 2018, chỉ tiêu 1.1: đạt" in out
    assert "giữ nguyên (dòng 3)" not in out
    assert "Sẽ thêm 1, sửa 1, giữ nguyên 1 giá trị; chưa ghi gì (--dry-run)." in out
    assert IndicatorValue.objects.get(unit=commune, indicator="14.2").value == 60.0
    assert not IndicatorValue.objects.filter(indicator="1.1").exists()


def test_the_commit_writes_refreshes_the_evaluation_and_audits_the_file(commune, tmp_path):
    values_set(unit=commune, year=YEAR, values={"15.1": 90.0})
    data = long_csv(
        (SAN_THANG, YEAR, "14.2", 80),
        (SAN_THANG, YEAR, "15.1", 90),
        (SAN_THANG, YEAR, "1.1", "đạt"),
    )
    status, out, _ = run("import", write(tmp_path, "bao-cao.csv", data), "--no-progress")
    assert status == 0, out
    assert IndicatorValue.objects.get(unit=commune, year=YEAR, indicator="14.2").value == 80.0
    assert Evaluation.objects.get(unit=commune, year=YEAR).criteria["1"] == "missing"  # 1.2
    events = AuditEvent.objects.filter(origin="file")
    assert events.count() == 2  # 14.2 added, 1.1 added; 15.1 unchanged writes no row
    sha = hashlib.sha256(data).hexdigest()
    assert {e.origin_detail for e in events} == {f"bao-cao.csv sha256={sha}"}
    assert {e.actor_name for e in events} == {"hệ thống"}
    row = IndicatorValue.objects.get(unit=commune, year=YEAR, indicator="1.1")
    assert row.value == 1.0 and row.source == "Nhập từ tệp bao-cao.csv"


def test_the_evaluation_follows_the_imported_values(commune, tmp_path):
    full = [
        (SAN_THANG, YEAR, "14.1", 1),
        (SAN_THANG, YEAR, "14.2", 80),
        (SAN_THANG, YEAR, "14.3", 30),
    ]
    assert run("import", write(tmp_path, "a.csv", long_csv(*full)), "--no-progress")[0] == 0
    assert Evaluation.objects.get(unit=commune, year=YEAR).criteria["14"] == "met"
    low = long_csv((SAN_THANG, YEAR, "14.2", 10))
    assert run("import", write(tmp_path, "b.csv", low), "--no-progress")[0] == 0
    assert Evaluation.objects.get(unit=commune, year=YEAR).criteria["14"] == "not_met"


def test_one_bad_row_refuses_the_whole_file_with_exit_status_1(commune, tmp_path):
    data = long_csv(
        (SAN_THANG, YEAR, "14.2", 80),
        (SAN_THANG, YEAR, "15.1", "nhiều"),
        ("99999", YEAR, "14.2", 80),
        (SAN_THANG, 1850, "14.2", 80),
        (SAN_THANG, YEAR, "99.9", 1),
        (SAN_THANG, YEAR, "17.1", 120),
    )
    status, _, err = run("import", write(tmp_path, "x.csv", data), "--no-progress")
    assert status == 1
    assert "Dòng 3, cột value, đơn vị 03409, chỉ tiêu 15.1: giá trị «nhiều» không phải là số" in err
    assert (
        "Dòng 4, cột unit_code, đơn vị 99999, chỉ tiêu 14.2: không có xã mã 99999 trong năm 2018"
        in err
    )
    assert "Dòng 5, cột year" in err and "năm «1850» không hợp lệ" in err
    assert "chỉ tiêu «99.9» không có trong bộ tiêu chí qd1980-2016" in err
    assert "giá trị 120 là tỷ lệ phần trăm, phải từ 0 đến 100" in err
    assert "Tệp có 5 lỗi: không ghi gì." in err
    assert not IndicatorValue.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_duplicate_key_names_the_first_occurrence(commune, tmp_path):
    data = long_csv((SAN_THANG, YEAR, "14.2", 80), (SAN_THANG, YEAR, "14.2", 81))
    status, _, err = run("import", write(tmp_path, "d.csv", data), "--no-progress")
    assert status == 1
    assert "Dòng 3, cột value, đơn vị 03409, chỉ tiêu 14.2: trùng với dòng 2" in err
    assert not IndicatorValue.objects.exists()


def test_a_code_means_the_unit_holding_it_on_31_december(laichau, tmp_path):
    # 03403 was Xã Nậm Loỏng until 2019 and is Xã Sùng Phài (merged) from 2020.
    data = long_csv((NAM_LOONG, 2019, "14.2", 71), (NAM_LOONG, 2020, "14.2", 72))
    assert run("import", write(tmp_path, "c.csv", data), "--no-progress")[0] == 0
    names = dict(IndicatorValue.objects.values_list("year", "unit__name"))
    assert names == {2019: "Xã Nậm Loỏng", 2020: "Xã Sùng Phài"}


def test_a_named_user_imports_only_within_their_scope(board, tmp_path):
    data = long_csv((SAN_THANG, YEAR, "14.2", 80), (BINH_LU, YEAR, "14.2", 80))
    status, _, err = run(
        "import", write(tmp_path, "s.csv", data), "--user", "bql.santhang", "--no-progress"
    )
    assert status == 1
    assert "Dòng 3, cột value, đơn vị 03412, chỉ tiêu 14.2: đơn vị 03412 nằm ngoài phạm vi" in err
    assert not IndicatorValue.objects.exists()


def test_a_department_imports_only_its_criteria(education, tmp_path):
    data = long_csv((SAN_THANG, YEAR, "14.2", 80), (SAN_THANG, YEAR, "15.1", 90))
    status, _, err = run(
        "import", write(tmp_path, "g.csv", data), "--user", "so.giaoduc", "--no-progress"
    )
    assert status == 1
    assert "bạn không có quyền nhập số liệu tiêu chí 15 của Xã San Thàng" in err
    ok = long_csv((SAN_THANG, YEAR, "14.2", 80))
    assert (
        run("import", write(tmp_path, "h.csv", ok), "--user", "so.giaoduc", "--no-progress")[0] == 0
    )
    event = AuditEvent.objects.get(origin="file")
    assert event.actor_name == "so.giaoduc"


def test_a_leader_cannot_import_at_all(leader, tmp_path):
    data = long_csv((SAN_THANG, YEAR, "14.2", 80))
    status, _, err = run(
        "import", write(tmp_path, "l.csv", data), "--user", "lanhdao", "--no-progress"
    )
    assert status == 1 and "không có quyền nhập" in err


def test_a_locked_commune_year_is_an_error_unless_unchanged(board, commune, tmp_path):
    from ntm.workflow.services import dossier_advance, dossier_open

    values_set(unit=commune, year=YEAR, values={"14.2": 60.0})
    dossier = dossier_open(actor=board, unit=commune, year=YEAR)
    dossier_advance(actor=board, dossier=dossier)
    same = long_csv((SAN_THANG, YEAR, "14.2", 60))
    assert run("import", write(tmp_path, "same.csv", same), "--no-progress")[0] == 0
    changed = long_csv((SAN_THANG, YEAR, "14.2", 65))
    status, _, err = run("import", write(tmp_path, "chg.csv", changed), "--no-progress")
    assert status == 1
    assert f"số liệu của Xã San Thàng năm {YEAR} đang bị khóa vì hồ sơ số {dossier.pk}" in err
    assert IndicatorValue.objects.get(unit=commune, indicator="14.2").value == 60.0


def test_usage_errors_exit_with_status_2(laichau, tmp_path):
    assert run("import", str(tmp_path / "khong-co.csv"))[0] == 2
    path = write(tmp_path, "a.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    status, _, err = run("import", path, "--user", "khong-ai")
    assert status == 2 and "Không có tài khoản «khong-ai»" in err


def test_the_shell_sees_status_2_for_a_missing_argument(tmp_path):
    env = {"NTM_DATA_DIR": str(tmp_path), "NTM_DEMO": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "ntm.cli", "import"], capture_output=True, env=env, text=True
    )
    assert done.returncode == 2
    assert "file" in done.stderr


def test_progress_bars_go_to_stderr(commune, tmp_path, capsys):
    path = write(tmp_path, "p.csv", long_csv((SAN_THANG, YEAR, "14.2", 80)))
    assert run("import", path, "--dry-run")[0] == 0
    assert "Kiểm tra từng ô" in capsys.readouterr().err


def test_dhis2_json_and_csv_are_read(commune, tmp_path):
    json_data = (
        b'{"dataSet": "ntm", "period": "2018", "dataValues": ['
        b'{"dataElement": "14.2", "orgUnit": "03409", "value": "80.5"},'
        b'{"dataElement": "1.1", "orgUnit": "03409", "period": "2018", "value": "true"}]}'
    )
    status, out, err = run("import", write(tmp_path, "dv.json", json_data), "--no-progress")
    assert status == 0, err
    assert "DHIS2 dataValueSets (JSON)" in out
    csv_data = (
        b"dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby\n"
        b"15.1,2018,03409,HllvX50cXC0,HllvX50cXC0,91,admin\n"
    )
    status, out, err = run("import", write(tmp_path, "dv.txt", csv_data), "--no-progress")
    assert status == 0, err
    assert "DHIS2 dataValueSets (CSV)" in out
    values = dict(IndicatorValue.objects.values_list("indicator", "value"))
    assert values == {"14.2": 80.5, "1.1": 1.0, "15.1": 91.0}


def test_a_dhis2_period_that_is_not_a_year_is_refused(commune, tmp_path):
    data = b'{"dataValues": [{"dataElement": "14.2", "orgUnit": "03409", "period": "201801", "value": "1"}]}'
    status, _, err = run("import", write(tmp_path, "m.json", data), "--no-progress")
    assert status == 1
    assert (
        "Mục dataValues[0].period, đơn vị 03409, chỉ tiêu 14.2: kỳ «201801» không phải một năm"
        in err
    )


def test_a_semicolon_csv_from_vietnamese_excel_reads_decimal_commas(commune, tmp_path):
    data = b"unit_code;year;indicator;value\n03409;2018;14.2;75,5\n3409;2018;10;1.234,5\n"
    assert run("import", write(tmp_path, "vn.csv", data), "--no-progress")[0] == 0
    values = dict(IndicatorValue.objects.values_list("indicator", "value"))
    assert values == {"14.2": 75.5, "10": 1234.5}


def test_a_comma_csv_says_how_to_write_decimals(commune, tmp_path):
    data = b'unit_code,year,indicator,value\n03409,2018,14.2,"75,5"\n'
    status, _, err = run("import", write(tmp_path, "c.csv", data), "--no-progress")
    assert status == 1 and "dùng dấu chấm cho phần thập phân" in err


def test_a_village_value_needs_a_village_criteria_set(commune, tmp_path):
    from ntm.units.services import village_create

    village = village_create(commune=commune, name="Bản Sin Chải")
    data = long_csv((village.code, YEAR, "14.2", 80))
    status, _, err = run("import", write(tmp_path, "v.csv", data), "--no-progress")
    assert status == 1
    assert "Không có bộ tiêu chí cấp thôn nào có hiệu lực vào ngày 31/12/2018" in err


@pytest.mark.parametrize("value", ["1e308", "1_000", "NaN", "１２"])
def test_a_csv_value_that_is_not_a_plain_number_is_a_row_error(commune, tmp_path, value):
    data = f"unit_code,year,indicator,value\n03409,{YEAR},10,{value}\n".encode()
    status, _, err = run("import", write(tmp_path, "e.csv", data), "--no-progress")
    assert status == 1 and "Dòng 2, cột value" in err
    assert not IndicatorValue.objects.exists()


def test_a_json_value_with_5000_digits_is_a_row_error(commune, tmp_path):
    digits = ("9" * 5000).encode()
    data = b'{"dataValues": [{"dataElement": "10", "orgUnit": "03409", "period": "2018", "value": '
    status, _, err = run("import", write(tmp_path, "big.json", data + digits + b"}]}"))
    assert status == 1, err
    assert "Traceback" not in err and "chữ số" in err
    assert not IndicatorValue.objects.exists()
