from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ntm.audit"
    verbose_name = "Nhật ký thay đổi"
