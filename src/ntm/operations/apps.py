from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "ntm.operations"
    verbose_name = "Vận hành máy chủ: sao lưu, phục hồi"
