from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"

    def ready(self) -> None:
        from complaints.announcements import announcements_listen

        from .services import deliveries_record

        # Recorded events reach the businesses' endpoints (docs/architecture.md, "Webhooks").
        announcements_listen(deliveries_record)
