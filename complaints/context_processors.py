from django.conf import settings
from django.http import HttpRequest

from .views.viewer import viewer_for


def redress(request: HttpRequest) -> dict[str, object]:
    """Give every page the deadlines it may quote and the signed-in `viewer` (read lazily, once a request)."""
    return {
        "deadlines": {
            "screening_days": settings.REDRESS_SCREENING_DAYS,
            "business_days": settings.REDRESS_BUSINESS_RESPONSE_DAYS,
            "consumer_days": settings.REDRESS_CONSUMER_ANSWER_DAYS,
        },
        "viewer": viewer_for(request),
    }
