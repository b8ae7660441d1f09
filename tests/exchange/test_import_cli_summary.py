"""`ntm import` on a large file: a short listing and a summary unless the detail is asked for."""

import pytest

from ntm.core.registry import set_for_year
from tests.exchange.conftest import SAN_THANG, YEAR, long_csv, run, write

pytestmark = pytest.mark.django_db


def many_cells(tmp_path):
    codes = [i.code for i in set_for_year(YEAR).indicators]
    assert len(codes) > 25
    return write(tmp_path, "nhieu.csv", long_csv(*[(SAN_THANG, YEAR, c, 1) for c in codes])), codes


def test_a_large_import_lists_the_first_cells_and_counts_the_rest(commune, tmp_path):
    path, codes = many_cells(tmp_path)
    status, out, _ = run("import", path, "--dry-run", "--no-progress")
    assert status == 0, out
    assert out.count("thêm (dòng ") == 20
    assert f"… và {len(codes) - 20} ô khác không liệt kê (thêm --detail" in out
    assert f"Các ô trên thuộc 1 đơn vị, năm {YEAR}." in out
    assert f"Sẽ thêm {len(codes)}, sửa 0, giữ nguyên 0 giá trị" in out


@pytest.mark.parametrize("flag", ["--detail", "--verbosity=2"])
def test_detail_lists_every_cell(commune, tmp_path, flag):
    path, codes = many_cells(tmp_path)
    status, out, _ = run("import", path, "--dry-run", "--no-progress", flag)
    assert status == 0, out
    assert out.count("thêm (dòng ") == len(codes)
    assert "không liệt kê" not in out


def test_verbosity_0_lists_no_cell_but_still_the_totals(commune, tmp_path):
    path, codes = many_cells(tmp_path)
    status, out, _ = run("import", path, "--no-progress", "--verbosity=0")
    assert status == 0, out
    assert "thêm (dòng " not in out
    assert f"Đã thêm {len(codes)}, sửa 0, giữ nguyên 0 giá trị; đã đánh giá lại." in out
