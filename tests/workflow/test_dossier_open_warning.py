"""Opening a recognition dossier for a commune whose data does not meet the standard (or is
missing, or was never judged) asks the board to confirm first, naming the criteria not met;
with the confirmation it opens as before, and a commune meeting the standard is not asked."""

from __future__ import annotations

import pytest

from ntm.indicators.models import Evaluation
from ntm.indicators.services import values_set
from ntm.workflow.models import Dossier

pytestmark = pytest.mark.django_db

YEAR = 2018
ALL_19 = [str(n) for n in range(1, 20)]


def verdict(commune, *, not_met=(), missing=()) -> Evaluation:
    """A stored verdict under QĐ 1980/2016 (what the warning reads; the engine is tested apart)."""
    statuses = {
        code: "not_met" if code in not_met else "missing" if code in missing else "met"
        for code in ALL_19
    }
    met = sum(1 for s in statuses.values() if s == "met")
    return Evaluation.objects.create(
        unit=commune,
        year=YEAR,
        criteria_set="qd1980-2016",
        class_code="TDMNPB",
        criteria_met=met,
        criteria_total=19,
        criteria_missing=len(missing),
        meets_standard=met == 19,
        criteria=statuses,
    )


def open_url(commune) -> str:
    return f"/xa/{commune.id}/{YEAR}/ho-so/mo/"


def test_a_commune_short_of_the_standard_is_asked_to_confirm_and_nothing_opens(xa, commune):
    verdict(commune, not_met=["2", "10"], missing=["17"])
    response = xa.post(open_url(commune))
    assert response.status_code == 200
    page = response.content.decode()
    assert "chưa đạt chuẩn nông thôn mới năm 2018: đạt 16/19 tiêu chí" in page
    not_met = page.split('id="not-met"')[1].split("</ul>")[0]
    assert "Tiêu chí 2. Giao thông" in not_met and "Tiêu chí 10. Thu nhập" in not_met
    assert "Tiêu chí 17" in page.split('id="missing"')[1].split("</ul>")[0]
    assert '<input type="hidden" name="xac_nhan" value="1">' in page
    assert f'action="{open_url(commune)}"' in page
    assert not Dossier.objects.exists()


def test_the_confirmation_opens_the_dossier_and_records_it(xa, commune):
    verdict(commune, not_met=["2"])
    response = xa.post(open_url(commune), {"xac_nhan": "1"})
    dossier = Dossier.objects.get(unit=commune, year=YEAR)
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{dossier.pk}/"
    opening = dossier.transitions.get()
    assert "chưa đạt chuẩn theo số liệu (đạt 18/19 tiêu chí)" in opening.reason


def test_the_opened_dossier_names_its_set_and_level_in_words_and_says_so_once(xa, commune):
    verdict(commune, not_met=["2"])
    page = xa.post(open_url(commune), {"xac_nhan": "1"}, follow=True).content.decode()
    assert "QĐ 1980/QĐ-TTg" in page and "Xã đạt chuẩn nông thôn mới" in page
    assert ">qd1980-2016<" not in page and "mức ntm" not in page
    assert page.count("Đã lập hồ sơ") == 1


def test_a_commune_meeting_the_standard_opens_at_once(xa, commune):
    verdict(commune)
    response = xa.post(open_url(commune))
    dossier = Dossier.objects.get(unit=commune, year=YEAR)
    assert response["Location"] == f"/ho-so/{dossier.pk}/"
    assert dossier.transitions.get().reason == ""


def test_a_year_never_judged_is_asked_to_confirm(xa, commune):
    response = xa.post(open_url(commune))
    assert response.status_code == 200
    assert "chưa có kết quả đánh giá năm 2018" in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_warning_reads_the_stored_verdict_the_values_give(xa, commune):
    values_set(unit=commune, year=YEAR, values={"1.1": 1.0, "1.2": 1.0})
    page = xa.post(open_url(commune)).content.decode()
    assert "đạt 1/19 tiêu chí" in page
    assert "Tiêu chí 1." not in page.split('id="missing"')[1].split("</ul>")[0]


def test_the_open_buttons_say_which_years_will_ask(xa, commune):
    verdict(commune)
    values_set(unit=commune, year=2017, values={"1.1": 1.0})
    page = xa.get(f"/don-vi/{commune.id}/ho-so/").content.decode()
    form_2018 = page.split(f'action="/xa/{commune.id}/2018/ho-so/mo/"')[1].split("</form>")[0]
    assert "sẽ hỏi xác nhận" not in form_2018
    form_2017 = page.split(f'action="/xa/{commune.id}/2017/ho-so/mo/"')[1].split("</form>")[0]
    assert "sẽ hỏi xác nhận" in form_2017


def test_a_refusal_is_said_before_any_warning(xa, commune, open_dossier):
    open_dossier(xa, commune, YEAR)
    response = xa.post(open_url(commune), follow=True)
    assert "đã có hồ sơ năm 2018 đang xử lý" in response.content.decode()
    assert Dossier.objects.filter(unit=commune, year=YEAR).count() == 1


def test_someone_who_may_not_open_gets_no_warning_page(huyen, tinh, commune):
    verdict(commune, not_met=["2"])
    assert huyen.post(open_url(commune)).status_code == 403
    assert tinh.post(open_url(commune), {"xac_nhan": "1"}).status_code == 403
    assert not Dossier.objects.exists()
