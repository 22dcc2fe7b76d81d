from django.urls import path

from . import views

BASE = "businesses/<slug:slug>/webhooks/"

urlpatterns = [
    path(BASE, views.EndpointListView.as_view(), name="api-webhooks"),
    path(f"{BASE}<int:endpoint_id>/", views.EndpointDetailView.as_view(), name="api-webhook"),
    path(f"{BASE}<int:endpoint_id>/rotate/", views.EndpointRotateView.as_view(), name="api-webhook-rotate"),
    path(f"{BASE}<int:endpoint_id>/ping/", views.EndpointPingView.as_view(), name="api-webhook-ping"),
    path(f"{BASE}<int:endpoint_id>/deliveries/", views.DeliveryListView.as_view(), name="api-webhook-deliveries"),
    path(
        f"{BASE}<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver/",
        views.DeliveryRedeliverView.as_view(),
        name="api-webhook-redeliver",
    ),
]
