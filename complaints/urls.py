"""Page routes. Views live in complaints/views/: `public` (directory, profiles), `cases`, `notifications`."""

from django.urls import path
from django.views.generic import TemplateView

app_name = "complaints"
urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    # Public record (complaints/views/public.py): /businesses/, /businesses/<slug>/
    # Complainant and representative pages (complaints/views/cases.py): /complaints/..., /dashboard/
    # Notifications (complaints/views/notifications.py): /notifications/
    # Placeholders until the views exist; each is replaced by its real view.
    path("businesses/<slug:slug>/", TemplateView.as_view(template_name="home.html"), name="business-profile"),
    path("complaints/<str:number>/", TemplateView.as_view(template_name="home.html"), name="detail"),
]
