"""Page routes. Views live in complaints/views/, one module per page family (see its docstring)."""

from django.urls import path
from django.views.generic import TemplateView

from .views import case, dashboard, filing, mine, notifications, open_data, public, search

app_name = "complaints"
urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    # The public record (views/public.py)
    path("businesses/", public.business_directory, name="business-directory"),
    path("businesses/<slug:slug>/", public.business_profile, name="business-profile"),
    # The open data's page (views/open_data.py)
    path("data/", open_data.data_page, name="data"),
    path("search/", search.search_page, name="search"),
    # The complainant's list (views/mine.py)
    path("complaints/", mine.my_complaints, name="mine"),
    # Filing in steps (views/filing.py)
    path("complaints/new/", filing.file_start, name="file"),
    path("complaints/new/businesses.json", filing.business_suggestions, name="business-suggestions"),
    path("complaints/new/filed/<str:number>/", filing.file_done, name="filed"),
    path("complaints/new/<slug:step>/", filing.file_step, name="file-step"),
    # One complaint and its actions (views/case.py; responses and answers: disputes/urls.py)
    path("complaints/<str:number>/", case.complaint_detail, name="detail"),
    path("complaints/<str:number>/attachments/<int:pk>/", case.attachment_download, name="attachment"),
    path("complaints/<str:number>/withdraw/", case.complaint_withdraw_view, name="withdraw"),
    path("complaints/<str:number>/consent/", case.complaint_consent_view, name="consent"),
    path("complaints/<str:number>/notes/", case.staff_note_add_view, name="staff-note"),
    path("complaints/<str:number>/public-response/", case.complaint_public_response_view, name="public-response"),
    # The representative's dashboard (views/dashboard.py)
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    # Notifications (views/notifications.py)
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read-all/", notifications.notification_mark_all, name="notifications-read-all"),
]
