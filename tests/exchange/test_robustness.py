"""Broken files of every kind: never a crash, never a partial write, always a Vietnamese
message. Hypothesis generates the bytes, rows and cells; hand-made cases cover what random
data rarely hits (macros, zip bombs, merged cells, hidden sheets, encodings, limits)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ntm.audit.models import AuditEvent
from ntm.exchange.models import ImportJob
from ntm.exchange.readers import FileRefused, Limits, read_file
from ntm.exchange.services import ImportRefused, ImportSource, import_commit, import_plan
from ntm.indicators import writer
from ntm.indicators.models import IndicatorValue
from tests.exchange.conftest import SAN_THANG, YEAR, long_csv

pytestmark = pytest.mark.django_db
FIXTURES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_VIETNAMESE = re.compile("[ăâđêôơưàáạảãầấậẩẫằắặẳẵèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]")


def vietnamese(text: str) -> bool:
    return bool(text.strip()) and bool(_VIETNAMESE.search(text.lower()))


def refused(data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(FileRefused) as caught:
        read_file(data, limits=limits)
    message = caught.value.problem.text()
    assert vietnamese(message), message
    return message


def xlsx(build) -> bytes:
    book = Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def long_sheet(book, rows=((SAN_THANG, YEAR, "14.2", 80),)):
    ws = book.active
    ws.append(["unit_code", "year", "indicator", "value"])
    for row in rows:
        ws.append(list(row))
    return ws


def plan_of(data: bytes, limits: Limits | None = None):
    return import_plan(source=ImportSource("tep", data), user=None, limits=limits)


# Generated files ---------------------------------------------------------------------------


@FIXTURES
@given(data=st.binary(max_size=2000))
def test_random_bytes_never_crash_and_always_explain(laichau, data):
    plan = plan_of(data)
    assert plan.ok or all(vietnamese(p.text()) for p in plan.problems)
    assert not IndicatorValue.objects.exists()


@FIXTURES
@given(
    prefix=st.sampled_from([b"PK\x03\x04", b"{", b"[", b"unit_code,year,indicator,value\n"]),
    tail=st.binary(max_size=500),
)
def test_random_bytes_behind_a_plausible_start_never_crash(laichau, prefix, tail):
    plan = plan_of(prefix + tail)
    assert all(vietnamese(p.text()) for p in plan.problems)


CODES = st.sampled_from([SAN_THANG, "03412", "3409", "99999", "", "abc", "03409.1", "=1+1"])
YEARS = st.one_of(
    st.sampled_from(["2018", "2019", "1850", "", "20x8", "2018.0"]), st.integers(1980, 2110)
)
INDICATORS = st.sampled_from(["14.2", "1.1", "10", "9.1", "15.3", "99", "", "@SUM(A1)"])
VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**6), 10**6),
    st.sampled_from(
        ["đạt", "không đạt", "có", "1", "0", "=A1*2", "+1", "-5", "#DIV/0!", "75,5", "1.234,5", ""]
    ),
    st.text(max_size=12),
)


def csv_cell(value) -> str:
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text


@FIXTURES
@given(rows=st.lists(st.tuples(CODES, YEARS, INDICATORS, VALUES), min_size=1, max_size=12))
def test_random_rows_are_written_whole_or_not_at_all(commune, rows):
    before = (IndicatorValue.objects.count(), AuditEvent.objects.count())
    lines = ["unit_code,year,indicator,value", *(",".join(csv_cell(c) for c in r) for r in rows)]
    source = ImportSource("f.csv", ("\n".join(lines) + "\n").encode())
    try:
        plan = import_commit(source=source, user=None)
    except ImportRefused as exc:
        assert exc.plan.problems and all(vietnamese(p.text()) for p in exc.plan.problems)
        assert (IndicatorValue.objects.count(), AuditEvent.objects.count()) == before
        return
    for change in plan.changes:
        stored = IndicatorValue.objects.get(
            unit=change.unit, year=change.year, indicator=change.indicator.code
        )
        assert stored.value == change.new


CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=10),
    st.sampled_from(["=SUM(A1:A3)", "đạt", "75,5", "=1/0"]),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)


@FIXTURES
@given(
    rows=st.lists(st.lists(CELLS, min_size=4, max_size=6), max_size=8),
    merge=st.booleans(),
    hide=st.sampled_from(["visible", "hidden", "veryHidden"]),
)
def test_sheets_of_any_cell_types_never_crash(laichau, rows, merge, hide):
    def build(book):
        ws = long_sheet(book, rows)
        if merge and len(rows) > 1:
            ws.merge_cells("D2:D3")
        extra = book.create_sheet("Cũ")
        long_sheet_rows = [["unit_code", "year", "indicator", "value"], [SAN_THANG, YEAR, "1.1", 1]]
        for row in long_sheet_rows:
            extra.append(row)
        extra.sheet_state = hide

    plan = plan_of(xlsx(build))
    assert all(vietnamese(p.text()) for p in plan.problems)


@FIXTURES
@given(
    spots=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8)
)
def test_a_corrupted_workbook_is_refused_or_read_never_crashes(laichau, spots):
    data = bytearray(xlsx(long_sheet))
    for position, byte in spots:
        data[position % len(data)] = byte
    plan = plan_of(bytes(data))
    assert all(vietnamese(p.text()) for p in plan.problems)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(min_size=1, max_size=300))
def test_the_upload_page_never_fails_on_random_bytes(client, board, settings_dir, data):
    client.force_login(board)
    response = client.post("/nhap-tep/", {"tep": SimpleUploadedFile("x.xlsx", data)})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    job = ImportJob.objects.order_by("-created_at").first()
    assert job.status in ("refused", "checked")
    if job.status == "refused":
        assert vietnamese(job.message)


@pytest.fixture
def settings_dir(settings, tmp_path):
    settings.NTM_IMPORT_ROOT = tmp_path / "imports"


# Hand-made cases ---------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert refused(b"") == "Tệp rỗng (0 byte)."


def test_a_macro_enabled_workbook_is_refused():
    data = bytearray(xlsx(long_sheet))
    source = zipfile.ZipFile(io.BytesIO(bytes(data)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
                )
            target.writestr(item, content)
        target.writestr("xl/vbaProject.bin", b"\x00" * 10)
    assert "macro (.xlsm)" in refused(out.getvalue())


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", b"<Types>wordprocessingml</Types>")
        z.writestr("word/document.xml", b"<w/>")
    assert "không phải bảng tính Excel" in refused(out.getvalue())


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    data = xlsx(long_sheet)
    assert "khi giải nén" in refused(data, Limits(max_unpacked=1000))


def test_a_file_over_the_size_limit_is_refused():
    assert "vượt giới hạn" in refused(long_csv((SAN_THANG, YEAR, "14.2", 80)), Limits(max_bytes=10))


def test_too_many_rows_are_refused_in_csv_and_sheets():
    rows = [(SAN_THANG, YEAR, "14.2", n) for n in range(30)]
    assert "hơn 10 dòng" in refused(long_csv(*rows), Limits(max_rows=10))
    assert "hơn 10 dòng" in refused(xlsx(lambda b: long_sheet(b, rows)), Limits(max_rows=10))
    assert "hơn 5 giá trị" in refused(long_csv(*rows), Limits(max_cells=5))


def test_a_legacy_encoding_is_refused_with_the_way_out():
    # "không đạt" in Windows-1258: ô precomposed, đ, then a + combining dot below.
    data = b"unit_code,year,indicator,value\n03409,2018,1.1,kh\xf4ng \xf0a\xf2t\n"
    assert "CSV UTF-8" in refused(data)


def test_utf16_text_from_excel_is_read(commune):
    data = "unit_code\tyear\tindicator\tvalue\r\n03409\t2018\t14.2\t75,5\r\n".encode("utf-16")
    plan = plan_of(data)
    assert plan.ok and plan.changes[0].new == 75.5


def test_an_old_xls_is_refused():
    assert "Excel 97-2003" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)


def test_broken_json_names_the_line():
    assert "dòng 2" in refused(b'{"dataValues": [\n  {"dataElement": }]}')
    assert "lồng quá nhiều cấp" in refused(b"[" * 100000)
    assert "dataValues" in refused(b'{"x": 1}')


def test_merged_cells_in_the_data_area_are_errors(laichau):
    def build(book):
        ws = long_sheet(book, [(SAN_THANG, YEAR, "14.2", 80), (SAN_THANG, YEAR, "14.3", None)])
        ws.merge_cells("D2:D3")

    plan = plan_of(xlsx(build))
    assert any("ô gộp D2:D3" in p.text() for p in plan.problems)


def test_a_hidden_sheet_with_data_is_an_error(laichau):
    def build(book):
        long_sheet(book)
        hidden = book.create_sheet("Cũ")
        hidden.append(["unit_code", "year", "indicator", "value"])
        hidden.append([SAN_THANG, YEAR, "14.2", 10])
        hidden.sheet_state = "hidden"

    plan = plan_of(xlsx(build))
    assert [p.text() for p in plan.problems] == [
        "Trang «Cũ»: trang tính đang bị ẩn nhưng có số liệu: hãy hiện trang (Unhide) để kiểm "
        "tra, hoặc xóa trang nếu không cần nhập"
    ]


def test_a_duplicated_header_column_is_refused():
    data = b"unit_code,year,indicator,value,value\n03409,2018,14.2,1,2\n"
    assert "cột trùng tên: value" in refused(data)


def test_wrong_types_in_cells_are_explained(commune):
    def build(book):
        long_sheet(
            book,
            [
                (SAN_THANG, YEAR, "14.2", dt.datetime(2018, 5, 1)),
                (SAN_THANG, YEAR, "1.1", "có lẽ"),
                (SAN_THANG, YEAR, "9.1", "đạt"),
                (SAN_THANG, YEAR, "14.3", "#DIV/0!"),
            ],
        )

    reasons = [p.reason for p in plan_of(xlsx(build)).problems]
    assert reasons[0].startswith("ô kiểu ngày giờ")
    assert reasons[1] == "chỉ tiêu 1.1 nhận đạt/không đạt (hoặc 1/0), không phải «có lẽ»"
    assert reasons[2] == "chỉ tiêu 9.1 nhận có/không (hoặc 1/0), không phải «đạt»"
    assert reasons[3] == "ô báo lỗi #DIV/0! của Excel, không có giá trị"


def test_a_failure_while_writing_leaves_nothing_behind(commune, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("đĩa đầy")

    monkeypatch.setattr(writer, "evaluations_refresh", broken)
    source = ImportSource(
        "f.csv", long_csv((SAN_THANG, YEAR, "14.2", 80), (SAN_THANG, YEAR, "1.1", 1))
    )
    with pytest.raises(RuntimeError):
        import_commit(source=source, user=None)
    assert not IndicatorValue.objects.exists()
    assert not AuditEvent.objects.exists()
