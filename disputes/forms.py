"""Forms for the exchange after filing. Text rules live in disputes.services."""

from complaints.forms.case import MessageForm, ResponseForm

__all__ = ["MessageForm", "ResponseForm"]
