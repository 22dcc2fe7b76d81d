from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed

from . import checks  # noqa: F401  (registers the system checks; it imports no models)


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from .sessions import session_activity_start
        from .signin import signin_failure_log

        # Every sign-in path (page, admin, API token) goes through authenticate(), which sends this.
        user_login_failed.connect(signin_failure_log, dispatch_uid="accounts.signin_failure_log")
        user_logged_in.connect(session_activity_start, dispatch_uid="accounts.session_activity_start")
