"""Recognition dossiers of communes and everything that happens to them.

A dossier moves through the stages of its criteria set's procedure (ntm/workflow/stages.py);
every move is a Transition row, every criterion verdict a CriterionAppraisal row, every
decision (recognition, revocation) a Decision row. Rows are only ever added (appraisals are
superseded, not edited), so the history of a dossier is the tables themselves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ntm.core.registry import get_set
from ntm.workflow.stages import Stage, stage_of

# Where a dossier is once the last stage (announcement) is done.
STAGE_DONE = "hoan_tat"


class Status(models.TextChoices):
    DRAFT = "draft", "Đang lập"
    IN_REVIEW = "in_review", "Đang xét"
    RETURNED = "returned", "Bị trả lại"
    RECOGNISED = "recognised", "Đã công nhận"
    REVOKED = "revoked", "Đã thu hồi công nhận"


class Dossier(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="dossiers")
    year = models.PositiveSmallIntegerField("năm")
    criteria_set = models.CharField("bộ tiêu chí", max_length=40)
    tier = models.CharField("mức", max_length=20, default="ntm")
    # The stage codes of this dossier's plan, fixed when it was opened (see stages.py).
    stages = models.JSONField("các bước")
    current_stage = models.CharField("bước hiện tại", max_length=40)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("ngày lập", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hồ sơ xét công nhận"
        verbose_name_plural = "hồ sơ xét công nhận"
        ordering = ["-year", "-id"]
        constraints = (
            # One live dossier per commune, year and tier; a revoked one may be followed by a new one.
            models.UniqueConstraint(
                fields=["unit", "year", "tier"],
                condition=~Q(status="revoked"),
                name="workflow_dossier_one_live",
            ),
        )
        indexes = (models.Index(fields=["current_stage", "status"], name="workflow_dossier_stage"),)

    def __str__(self) -> str:
        return f"Hồ sơ {self.unit.name} năm {self.year}"

    @property
    def stage(self) -> Stage | None:
        """The current stage, or None once the procedure is complete."""
        return stage_of(self.criteria_set, self.current_stage)

    @property
    def current_role(self) -> str:
        """The role that acts now ("" once complete or revoked): read by the access module."""
        stage = self.stage
        if stage is None or self.status == Status.REVOKED:
            return ""
        return stage.role

    @property
    def stage_index(self) -> int:
        codes = list(self.stages)
        return codes.index(self.current_stage) if self.current_stage in codes else len(codes)

    @property
    def criterion_codes(self) -> list[str]:
        return [c.code for c in get_set(self.criteria_set).criteria]


class Transition(models.Model):
    class Kind(models.TextChoices):
        OPEN = "open", "Lập hồ sơ"
        ADVANCE = "advance", "Chuyển bước"
        RETURN = "return", "Trả lại"
        DECIDE = "decide", "Quyết định công nhận"
        REVOKE = "revoke", "Thu hồi công nhận"

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="transitions")
    from_stage = models.CharField("từ bước", max_length=40, blank=True)
    to_stage = models.CharField("đến bước", max_length=40)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("thời điểm", auto_now_add=True)
    reason = models.TextField("lý do", blank=True)

    class Meta:
        ordering = ["at", "id"]


class Verdict(models.TextChoices):
    DAT = "dat", "Đạt"
    KHONG_DAT = "khong_dat", "Không đạt"


class CriterionAppraisal(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="appraisals")
    criterion = models.CharField("tiêu chí", max_length=20)
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verdict = models.CharField("kết quả", max_length=10, choices=Verdict.choices)
    note = models.TextField("ý kiến", blank=True)
    at = models.DateTimeField("thời điểm", auto_now_add=True)
    # Set when a later appraisal of the criterion replaces this one, or when the dossier is
    # returned to (or before) the appraisal stage: only current rows count.
    superseded = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = (
            models.Index(fields=["dossier", "superseded"], name="workflow_appraisal_current"),
        )


class Decision(models.Model):
    class Kind(models.TextChoices):
        RECOGNITION = "recognition", "Công nhận"
        REVOCATION = "revocation", "Thu hồi"

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField("loại", max_length=12, choices=Kind.choices)
    number = models.CharField("số quyết định", max_length=60)
    date = models.DateField("ngày quyết định")
    signer = models.CharField("người ký", max_length=150)
    reason = models.TextField("lý do", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("thời điểm ghi", auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
