from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"

    def ready(self) -> None:
        from accounts.personal_data import personal_data_register

        from .selectors.personal import personal_data_export
        from .services.personal import complainant_erase

        # A person's export and account deletion cover their complaints (docs/domain.md, "Your own data").
        personal_data_register("complaints", export=personal_data_export, erase=complainant_erase)
