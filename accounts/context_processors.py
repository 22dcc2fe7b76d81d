from django.http import HttpRequest


def redress(request: HttpRequest) -> dict[str, object]:
    """Give every page the signed-in user's unread notification count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    from complaints.selectors import notification_unread_count

    return {"unread_notifications": notification_unread_count(user=user)}
