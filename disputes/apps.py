from django.apps import AppConfig


class DisputesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disputes"

    def ready(self) -> None:
        from accounts.personal_data import personal_data_register
        from complaints.thread import thread_models_register

        from .models import BusinessInformation, BusinessResponse, CustomerAnswer
        from .services import complainant_records_erase

        # The complaint's public record masks and indexes these with the description.
        thread_models_register(BusinessResponse, CustomerAnswer, BusinessInformation)
        # A deleted account's name leaves the rulings and mediation notes on its complaints.
        personal_data_register("disputes", erase=complainant_records_erase)
