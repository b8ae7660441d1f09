from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ntm.accounts"
    verbose_name = "Tài khoản và phân quyền"
