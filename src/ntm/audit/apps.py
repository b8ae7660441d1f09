from django.apps import AppConfig
from django.core import checks


class AuditConfig(AppConfig):
    name = "ntm.audit"
    verbose_name = "Nhật ký thay đổi"

    def ready(self) -> None:
        from ntm.audit.checks import proxy_hops_check

        checks.register(proxy_hops_check, checks.Tags.security, deploy=True)
