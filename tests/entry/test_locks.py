"""A dossier under review or recognised locks its commune-year: values, evidence and comments.
The leader, who only reads, writes nothing anywhere."""

import pytest

from ntm.accounts import access
from ntm.audit.models import AuditEvent
from ntm.indicators.models import EvidenceFile, ValueComment
from ntm.workflow.services import dossier_advance, dossier_open
from tests.entry.conftest import YEAR, cell_url
from tests.entry.test_evidence import PDF, stored_files, upload

pytestmark = pytest.mark.django_db


def submit_dossier(board_user, commune):
    """The board submits its self-assessment: the commune-year is now locked."""
    dossier = dossier_open(actor=board_user, unit=commune, year=YEAR)
    return dossier_advance(actor=board_user, dossier=dossier)


def comment(client, unit, code, text="Đề nghị bổ sung biên bản"):
    return client.post(f"/so-lieu/{unit.id}/{YEAR}/{code}/y-kien/", {"text": text})


def test_it_refuses_evidence_for_a_locked_commune_year_and_keeps_no_file(
    board, commune, evidence_dir, san_thang_board
):
    dossier = submit_dossier(san_thang_board, commune)
    response = upload(board, commune, "14.2", "bien-ban.pdf", PDF)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"minh chứng đang bị khóa vì hồ sơ số {dossier.pk}" in html
    assert not EvidenceFile.objects.exists()
    assert not stored_files(evidence_dir)
    assert not AuditEvent.objects.filter(action="evidence.add").exists()


def test_it_refuses_to_delete_evidence_of_a_locked_commune_year_for_the_board(
    board, commune, evidence_dir, san_thang_board
):
    upload(board, commune, "14.2", "bien-ban.pdf", PDF)
    evidence = EvidenceFile.objects.get()
    submit_dossier(san_thang_board, commune)
    response = board.post(f"/minh-chung/{evidence.id}/xoa/")
    assert response.status_code == 400
    assert "minh chứng đang bị khóa" in response.content.decode()
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert len(stored_files(evidence_dir)) == 1


def test_it_refuses_to_delete_evidence_of_a_locked_commune_year_for_a_department(
    client, board, commune, evidence_dir, san_thang_board, education_department
):
    upload(board, commune, "14.2", "bien-ban.pdf", PDF)
    evidence = EvidenceFile.objects.get()
    submit_dossier(san_thang_board, commune)
    client.force_login(education_department)
    response = client.post(f"/minh-chung/{evidence.id}/xoa/")
    assert response.status_code == 400
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert len(stored_files(evidence_dir)) == 1


def test_it_refuses_comments_on_a_locked_commune_year(board, commune, san_thang_board):
    dossier = submit_dossier(san_thang_board, commune)
    response = comment(board, commune, "14.2")
    assert response.status_code == 400
    html = response.content.decode()
    assert f"không ghi được ý kiến vì hồ sơ số {dossier.pk}" in html
    assert "trang hồ sơ" in html
    assert not ValueComment.objects.exists()


def test_a_leader_writes_no_comment(client, commune, leader):
    client.force_login(leader)
    assert comment(client, commune, "1.1").status_code == 403
    assert not ValueComment.objects.exists()


def test_the_cell_page_shows_a_leader_no_form(client, commune, leader):
    client.force_login(leader)
    html = client.get(cell_url(commune, "14.2")).content.decode()
    assert "y-kien/" not in html
    assert "minh-chung/" not in html


def test_the_cell_page_of_a_locked_commune_year_shows_no_form_and_no_delete_button(
    board, commune, evidence_dir, san_thang_board
):
    upload(board, commune, "14.2", "bien-ban.pdf", PDF)
    evidence = EvidenceFile.objects.get()
    before = board.get(cell_url(commune, "14.2")).content.decode()
    assert "y-kien/" in before and f"/minh-chung/{evidence.id}/xoa/" in before
    submit_dossier(san_thang_board, commune)
    html = board.get(cell_url(commune, "14.2")).content.decode()
    assert "y-kien/" not in html
    assert "/minh-chung/" in html  # the file can still be downloaded
    assert f"/minh-chung/{evidence.id}/xoa/" not in html
    assert f"/so-lieu/{commune.id}/{YEAR}/14.2/minh-chung/" not in html


@pytest.mark.parametrize(
    ("who", "criterion", "allowed"),
    [
        ("san_thang_board", "1", True),
        ("binh_lu_board", "1", False),  # another commune
        ("education_department", "14", True),
        ("education_department", "1", False),  # not its criterion
        ("leader", "1", False),  # reads only
    ],
)
def test_can_comment(request, commune, who, criterion, allowed):
    user = request.getfixturevalue(who)
    assert access.can_comment(user, commune, criterion, set_id="qd1980-2016") is allowed
