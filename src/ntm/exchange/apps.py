from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "ntm.exchange"
    verbose_name = "Trao đổi dữ liệu (Excel, CSV, DHIS2)"
