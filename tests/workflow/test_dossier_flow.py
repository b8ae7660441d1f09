"""A dossier through its stages, over HTTP, as each office does it."""

from __future__ import annotations

import pytest

from ntm.audit.models import AuditEvent
from ntm.workflow.models import CriterionAppraisal, Decision, Dossier, Transition
from ntm.workflow.selectors import dossier_locks_values
from tests.workflow.conftest import ALL_19, Flow, unit

pytestmark = pytest.mark.django_db

NOT_2 = [c for c in ALL_19 if c != "2"]


def to_department_stage(flow: Flow, xa, huyen) -> None:
    flow.advance(xa)
    flow.advance(xa)
    flow.advance(huyen)
    assert flow.dossier.current_stage == "so_nganh_tham_dinh"


def to_recognition(flow: Flow, xa, huyen, so_gt, so_con_lai, tinh) -> None:
    to_department_stage(flow, xa, huyen)
    flow.appraise(so_gt, ["2"])
    flow.appraise(so_con_lai, NOT_2)
    flow.advance(tinh)
    flow.recognise(tinh)


def test_a_2018_dossier_goes_through_every_stage_to_recognition(
    xa, huyen, so_gt, so_con_lai, tinh, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    dossier = flow.dossier
    assert (dossier.criteria_set, dossier.tier, dossier.status) == ("qd1980-2016", "ntm", "draft")
    assert dossier.current_stage == "tu_danh_gia"
    assert "huyen_tham_tra" in dossier.stages

    flow.advance(xa)
    assert (flow.dossier.current_stage, flow.dossier.status) == ("lay_y_kien", "in_review")
    flow.advance(xa, reason="Đã niêm yết 15 ngày, không có ý kiến phản đối")
    assert flow.dossier.current_stage == "huyen_tham_tra"
    flow.advance(huyen)
    assert flow.dossier.current_stage == "so_nganh_tham_dinh"
    flow.appraise(so_gt, ["2"])
    flow.appraise(so_con_lai, NOT_2)
    assert flow.dossier.current_stage == "tinh_tham_dinh"
    flow.advance(tinh)
    assert flow.dossier.current_stage == "quyet_dinh"
    flow.recognise(tinh, number="1234/QĐ-UBND", date="20/12/2018", signer="Nguyễn Văn A")
    assert (flow.dossier.current_stage, flow.dossier.status) == ("cong_bo", "recognised")
    flow.advance(tinh)
    assert (flow.dossier.current_stage, flow.dossier.status) == ("hoan_tat", "recognised")

    decision = Decision.objects.get(dossier_id=flow.id)
    assert (decision.kind, decision.number, decision.signer) == (
        "recognition",
        "1234/QĐ-UBND",
        "Nguyễn Văn A",
    )
    assert decision.date.isoformat() == "2018-12-20"
    kinds = list(Transition.objects.filter(dossier_id=flow.id).values_list("kind", flat=True))
    assert kinds == [
        "open",
        "advance",
        "advance",
        "advance",
        "advance",
        "advance",
        "decide",
        "advance",
    ]
    html = xa.get(f"/ho-so/{flow.id}/").content.decode()
    assert "Đã công nhận" in html and "1234/QĐ-UBND" in html and "20/12/2018" in html
    assert "Đã niêm yết 15 ngày" in html  # the history shows reasons


def test_a_2026_dossier_has_no_district_stage(make_client, open_dossier, laichau):
    xa_moi = unit("commune", "03595", new=True)  # Xã Than Uyên of the 2025 structure
    tinh_moi = unit("province", "12", new=True)
    xa = make_client("xa_thanuyen", "commune", xa_moi)
    qd51 = {"qd51-2025": [str(n) for n in range(1, 11)]}  # a bare list is for the sets to 2025
    so = make_client("so_tat_ca", "department", tinh_moi, qd51)
    tinh = make_client("vp_tinh_2025", "province", tinh_moi)

    flow = open_dossier(xa, xa_moi, 2026)
    assert flow.dossier.criteria_set == "qd51-2025"
    assert "huyen_tham_tra" not in flow.dossier.stages
    flow.advance(xa)
    flow.advance(xa)
    assert flow.dossier.current_stage == "so_nganh_tham_dinh"
    flow.appraise(so, [str(n) for n in range(1, 11)])
    flow.advance(tinh)
    flow.recognise(tinh, date="10/11/2026")
    assert flow.dossier.status == "recognised"


def test_a_2025_commune_of_the_new_structure_skips_the_district_stage(
    make_client, open_dossier, laichau
):
    xa_moi = unit("commune", "03595", new=True)
    xa = make_client("xa_thanuyen", "commune", xa_moi)
    flow = open_dossier(xa, xa_moi, 2025)
    assert flow.dossier.criteria_set == "qd318-2022"
    assert "huyen_tham_tra" not in flow.dossier.stages


def test_return_requires_a_reason_and_records_it(xa, huyen, commune, open_dossier):
    flow = open_dossier(xa, commune, 2018)
    flow.advance(xa)
    flow.advance(xa)
    response = flow.back(huyen, "tu_danh_gia", reason="   ", expect=400)
    assert "phải nêu lý do trả lại hồ sơ" in response.content.decode()
    assert flow.dossier.current_stage == "huyen_tham_tra"

    flow.back(huyen, "tu_danh_gia", reason="Tiêu chí 17: thiếu biên bản kiểm tra nước sạch")
    assert (flow.dossier.current_stage, flow.dossier.status) == ("tu_danh_gia", "returned")
    last = Transition.objects.filter(dossier_id=flow.id).last()
    assert last is not None
    assert (last.kind, last.from_stage, last.to_stage, last.actor) == (
        "return",
        "huyen_tham_tra",
        "tu_danh_gia",
        huyen.user,
    )
    assert last.reason == "Tiêu chí 17: thiếu biên bản kiểm tra nước sạch"
    assert "thiếu biên bản kiểm tra nước sạch" in xa.get(f"/ho-so/{flow.id}/").content.decode()
    flow.advance(xa)
    assert flow.dossier.status == "in_review"


def test_a_dossier_is_returned_only_to_an_earlier_stage(xa, huyen, commune, open_dossier):
    flow = open_dossier(xa, commune, 2018)
    flow.advance(xa)
    flow.advance(xa)
    for target in ("huyen_tham_tra", "so_nganh_tham_dinh", "khong_co"):
        response = flow.back(huyen, target, reason="thử", expect=400)
        assert "chỉ được trả về một bước trước" in response.content.decode()
    assert flow.dossier.current_stage == "huyen_tham_tra"


def test_the_department_stage_completes_only_when_every_criterion_is_appraised_dat(
    xa, huyen, so_gt, so_con_lai, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    to_department_stage(flow, xa, huyen)
    flow.appraise(so_con_lai, NOT_2)
    flow.appraise(so_gt, ["2"], verdict="khong_dat", note="Đường trục xã mới cứng hóa 60%")
    assert flow.dossier.current_stage == "so_nganh_tham_dinh"

    response = flow.advance(so_gt, expect=400)
    assert "các tiêu chí 2 chưa được thẩm định đạt" in response.content.decode()
    flow.appraise(so_gt, ["2"])
    assert flow.dossier.current_stage == "tinh_tham_dinh"
    current = CriterionAppraisal.objects.filter(dossier_id=flow.id, superseded=False)
    assert current.count() == 19 and {a.verdict for a in current} == {"dat"}


def test_a_not_met_verdict_needs_a_note(xa, huyen, so_gt, commune, open_dossier):
    flow = open_dossier(xa, commune, 2018)
    to_department_stage(flow, xa, huyen)
    response = flow.post(so_gt, "tham-dinh", 400, criterion="2", verdict="khong_dat", note="")
    assert "phải ghi ý kiến khi thẩm định không đạt" in response.content.decode()
    assert not CriterionAppraisal.objects.exists()


def test_returning_to_the_commune_means_every_criterion_is_appraised_again(
    xa, huyen, so_gt, so_con_lai, tinh, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    to_department_stage(flow, xa, huyen)
    flow.appraise(so_gt, ["2"])
    flow.appraise(so_con_lai, NOT_2)
    flow.back(tinh, "tu_danh_gia", reason="Số liệu tiêu chí 10 chưa khớp báo cáo thống kê")
    assert not CriterionAppraisal.objects.filter(dossier_id=flow.id, superseded=False).exists()
    to_department_stage(flow, xa, huyen)
    flow.appraise(so_con_lai, NOT_2)
    assert flow.dossier.current_stage == "so_nganh_tham_dinh"


def test_the_decision_stage_ends_only_with_a_decision_number_date_and_signer(
    xa, huyen, so_gt, so_con_lai, tinh, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    to_department_stage(flow, xa, huyen)
    flow.appraise(so_gt, ["2"])
    flow.appraise(so_con_lai, NOT_2)
    flow.recognise(tinh, expect=400)  # still at the provincial appraisal
    flow.advance(tinh)
    assert "ghi quyết định công nhận" in flow.advance(tinh, expect=400).content.decode()
    assert "Số quyết định" in flow.recognise(tinh, expect=400, number="").content.decode()
    assert (
        "không được sau hôm nay"
        in flow.recognise(tinh, expect=400, date="01/01/2099").content.decode()
    )
    assert flow.dossier.status == "in_review"
    flow.recognise(tinh)
    assert flow.dossier.status == "recognised"


def test_a_recognised_dossier_cannot_be_returned_only_revoked(
    xa, huyen, so_gt, so_con_lai, tinh, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    to_recognition(flow, xa, huyen, so_gt, so_con_lai, tinh)
    response = flow.back(tinh, "tu_danh_gia", reason="sai", expect=400)
    assert "chỉ có thể thu hồi quyết định" in response.content.decode()


def test_revocation_after_recognition_records_the_decision_and_a_new_dossier_may_follow(
    xa, huyen, so_gt, so_con_lai, tinh, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    flow.revoke(tinh, expect=400)  # nothing recognised yet
    to_recognition(flow, xa, huyen, so_gt, so_con_lai, tinh)
    assert "phải nêu lý do thu hồi" in flow.revoke(tinh, expect=400, reason="").content.decode()
    flow.revoke(tinh, reason="Tiêu chí 2 không còn đạt sau lũ 2019")
    assert flow.dossier.status == "revoked"
    revocation = Decision.objects.get(dossier_id=flow.id, kind="revocation")
    assert (revocation.number, revocation.reason) == (
        "99/QĐ-UBND",
        "Tiêu chí 2 không còn đạt sau lũ 2019",
    )
    html = tinh.get(f"/ho-so/{flow.id}/").content.decode()
    assert "Đã thu hồi công nhận" in html and "99/QĐ-UBND" in html
    assert not dossier_locks_values(unit=commune, year=2018)
    open_dossier(xa, commune, 2018)  # the commune may start again


def test_a_second_live_dossier_for_the_same_year_is_refused(xa, commune, open_dossier):
    open_dossier(xa, commune, 2018)
    response = xa.post(f"/xa/{commune.id}/2018/ho-so/mo/", follow=True)
    assert "đã có hồ sơ năm 2018 đang xử lý" in response.content.decode()
    assert Dossier.objects.filter(unit=commune, year=2018).count() == 1


def test_a_commune_cannot_open_a_dossier_for_a_year_it_did_not_exist(xa, commune):
    response = xa.post(f"/xa/{commune.id}/2026/ho-so/mo/", follow=True)
    assert "không tồn tại trong năm 2026" in response.content.decode()
    assert not Dossier.objects.exists()


def test_an_action_from_a_stale_page_is_refused(xa, commune, open_dossier):
    flow = open_dossier(xa, commune, 2018)
    flow.advance(xa, stage="tu_danh_gia")
    response = flow.advance(xa, stage="tu_danh_gia", expect=400)
    assert "vui lòng tải lại trang" in response.content.decode()
    assert flow.dossier.current_stage == "lay_y_kien"


def test_values_are_locked_from_submission_until_a_return_to_self_assessment(
    xa, huyen, so_gt, so_con_lai, tinh, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    assert not dossier_locks_values(unit=commune, year=2018)
    flow.advance(xa)
    assert dossier_locks_values(unit=commune, year=2018)
    assert not dossier_locks_values(unit=commune, year=2017)
    flow.advance(xa)
    flow.back(huyen, "lay_y_kien", reason="Bổ sung biên bản lấy ý kiến")
    assert dossier_locks_values(unit=commune, year=2018)  # consultation: figures stay frozen
    flow.back(xa, "tu_danh_gia", reason="Sửa số liệu tiêu chí 5")
    assert not dossier_locks_values(unit=commune, year=2018)
    to_recognition(flow, xa, huyen, so_gt, so_con_lai, tinh)
    flow.advance(tinh)
    assert dossier_locks_values(unit=commune, year=2018)  # recognised and announced


def test_every_transition_and_appraisal_writes_an_audit_row(
    xa, huyen, so_gt, so_con_lai, tinh, commune, open_dossier
):
    flow = open_dossier(xa, commune, 2018)
    to_department_stage(flow, xa, huyen)
    flow.appraise(so_gt, ["2"], verdict="khong_dat", note="Thiếu hồ sơ")
    flow.back(tinh, "tu_danh_gia", reason="Tiêu chí 2: thiếu hồ sơ")  # the office returns
    to_recognition(flow, xa, huyen, so_gt, so_con_lai, tinh)
    flow.revoke(tinh)

    transitions = list(Transition.objects.filter(dossier_id=flow.id))
    events = list(
        AuditEvent.objects.filter(object_type="dossier", action__startswith="dossier.").order_by(
            "id"
        )
    )
    assert [e.action for e in events] == [f"dossier.{t.kind}" for t in transitions]
    for event, transition in zip(events, transitions, strict=True):
        assert event.before["stage"] == transition.from_stage
        assert event.after["stage"] == transition.to_stage
        assert (event.unit, event.year, event.actor) == (commune, 2018, transition.actor)
        assert event.origin == "page"
        assert event.origin_detail.startswith((f"/ho-so/{flow.id}/", f"/xa/{commune.id}/2018/"))
    back = next(e for e in events if e.action == "dossier.return")
    assert back.after["reason"] == "Tiêu chí 2: thiếu hồ sơ" and back.after["status"] == "returned"
    appraisals = AuditEvent.objects.filter(action="appraisal.record")
    assert appraisals.count() == CriterionAppraisal.objects.filter(dossier_id=flow.id).count() == 20
    assert appraisals.filter(after__criterion="2", after__verdict="dat").exists()


def test_the_dossier_page_runs_a_bounded_number_of_queries(
    xa, huyen, so_gt, so_con_lai, tinh, commune, open_dossier, django_assert_max_num_queries
):
    flow = open_dossier(xa, commune, 2018)
    to_recognition(flow, xa, huyen, so_gt, so_con_lai, tinh)
    with django_assert_max_num_queries(12):
        assert tinh.get(f"/ho-so/{flow.id}/").status_code == 200
