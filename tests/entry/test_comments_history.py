"""Comments under each indicator, and the full history of one value cell."""

import pytest

from ntm.audit.models import AuditEvent
from ntm.indicators.models import ValueComment
from ntm.indicators.services import values_set
from tests.entry.conftest import YEAR, cell_url, form_url

pytestmark = pytest.mark.django_db


def comment(client, unit, code, text, **headers):
    return client.post(f"/so-lieu/{unit.id}/{YEAR}/{code}/y-kien/", {"text": text}, **headers)


def test_a_comment_is_shown_under_its_indicator_and_audited(board, commune, san_thang_board):
    assert (
        comment(board, commune, "14.2", "Số liệu theo báo cáo của trường THCS").status_code == 302
    )
    saved = ValueComment.objects.get()
    assert (saved.indicator, saved.author, saved.criteria_set) == (
        "14.2",
        san_thang_board,
        "qd1980-2016",
    )
    html = board.get(form_url(commune)).content.decode()
    row = html[html.index('id="row-i14_2"') : html.index('id="row-i14_3"')]
    assert "Số liệu theo báo cáo của trường THCS" in row and "bql.santhang" in row
    assert AuditEvent.objects.filter(action="comment.add", object_id=str(saved.id)).exists()


def test_an_empty_comment_is_refused(board, commune):
    response = comment(board, commune, "14.2", "   ")
    assert response.status_code == 400
    assert "Ý kiến về chỉ tiêu 14.2 đang để trống" in response.content.decode()
    assert not ValueComment.objects.exists()


def test_htmx_gets_the_comments_back(board, commune):
    html = comment(board, commune, "14.2", "Đã kiểm tra", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="extras-i14_2"' in html and "Đã kiểm tra" in html


def test_a_department_comments_only_on_its_criteria(client, commune, education_department):
    client.force_login(education_department)
    assert comment(client, commune, "1.1", "x").status_code == 404
    assert comment(client, commune, "14.2", "Đã thẩm định").status_code == 302


def test_the_history_lists_every_change_with_who_when_and_where(board, commune, san_thang_board):
    board.post(form_url(commune), {"val-14.2": "65"})
    board.post(form_url(commune), {"val-14.2": "72,5", "orig-14.2": "65", "ver-14.2": "1"})
    values_set(
        unit=commune, year=YEAR, values={"14.2": 75.0}, origin="file", origin_detail="xa.xlsx"
    )
    html = board.get(cell_url(commune, "14.2")).content.decode()
    table = html[html.index('class="history"') :]
    rows = table.split("<tr>")[2:]
    assert len(rows) == 3
    assert "72,5%" in rows[0] and "75%" in rows[0] and "xa.xlsx" in rows[0]  # newest first
    assert "65%" in rows[1] and "72,5%" in rows[1] and "bql.santhang" in rows[1]
    assert "(trống)" in rows[2] and "65%" in rows[2] and "Trang web" in rows[2]


def test_the_history_of_a_yes_no_value_says_dat(board, commune):
    board.post(form_url(commune), {"val-1.1": "0"})
    board.post(form_url(commune), {"val-1.1": "1", "orig-1.1": "0", "ver-1.1": "1"})
    html = board.get(cell_url(commune, "1.1")).content.decode()
    assert "không đạt" in html and "đạt" in html


def test_the_history_of_another_communes_value_is_not_found(client, commune, binh_lu_board):
    client.force_login(binh_lu_board)
    assert client.get(cell_url(commune, "14.2")).status_code == 404
