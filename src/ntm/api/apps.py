from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ntm.api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ntm.api import schema  # noqa: F401  (registers the token's OpenAPI description)
