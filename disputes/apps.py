from django.apps import AppConfig


class DisputesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disputes"

    def ready(self) -> None:
        from complaints.thread import thread_models_register

        from .models import BusinessInformation, BusinessResponse, CustomerAnswer

        # The complaint's public record masks and indexes these with the description.
        thread_models_register(BusinessResponse, CustomerAnswer, BusinessInformation)
