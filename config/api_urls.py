"""The API under /api/: version 1, its OpenAPI schema and its documentation pages."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core.api_errors import error_body


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Unknown API paths answer in the API's error shape, not with an HTML page."""
    return JsonResponse(error_body("Not found.", "not_found"), status=404)


urlpatterns = [
    path("v1/", include("accounts.api.urls")),
    path("v1/", include("complaints.api.urls")),
    path("v1/", include("disputes.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    re_path(r"^(?P<path>.*)$", not_found),
]
