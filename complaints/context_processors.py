from django.conf import settings
from django.http import HttpRequest

from .selectors import notification_unread_count


def redress(request: HttpRequest) -> dict[str, object]:
    """Give every page the deadlines it may quote and the signed-in user's unread notification count."""
    context: dict[str, object] = {
        "deadlines": {
            "screening_days": settings.REDRESS_SCREENING_DAYS,
            "business_days": settings.REDRESS_BUSINESS_RESPONSE_DAYS,
            "consumer_days": settings.REDRESS_CONSUMER_ANSWER_DAYS,
        },
        "unread_notifications": 0,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = notification_unread_count(user=user)
    return context
