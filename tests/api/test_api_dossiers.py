"""Recognition dossiers through the API: the same services, access and refusals as the pages."""

from __future__ import annotations

import pytest

from ntm.audit.models import AuditEvent
from ntm.workflow.models import CriterionAppraisal, Dossier, Transition

pytestmark = pytest.mark.django_db

DEPARTMENTS = ("so.giaothong", "so.yte", "so.nongnghiep")
OPEN = "/api/v1/dossiers/"


def _url(dossier_id: int, action: str = "") -> str:
    return f"/api/v1/dossiers/{dossier_id}/" + (f"{action}/" if action else "")


def _open(client, year: int = 2018) -> dict:
    got = client.post(OPEN, {"unit": "03409", "year": year}, content_type="application/json")
    assert got.status_code == 201, got.content
    return got.json()


def _post(client, dossier_id: int, action: str, body: dict | None = None):
    return client.post(_url(dossier_id, action), body or {}, content_type="application/json")


def test_a_commune_opens_and_advances_its_dossier(demo, api):
    xa = api("xa.santhang")
    dossier = _open(xa)
    assert (dossier["status"], dossier["current_stage"]) == ("draft", "tu_danh_gia")
    assert dossier["actions"]["advance"] is True
    moved = _post(xa, dossier["id"], "advance", {"stage": "tu_danh_gia"})
    assert moved.status_code == 200 and moved.json()["current_stage"] == "lay_y_kien"
    note = "Đã niêm yết 15 ngày"
    moved = _post(xa, dossier["id"], "advance", {"stage": "lay_y_kien", "reason": note})
    assert moved.json()["current_stage"] == "huyen_tham_tra"
    assert moved.json()["transitions"][-1]["reason"] == note
    events = AuditEvent.objects.filter(object_type="dossier", object_id=dossier["id"])
    assert {e.origin for e in events} == {"api"}
    listed = xa.get("/api/v1/dossiers/?unit=03409&year=2018").json()
    assert [d["id"] for d in listed["results"]] == [dossier["id"]]


def test_opening_a_commune_short_of_the_standard_asks_for_confirmation_first(demo, api):
    xa = api("xa.santhang")
    body = {"unit": "03409", "year": 2016}
    asked = xa.post(OPEN, body, content_type="application/json")
    assert asked.status_code == 409 and asked.json()["confirm_required"] is True
    assert "confirm" in asked.json()["detail"]
    assert not Dossier.objects.filter(unit__code="03409", year=2016).exists()
    done = xa.post(OPEN, {**body, "confirm": True}, content_type="application/json")
    assert done.status_code == 201
    assert "đã xác nhận" in done.json()["transitions"][0]["reason"]
    again = xa.post(OPEN, {**body, "confirm": True}, content_type="application/json")
    assert again.status_code == 409 and "đang xử lý" in again.json()["detail"]


def test_a_district_returns_the_dossier_with_a_reason(demo, api):
    xa, huyen = api("xa.santhang"), api("huyen.tplaichau")
    dossier = _open(xa)
    _post(xa, dossier["id"], "advance")
    _post(xa, dossier["id"], "advance")
    assert _post(xa, dossier["id"], "advance").status_code == 403  # the district's stage now
    no_reason = _post(huyen, dossier["id"], "return", {"to_stage": "tu_danh_gia"})
    assert no_reason.status_code == 400 and "lý do" in no_reason.json()["reason"][0]
    body = {"to_stage": "tu_danh_gia", "reason": "Thiếu biên bản lấy ý kiến"}
    back = _post(huyen, dossier["id"], "return", body)
    assert back.status_code == 200
    assert (back.json()["status"], back.json()["current_stage"]) == ("returned", "tu_danh_gia")
    stale = _post(huyen, dossier["id"], "advance", {"stage": "huyen_tham_tra"})
    assert stale.status_code == 409 and "tải lại" in stale.json()["detail"]


