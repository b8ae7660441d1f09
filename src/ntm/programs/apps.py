from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "ntm.programs"
    verbose_name = "Đào tạo, sản xuất, tổ chức bộ máy và mục tiêu"

    def ready(self) -> None:
        # Registers the programme sheets with the generic record importer.
        from ntm.programs import records  # noqa: F401
