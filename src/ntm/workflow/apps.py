from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "ntm.workflow"
    verbose_name = "Quy trình xét, công nhận"
