"""The API under /api/: version 1, its OpenAPI schema and its documentation pages.

Both documentation pages keep the site's Content-Security-Policy for scripts: Swagger UI loads
its start-up script from its own URL (`?script`) instead of inline. Redoc writes its styles into
`<style>` elements and searches in a worker started from a `blob:` URL, so its page alone allows
inline styles and blob workers (docs/operations.md, "Security headers").
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from core.api_errors import error_body


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Unknown API paths answer in the API's error shape, not with an HTML page."""
    return JsonResponse(error_body("Not found.", "not_found"), status=404)


REDOC_CSP = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

urlpatterns = [
    path("v1/", include("accounts.api.urls")),
    path("v1/", include("complaints.api.urls")),
    path("v1/", include("disputes.api.urls")),
    path("v1/", include("webhooks.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", REDOC_CSP(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
    re_path(r"^(?P<path>.*)$", not_found),
]
