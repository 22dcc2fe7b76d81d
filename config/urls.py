from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # Pages without a <link rel="icon"> (the admin's) make browsers ask for /favicon.ico.
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("complaints.urls")),
    path("", include("disputes.urls")),
    path("", include("webhooks.urls")),
    path("", include("workbench.urls")),
    path("api/", include("config.api_urls")),
]
