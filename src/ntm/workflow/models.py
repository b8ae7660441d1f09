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
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ntm.criteria.selectors import get_any_set
from ntm.workflow.stages import Stage, stage_of

# Where a dossier is once the last stage (announcement) is done.
STAGE_DONE = "hoan_tat"


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    IN_REVIEW = "in_review", _("Đang xét")
    RETURNED = "returned", _("Bị trả lại")
    RECOGNISED = "recognised", _("Đã công nhận")
    REVOKED = "revoked", _("Đã thu hồi công nhận")


class Dossier(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="dossiers")
    year = models.PositiveSmallIntegerField(_("năm"))
    criteria_set = models.CharField(_("bộ tiêu chí"), max_length=40)
    tier = models.CharField(_("mức"), max_length=20, default="ntm")
    # The stage codes of this dossier's plan, fixed when it was opened (see stages.py).
    stages = models.JSONField(_("các bước"))
    current_stage = models.CharField(_("bước hiện tại"), max_length=40)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ xét công nhận")
        verbose_name_plural = _("hồ sơ xét công nhận")
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
        return gettext("Hồ sơ %(unit)s năm %(year)s") % {"unit": self.unit.name, "year": self.year}

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
        return [c.code for c in get_any_set(self.criteria_set).criteria]


class Transition(models.Model):
    class Kind(models.TextChoices):
        OPEN = "open", pgettext_lazy("dossier transition", "Lập hồ sơ")
        ADVANCE = "advance", pgettext_lazy("dossier transition", "Chuyển bước")
        RETURN = "return", pgettext_lazy("dossier transition", "Trả lại")
        DECIDE = "decide", pgettext_lazy("dossier transition", "Quyết định công nhận")
        REVOKE = "revoke", pgettext_lazy("dossier transition", "Thu hồi công nhận")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="transitions")
    from_stage = models.CharField(_("từ bước"), max_length=40, blank=True)
    to_stage = models.CharField(_("đến bước"), max_length=40)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        ordering = ["at", "id"]


class Verdict(models.TextChoices):
    DAT = "dat", _("Đạt")
    KHONG_DAT = "khong_dat", _("Không đạt")


class CriterionAppraisal(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="appraisals")
    criterion = models.CharField(_("tiêu chí"), max_length=20)
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verdict = models.CharField(_("kết quả"), max_length=10, choices=Verdict.choices)
    note = models.TextField(_("ý kiến"), blank=True)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
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
        RECOGNITION = "recognition", _("Công nhận")
        REVOCATION = "revocation", _("Thu hồi")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("số quyết định"), max_length=60)
    date = models.DateField(_("ngày quyết định"))
    signer = models.CharField(_("người ký"), max_length=150)
    reason = models.TextField(_("lý do"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
