from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from .signin import signin_failure_log

        # Every sign-in path (page, admin, API token) goes through authenticate(), which sends this.
        user_login_failed.connect(signin_failure_log, dispatch_uid="accounts.signin_failure_log")
