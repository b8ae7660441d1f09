from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "ntm.indicators"
    verbose_name = "Giá trị chỉ tiêu và kết quả đánh giá"
