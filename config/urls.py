from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("complaints.urls")),
    path("", include("disputes.urls")),
    path("api/", include("config.api_urls")),
]
