from django.apps import AppConfig


class InboundConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inbound"
    verbose_name = "Inbound mail"

    def ready(self) -> None:
        from accounts.personal_data import personal_data_register

        from .selectors import personal_data_export
        from .services import sender_erase

        # A person's export lists the e-mails received from them; deleting the account forgets them.
        personal_data_register("inbound", export=personal_data_export, erase=sender_erase)
