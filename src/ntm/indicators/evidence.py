"""Writes of evidence files and remarks on indicator values; each writes its audit row.

Both follow the lock of the values they belong to: while a dossier is reviewed, the files the
reviewers judge and the values they read stay as they are.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from ntm.audit.services import audit_record
from ntm.core.model import CriteriaSet
from ntm.core.values import format_number
from ntm.indicators.filetypes import ALLOWED_EXTENSIONS, office_refusal, sniff_content_type
from ntm.indicators.models import EvidenceFile, ValueComment
from ntm.indicators.services import commune_criteria, lock_of, lock_unit

COMMENT_MAX_CHARS = 2000


class EvidenceError(ValueError):
    """A refused evidence file, with a message naming the file and the reason."""


class CommentError(ValueError):
    """A refused comment (empty or too long), with a message for the user."""


def _refuse_evidence_if_locked(*, unit: Any, year: int, indicator: str) -> None:
    """The lock of the values covers their evidence: the reviewers judge the files they saw."""
    lock = lock_of(unit=unit, year=year)
    if lock is None:
        return
    raise EvidenceError(
        gettext(
            "Xã %(unit)s, năm %(year)s, chỉ tiêu %(code)s: minh chứng đang bị khóa vì hồ sơ số "
            "%(dossier)s đang ở bước «%(stage)s»; chỉ thêm, xóa được tệp khi hồ sơ được trả "
            "lại bước tự đánh giá."
        )
        % {**lock, "code": indicator}
    )


def _refuse_comment_if_locked(*, unit: Any, year: int, indicator: str) -> None:
    """While a dossier is reviewed, remarks go on the dossier (return reasons, appraisal notes),
    where its stage's reviewers read them, not on values that nobody may change meanwhile."""
    lock = lock_of(unit=unit, year=year)
    if lock is None:
        return
    raise CommentError(
        gettext(
            "Xã %(unit)s, năm %(year)s, chỉ tiêu %(code)s: không ghi được ý kiến vì hồ sơ số "
            "%(dossier)s đang ở bước «%(stage)s». Ý kiến về hồ sơ ghi trên trang hồ sơ (lý do "
            "trả lại, ý kiến thẩm định từng tiêu chí)."
        )
        % {**lock, "code": indicator}
    )


def evidence_path(*, evidence: EvidenceFile) -> Path:
    """Where the file lives: EVIDENCE_ROOT/ab/abcdef... (two levels keep folders small)."""
    return Path(settings.EVIDENCE_ROOT) / evidence.stored_name[:2] / evidence.stored_name


