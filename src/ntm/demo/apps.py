from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ntm.demo"
    verbose_name = "Dữ liệu demo Lai Châu (mô phỏng)"
