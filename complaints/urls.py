"""Page routes. Views live in complaints/views/: `public` (directory, profiles), `cases`, `notifications`."""

from django.urls import path
from django.views.generic import TemplateView

from .views import cases, notifications, public

app_name = "complaints"
urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    # Public record (complaints/views/public.py): /businesses/, /businesses/<slug>/
    # Complainant and representative pages (complaints/views/cases.py): /complaints/..., /dashboard/
    # Notifications (complaints/views/notifications.py): /notifications/
    # Placeholders until the views exist; each is replaced by its real view.
    path("businesses/", public.business_directory, name="business-directory"),
    path("businesses/<slug:slug>/", public.business_profile, name="business-profile"),
    path("complaints/", cases.my_complaints, name="mine"),
    path("complaints/new/", cases.file_start, name="file"),
    path("complaints/new/businesses.json", cases.business_suggestions, name="business-suggestions"),
    path("complaints/new/filed/<str:number>/", cases.file_done, name="filed"),
    path("complaints/new/<slug:step>/", cases.file_step, name="file-step"),
    path("complaints/<str:number>/", cases.complaint_detail, name="detail"),
    path("complaints/<str:number>/attachments/<int:pk>/", cases.attachment_download, name="attachment"),
    path("complaints/<str:number>/withdraw/", cases.complaint_withdraw_view, name="withdraw"),
    path("complaints/<str:number>/consent/", cases.complaint_consent_view, name="consent"),
    path("dashboard/", cases.dashboard, name="dashboard"),
    path("notifications/", notifications.notification_list, name="notifications"),
]
