from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "ntm.finance"
    verbose_name = "Nguồn vốn và đóng góp của cộng đồng"

    def ready(self) -> None:
        # Registers the capital and contribution sheets with the generic record importer.
        from ntm.finance import records  # noqa: F401
