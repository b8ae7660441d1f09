"""The commune-year form: live verdicts, saving, Vietnamese numbers, all-or-nothing."""

import pytest

from ntm.audit.models import AuditEvent
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.indicators.selectors import unit_summary
from tests.entry.conftest import YEAR, check_url, form_url

pytestmark = pytest.mark.django_db


def live_status(html, code):
    marker = f'id="live-i{code.replace(".", "_")}"'
    start = html.index(marker)
    return html[start:].split('data-status="', 1)[1].split('"', 1)[0]


def test_the_form_groups_indicators_by_criterion_with_the_communes_thresholds(board, commune):
    html = board.get(form_url(commune)).content.decode()
    assert "Tiêu chí 14. Giáo dục và Đào tạo" in html
    assert "≥ 70%" in html  # 14.2 in region TDMNPB
    assert 'name="val-14.2"' in html and 'inputmode="decimal"' in html
    assert "vendor/htmx.min.js" in html and "entry/draft.js" in html
    assert "cdn" not in html.lower()


def test_a_yes_no_indicator_is_a_select_of_dat_khong_dat_or_empty(board, commune):
    html = board.get(form_url(commune)).content.decode()
    select = html[html.index('name="val-1.1"') :].split("</select>", 1)[0]
    assert '<option value="" selected>(trống)</option>' in select
    assert '<option value="1">đạt</option>' in select
    assert '<option value="0">không đạt</option>' in select


def test_the_live_check_returns_the_verdict_without_saving(board, commune):
    met = board.post(check_url(commune), {"val-14.2": "75,5", "val-1.1": "1", "val-1.2": "1"})
    html = met.content.decode()
    assert met.status_code == 200
    assert live_status(html, "14.2") == "met"
    assert 'id="c1" hx-swap-oob="true" data-status="met"' in html
    not_met = board.post(check_url(commune), {"val-14.2": "65"}).content.decode()
    assert live_status(not_met, "14.2") == "not_met"
    assert not IndicatorValue.objects.exists()
    assert not Evaluation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_live_check_shows_a_field_error_for_nonsense(board, commune):
    html = board.post(check_url(commune), {"val-14.2": "bảy mươi"}).content.decode()
    assert live_status(html, "14.2") == "invalid"
    assert "không phải là số" in html


def test_saving_refreshes_the_evaluation_and_the_aggregates_above(board, commune):
    response = board.post(form_url(commune), {"val-1.1": "1", "val-1.2": "1", "val-14.2": "80"})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(unit=commune, year=YEAR)
    assert evaluation.criteria["1"] == "met"
    _, summary = unit_summary(unit=commune.parent, year=YEAR)
    assert summary.communes == 1
    page = board.get(response["Location"]).content.decode()
    assert "Đã lưu 3 thay đổi" in page and 'data-saved="1"' in page
    assert live_status(page, "14.2") == "met"
    assert AuditEvent.objects.filter(action="value.set", origin="page").count() == 3


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.234,5", 1234.5), ("13,43", 13.43), ("80", 80.0), (" 36,5 ", 36.5), ("2.142.589", 2142589)],
)
def test_it_reads_numbers_written_the_vietnamese_way(board, commune, typed, stored):
    board.post(form_url(commune), {"val-10": typed})
    assert IndicatorValue.objects.get(indicator="10").value == stored


def test_a_percentage_may_carry_its_percent_sign(board, commune):
    board.post(form_url(commune), {"val-14.2": "72,5%"})
    assert IndicatorValue.objects.get(indicator="14.2").value == 72.5


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("val-14.2", "abc", "không phải là số"),
        ("val-14.2", "120", "phải từ 0 đến 100"),
        ("val-10", "-5", "không được là số âm"),
        ("val-1.1", "2", "hãy chọn đạt, không đạt hoặc để trống"),
        ("val-10", "1.2.3", "phân nhóm hàng nghìn"),
        ("val-10", "1_000", "gạch dưới"),
        ("val-10", "١٢٣", "chữ số 0-9"),
        ("val-10", "１２３", "chữ số 0-9"),
        ("val-10", "1e308", "số mũ"),
        ("val-10", "1e21", "số mũ"),
        ("val-10", "1e-320", "số mũ"),
        ("val-10", "Infinity", "hữu hạn"),
    ],
)
def test_nonsense_is_refused_on_the_field_and_nothing_is_saved(
    board, commune, field, typed, message
):
    response = board.post(form_url(commune), {"val-1.1": "1", "val-14.3": "30", field: typed})
    html = response.content.decode()
    assert response.status_code == 400
    code = field.removeprefix("val-").replace(".", "_")
    error = html[html.index(f'id="err-i{code}"') :].split("</p>", 1)[0]
    assert message in error
    assert "Chưa lưu" in html
    assert not IndicatorValue.objects.exists()
    assert not Evaluation.objects.exists()


def test_a_refused_form_shows_back_what_was_typed(board, commune):
    html = board.post(form_url(commune), {"val-14.2": "abc", "val-14.3": "30,5"}).content.decode()
    assert 'value="abc"' in html and 'value="30,5"' in html
    assert 'data-state="posted"' in html


def test_an_untouched_field_is_not_written(board, commune):
    board.post(form_url(commune), {"val-14.2": "80"})
    board.post(form_url(commune), {"val-14.2": "80", "orig-14.2": "80", "ver-14.2": "1"})
    assert IndicatorValue.objects.get(indicator="14.2").version == 1
    assert AuditEvent.objects.filter(action="value.set").count() == 1


def test_emptying_a_field_deletes_the_value(board, commune):
    board.post(form_url(commune), {"val-14.2": "80"})
    board.post(form_url(commune), {"val-14.2": "", "orig-14.2": "80", "ver-14.2": "1"})
    assert not IndicatorValue.objects.exists()


def test_the_form_page_runs_a_bounded_number_of_queries(
    board, commune, django_assert_max_num_queries
):
    board.post(form_url(commune), {"val-14.2": "80", "val-1.1": "1"})
    with django_assert_max_num_queries(20):
        board.get(form_url(commune))


def test_the_commune_page_links_to_the_form(board, commune):
    html = board.get(f"/xa/{commune.id}/{YEAR}/").content.decode()
    assert form_url(commune) in html


def test_years_are_written_without_a_thousands_separator_in_english(board, commune):
    html = board.get(form_url(commune), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"năm {YEAR}" in html and "2,018" not in html and "2.018" not in html