def evidence_add(
    *, unit: Any, year: int, indicator: str, upload: UploadedFile[bytes], author: Any
) -> EvidenceFile:
    """Store an uploaded file as evidence for one indicator value, after checking it."""
    cset, _ = commune_criteria(unit=unit, year=year)
    if cset.indicator(indicator) is None:
        raise EvidenceError(_not_in_set(indicator, cset))
    _refuse_evidence_if_locked(unit=unit, year=year, indicator=indicator)  # before any write
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    _check_upload(upload=upload, name=name)
    content_type = sniff_content_type(stream=upload, name=name)  # type: ignore[arg-type]
    if content_type is None:
        allowed = ", ".join(sorted(ALLOWED_EXTENSIONS))
        raise EvidenceError(
            gettext(
                "Tệp '%(name)s' không được nhận: nội dung không phải là một trong các loại "
                "%(allowed)s hoặc không khớp với phần mở rộng của tên tệp"
            )
            % {"name": name, "allowed": allowed}
        )
    refusal = office_refusal(stream=upload, content_type=content_type)  # type: ignore[arg-type]
    if refusal is not None:
        raise EvidenceError(
            gettext("Tệp '%(name)s' không được nhận: %(reason)s")
            % {"name": name, "reason": refusal}
        )
    evidence = EvidenceFile(
        unit=unit,
        year=year,
        criteria_set=cset.id,
        indicator=indicator,
        stored_name=uuid.uuid4().hex,
        original_name=name,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=author,
    )
    path = evidence_path(evidence=evidence)
    evidence.sha256 = _write(upload=upload, path=path)
    try:
        with transaction.atomic():
            lock_unit(unit)
            _refuse_evidence_if_locked(unit=unit, year=year, indicator=indicator)
            evidence.save()
            audit_record(
                actor=author,
                action="evidence.add",
                object_type="evidence_file",
                object_id=evidence.id,
                unit=unit,
                year=year,
                after=_evidence_audit(evidence),
                origin_detail=f"{name} sha256={evidence.sha256}",
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return evidence


def _not_in_set(indicator: str, cset: CriteriaSet) -> str:
    return gettext("Chỉ tiêu '%(code)s' không có trong bộ tiêu chí %(set)s") % {
        "code": indicator,
        "set": cset.id,
    }


def _check_upload(*, upload: UploadedFile[bytes], name: str) -> None:
    limit = settings.EVIDENCE_MAX_BYTES
    if not upload.size:
        raise EvidenceError(gettext("Tệp '%(name)s' rỗng") % {"name": name})
    if upload.size > limit:
        raise EvidenceError(
            gettext("Tệp '%(name)s' dung lượng %(size)s MB, vượt giới hạn %(limit)s MB")
            % {
                "name": name,
                "size": format_number(upload.size / 1048576, 1),
                "limit": format_number(limit / 1048576, 1),
            }
        )


def _write(*, upload: UploadedFile[bytes], path: Path) -> str:
    digest = hashlib.sha256()
    path.parent.mkdir(parents=True, exist_ok=True)
    upload.seek(0)
    with path.open("xb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _evidence_audit(evidence: EvidenceFile) -> dict[str, Any]:
    return {
        "indicator": evidence.indicator,
        "criteria_set": evidence.criteria_set,
        "name": evidence.original_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
    }


def evidence_delete(*, evidence: EvidenceFile, author: Any) -> None:
    """Remove the record (audited) and, once that is committed, the file itself."""
    path = evidence_path(evidence=evidence)
    with transaction.atomic():
        lock_unit(evidence.unit)
        _refuse_evidence_if_locked(
            unit=evidence.unit, year=evidence.year, indicator=evidence.indicator
        )
        audit_record(
            actor=author,
            action="evidence.delete",
            object_type="evidence_file",
            object_id=evidence.id,
            unit=evidence.unit,
            year=evidence.year,
            before=_evidence_audit(evidence),
            origin_detail=evidence.original_name,
        )
        evidence.delete()
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


@transaction.atomic
def comment_add(*, unit: Any, year: int, indicator: str, text: str, author: Any) -> ValueComment:
    cset, _ = commune_criteria(unit=unit, year=year)
    if cset.indicator(indicator) is None:
        raise CommentError(_not_in_set(indicator, cset))
    lock_unit(unit)
    _refuse_comment_if_locked(unit=unit, year=year, indicator=indicator)
    text = text.strip()
    if not text:
        raise CommentError(
            gettext("Ý kiến về chỉ tiêu %(code)s đang để trống") % {"code": indicator}
        )
    if len(text) > COMMENT_MAX_CHARS:
        raise CommentError(
            gettext(
                "Ý kiến về chỉ tiêu %(code)s dài %(length)d ký tự, quá giới hạn %(limit)d ký tự"
            )
            % {"code": indicator, "length": len(text), "limit": COMMENT_MAX_CHARS}
        )
    comment = ValueComment.objects.create(
        unit=unit,
        year=year,
        criteria_set=cset.id,
        indicator=indicator,
        author=author,
        author_name=author.get_username() if author else "hệ thống",
        text=text,
    )
    audit_record(
        actor=author,
        action="comment.add",
        object_type="value_comment",
        object_id=comment.id,
        unit=unit,
        year=year,
        after={"indicator": indicator, "text": text},
    )
    return comment
