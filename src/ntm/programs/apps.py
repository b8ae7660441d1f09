from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "ntm.programs"
    verbose_name = "Đào tạo, sản xuất, tổ chức bộ máy và mục tiêu"
