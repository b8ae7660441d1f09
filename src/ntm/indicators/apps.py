from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "ntm.indicators"
    verbose_name = "Giá trị chỉ tiêu và kết quả đánh giá"

    def ready(self) -> None:
        # Connects the re-evaluation to the rule and unit changes the apps below announce.
        from ntm.indicators import receivers  # noqa: F401
