from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What the audit page calls each action; an action missing here is shown by its code.
ACTION_LABELS = {
    "value.set": pgettext_lazy("audit action", "Sửa giá trị chỉ tiêu"),
    "dossier.open": pgettext_lazy("audit action", "Lập hồ sơ xét công nhận"),
    "dossier.advance": pgettext_lazy("audit action", "Chuyển bước hồ sơ"),
    "dossier.return": pgettext_lazy("audit action", "Trả lại hồ sơ"),
    "dossier.decide": pgettext_lazy("audit action", "Quyết định công nhận"),
    "dossier.revoke": pgettext_lazy("audit action", "Thu hồi công nhận"),
    "appraisal.record": pgettext_lazy("audit action", "Thẩm định tiêu chí"),
    "login": pgettext_lazy("audit action", "Đăng nhập"),
    "login.fail": pgettext_lazy("audit action", "Đăng nhập sai"),
    "login.throttle": pgettext_lazy("audit action", "Tạm chặn đăng nhập sai nhiều lần"),
    "logout": pgettext_lazy("audit action", "Đăng xuất"),
    "export.data": pgettext_lazy("audit action", "Xuất số liệu"),
    "export.template": pgettext_lazy("audit action", "Tải biểu mẫu nhập liệu"),
    "export.communes": pgettext_lazy("audit action", "Tải danh sách các xã (Excel)"),
    "export.criteria": pgettext_lazy("audit action", "Tải bộ tiêu chí (Excel)"),
    "evidence.download": pgettext_lazy("audit action", "Tải tệp minh chứng"),
    "user.create": pgettext_lazy("audit action", "Tạo tài khoản"),
    "user.update": pgettext_lazy("audit action", "Sửa tài khoản"),
    "user.password": pgettext_lazy("audit action", "Đặt mật khẩu"),
    "user.activate": pgettext_lazy("audit action", "Kích hoạt tài khoản"),
    "user.deactivate": pgettext_lazy("audit action", "Vô hiệu hóa tài khoản"),
    "user.unlock": pgettext_lazy("audit action", "Mở khóa đăng nhập"),
    # Rows written before login throttling per address (accounts migration 0004).
    "user.lock": pgettext_lazy("audit action", "Tạm khóa đăng nhập"),
    "user.succeed": pgettext_lazy("audit action", "Chuyển tài khoản sang đơn vị kế thừa"),
    "backup.create": pgettext_lazy("audit action", "Sao lưu dữ liệu"),
    "backup.restore": pgettext_lazy("audit action", "Phục hồi bản sao lưu"),
    "report.make": pgettext_lazy("audit action", "Lập báo cáo"),
    "token.issue": pgettext_lazy("audit action", "Cấp mã truy cập API"),
}
OBJECT_LABELS = {
    "dossier": _("hồ sơ"),
    "indicator_value": _("giá trị chỉ tiêu"),
    "account": _("tài khoản"),
    "user": _("người dùng"),
    "unit": _("đơn vị"),
    "evidence": _("tệp minh chứng"),
    "criteria_workbook": _("bộ tiêu chí"),
    "records": _("biểu mẫu"),
    "backup": _("bản sao lưu"),
    "report": _("báo cáo"),
}


class Origin(models.TextChoices):
    PAGE = "page", _("Trang web")
    FILE = "file", _("Tệp nhập")
    API = "api", _("API")
    CLI = "cli", _("Dòng lệnh")
    SYSTEM = "system", _("Hệ thống")


class AuditEvent(models.Model):
    """One change: who, when, what (before/after), from which page, file or API call."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=40)  # e.g. value.set, dossier.return
    object_type = models.CharField(_("đối tượng"), max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    origin = models.CharField(
        _("nguồn"), max_length=10, choices=Origin.choices, default=Origin.PAGE
    )
    origin_detail = models.CharField(
        _("chi tiết nguồn"), max_length=300, blank=True
    )  # path, file name + hash
    # The client's address for what a page did (ntm.audit.client): logins, failed logins,
    # downloads. Empty for the command line and background work.
    address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "at"]), models.Index(fields=["actor", "at"])]
        ordering = ["-at", "-id"]

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def object_label(self) -> str:
        return str(OBJECT_LABELS.get(self.object_type, self.object_type))
