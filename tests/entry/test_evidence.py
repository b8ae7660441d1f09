"""Evidence files: sniffed types, size limit, generated names, downloads through access."""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ntm.audit.models import AuditEvent
from ntm.indicators.models import EvidenceFile
from tests.entry.conftest import YEAR, form_url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def docx_bytes(*extra: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, content in extra:
            archive.writestr(name, content)
    return out.getvalue()


def stored_files(folder):
    return [p for p in folder.rglob("*") if p.is_file()]


def upload(client, unit, code, name, content, content_type="application/pdf", **headers):
    url = f"/so-lieu/{unit.id}/{YEAR}/{code}/minh-chung/"
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type)}, **headers)


def test_a_real_pdf_is_stored_under_a_generated_name(board, commune, evidence_dir):
    response = upload(board, commune, "14.2", "bien-ban.pdf", PDF)
    assert response.status_code == 302
    assert response["Location"].startswith(form_url(commune))
    evidence = EvidenceFile.objects.get()
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        "bien-ban.pdf",
        "application/pdf",
        len(PDF),
    )
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert [p.name for p in stored_files(evidence_dir)] == [evidence.stored_name]
    assert "bien-ban" not in evidence.stored_name
    assert AuditEvent.objects.filter(action="evidence.add", object_id=str(evidence.id)).exists()


def test_a_png_is_accepted_whatever_the_browser_says(board, commune, evidence_dir):
    upload(board, commune, "14.2", "anh.png", png_bytes(), content_type="application/octet-stream")
    assert EvidenceFile.objects.get().content_type == "image/png"


def test_an_office_document_is_accepted(board, commune, evidence_dir):
    upload(board, commune, "14.2", "bao-cao.docx", docx_bytes())
    assert EvidenceFile.objects.get().content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (docx_bytes(("word/vbaProject.bin", b"\x00" * 64)), "Word có macro (.docm)"),
        (docx_bytes(("word/media/trang.bmp", b"\x00" * (60 * 1024 * 1024))), "zip bomb"),
    ],
)
def test_an_office_document_with_macros_or_a_zip_bomb_inside_is_refused(
    board, commune, evidence_dir, content, words
):
    response = upload(board, commune, "14.2", "bao-cao.docx", content)
    assert response.status_code == 400
    page = response.content.decode()
    assert "bao-cao.docx" in page and words in page
    assert not EvidenceFile.objects.exists()
    assert stored_files(evidence_dir) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bien-ban.pdf", EXE),  # an executable renamed .pdf
        ("setup.exe", EXE),
        ("anh.pdf", png_bytes()),  # a real image that claims to be a PDF
        ("bao-cao.docx", b"PK\x03\x04not really a zip"),
        ("trong.pdf", b""),
    ],
)
def test_a_file_whose_bytes_do_not_match_an_allowed_type_is_refused(
    board, commune, evidence_dir, name, content
):
    response = upload(board, commune, "14.2", name, content)
    assert response.status_code == 400
    assert name in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert stored_files(evidence_dir) == []


def test_a_file_over_the_size_limit_is_refused(board, commune, evidence_dir):
    big = PDF + b"0" * (64 * 1024)
    response = upload(board, commune, "14.2", "lon.pdf", big)
    assert response.status_code == 400
    assert "vượt giới hạn" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_htmx_gets_the_indicators_files_back_with_the_error(board, commune, evidence_dir):
    response = upload(board, commune, "14.2", "x.pdf", EXE, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="extras-i14_2"' in html and "không được nhận" in html
    ok = upload(board, commune, "14.2", "bien-ban.pdf", PDF, HTTP_HX_REQUEST="true")
    assert "bien-ban.pdf" in ok.content.decode()
    assert 'id="count-i14_2" hx-swap-oob="true">Minh chứng (1)' in ok.content.decode()


def test_the_download_is_an_attachment_with_the_original_name(board, commune, evidence_dir):
    upload(board, commune, "14.2", "bien-ban.pdf", PDF)
    evidence = EvidenceFile.objects.get()
    response = board.get(f"/minh-chung/{evidence.id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "bien-ban.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_the_download_is_refused_outside_the_scope(
    client, commune, evidence_dir, san_thang_board, binh_lu_board, education_department
):
    client.force_login(san_thang_board)
    upload(client, commune, "1.1", "quy-hoach.pdf", PDF)
    evidence = EvidenceFile.objects.get()
    client.force_login(binh_lu_board)
    assert client.get(f"/minh-chung/{evidence.id}/").status_code == 404
    client.force_login(education_department)  # criterion 1 is not the department's
    assert client.get(f"/minh-chung/{evidence.id}/").status_code == 404


def test_a_department_cannot_upload_for_another_criterion(
    client, commune, evidence_dir, education_department
):
    client.force_login(education_department)
    assert upload(client, commune, "1.1", "x.pdf", PDF).status_code == 404
    assert upload(client, commune, "14.2", "x.pdf", PDF).status_code == 302


def test_a_leader_may_download_but_not_upload(
    client, commune, evidence_dir, san_thang_board, leader
):
    client.force_login(san_thang_board)
    upload(client, commune, "14.2", "x.pdf", PDF)
    client.force_login(leader)
    assert upload(client, commune, "14.2", "y.pdf", PDF).status_code == 403
    evidence = EvidenceFile.objects.get()
    assert client.get(f"/minh-chung/{evidence.id}/").status_code == 200
    assert client.post(f"/minh-chung/{evidence.id}/xoa/").status_code == 403


def test_deleting_removes_the_record_and_the_file_and_is_audited(
    board, commune, evidence_dir, django_capture_on_commit_callbacks
):
    upload(board, commune, "14.2", "x.pdf", PDF)
    evidence = EvidenceFile.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert board.post(f"/minh-chung/{evidence.id}/xoa/").status_code == 302
    assert not EvidenceFile.objects.exists()
    assert stored_files(evidence_dir) == []
    assert AuditEvent.objects.filter(action="evidence.delete").exists()


def test_the_form_lists_the_files_of_each_indicator(board, commune, evidence_dir):
    upload(board, commune, "14.2", "bien-ban.pdf", PDF)
    html = board.get(form_url(commune)).content.decode()
    assert "bien-ban.pdf" in html and "Minh chứng (1)" in html
