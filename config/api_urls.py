from django.urls import include, path

urlpatterns = [
    path("v1/", include("accounts.api.urls")),
    path("v1/", include("complaints.api.urls")),
    path("v1/", include("disputes.api.urls")),
]
