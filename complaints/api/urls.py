from django.urls import path

from . import open_data, search, views

urlpatterns = [
    path("open-data/complaints/", open_data.OpenDataComplaintsView.as_view(), name="api-open-data"),
    path("open-data/complaints.csv", open_data.OpenDataCsvView.as_view(), name="api-open-data-csv"),
    path("open-data/trends/", open_data.OpenDataTrendsView.as_view(), name="api-open-data-trends"),
    path("businesses/<slug:slug>/", views.BusinessProfileView.as_view(), name="api-business"),
    path(
        "businesses/<slug:slug>/complaints/",
        views.PublishedComplaintListView.as_view(),
        name="api-business-complaints",
    ),
    path("complaints/search/", search.ComplaintSearchView.as_view(), name="api-complaints-search"),
    path("complaints/", views.ComplaintListView.as_view(), name="api-complaints"),
    path("notifications/", views.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/read/", views.NotificationReadView.as_view(), name="api-notifications-read"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(), name="api-notifications-read-all"),
    path("complaints/<str:number>/", views.ComplaintDetailView.as_view(), name="api-complaint"),
    path(
        "complaints/<str:number>/attachments/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="api-complaint-attachment",
    ),
    path("complaints/<str:number>/withdraw/", views.ComplaintWithdrawView.as_view(), name="api-complaint-withdraw"),
    path("complaints/<str:number>/consent/", views.ComplaintConsentView.as_view(), name="api-complaint-consent"),
    path(
        "complaints/<str:number>/public-text/",
        views.ComplaintPublicTextView.as_view(),
        name="api-complaint-public-text",
    ),
    path("complaints/<str:number>/notes/", views.StaffNoteListView.as_view(), name="api-complaint-notes"),
    path(
        "complaints/<str:number>/public-response/",
        views.ComplaintPublicResponseView.as_view(),
        name="api-complaint-public-response",
    ),
    path(
        "complaints/<str:number>/transitions/",
        views.ComplaintTransitionView.as_view(),
        name="api-complaint-transitions",
    ),
]
