from django.apps import AppConfig

from . import checks  # noqa: F401  (registers the system checks; it imports no models)


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