def _to_appraisal(xa, huyen) -> int:
    dossier = _open(xa)
    for client in (xa, xa, huyen):
        assert _post(client, dossier["id"], "advance").status_code == 200
    return dossier["id"]


def test_a_department_appraises_only_its_criteria(demo, api):
    so = api("so.giaothong")
    dossier_id = _to_appraisal(api("xa.santhang"), api("huyen.tplaichau"))
    seen = so.get(_url(dossier_id)).json()
    assert [c["code"] for c in seen["criteria"]] == ["2"] and seen["evaluation"] is None
    assert seen["actions"]["appraise"] == ["2"]
    mine = _post(so, dossier_id, "appraise", {"criterion": "2", "verdict": "dat"})
    assert mine.status_code == 200 and mine.json()["criteria"][0]["appraisal"]["verdict"] == "dat"
    other = _post(so, dossier_id, "appraise", {"criterion": "15", "verdict": "dat"})
    assert other.status_code == 403
    no_note = _post(so, dossier_id, "appraise", {"criterion": "2", "verdict": "khong_dat"})
    assert no_note.status_code == 400
    assert CriterionAppraisal.objects.filter(dossier_id=dossier_id).count() == 1


def test_a_dossier_goes_to_recognition_and_revocation_through_the_api(demo, api):
    office = api("vanphong.laichau")
    dossier_id = _to_appraisal(api("xa.santhang"), api("huyen.tplaichau"))
    early = _post(office, dossier_id, "recognise", {"number": "1", "date": "2018-12-20"})
    assert early.status_code == 400 and "signer" in early.json()
    for name in DEPARTMENTS:
        client = api(name)
        for code in client.get(_url(dossier_id)).json()["actions"]["appraise"]:
            body = {"criterion": code, "verdict": "dat"}
            assert _post(client, dossier_id, "appraise", body).status_code == 200
    decision = {"number": "1234/QĐ-UBND", "date": "2018-12-20", "signer": "Nguyễn Văn A"}
    not_yet = _post(office, dossier_id, "recognise", decision)
    assert not_yet.status_code == 409 and "chưa đến bước" in not_yet.json()["detail"]
    assert _post(office, dossier_id, "advance").status_code == 200
    done = _post(office, dossier_id, "recognise", decision)
    assert done.status_code == 200 and done.json()["status"] == "recognised"
    assert done.json()["decisions"][0]["number"] == "1234/QĐ-UBND"
    revoked = _post(office, dossier_id, "revoke", {**decision, "reason": "Tiêu chí 2 không đạt"})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    twice = _post(office, dossier_id, "revoke", {**decision, "reason": "Lần nữa"})
    assert twice.status_code == 409


def test_a_leader_reads_dossiers_and_writes_nothing(demo, api):
    dossier = _open(api("xa.santhang"))
    leader = api("lanhdao.laichau")
    assert leader.get(_url(dossier["id"])).status_code == 200
    before = Transition.objects.count(), Dossier.objects.count()
    assert _post(leader, dossier["id"], "advance").status_code == 403
    body = {"to_stage": "tu_danh_gia", "reason": "x"}
    assert _post(leader, dossier["id"], "return", body).status_code == 403
    opened = leader.post(
        OPEN, {"unit": "03403", "year": 2018, "confirm": True}, content_type="application/json"
    )
    assert opened.status_code == 403
    assert (Transition.objects.count(), Dossier.objects.count()) == before


def test_a_dossier_out_of_scope_is_404(demo, api):
    dossier = _open(api("xa.santhang"))
    neighbour = api("xa.daosan")
    assert neighbour.get(_url(dossier["id"])).status_code == 404
    assert _post(neighbour, dossier["id"], "advance").status_code == 404
    assert neighbour.get("/api/v1/dossiers/?unit=03409&year=2018").status_code == 404
    assert neighbour.get(_url(999999)).status_code == 404
    other = neighbour.post(OPEN, {"unit": "03409", "year": 2018}, content_type="application/json")
    assert other.status_code == 404
