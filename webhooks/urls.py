from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("dashboard/webhooks/<slug:slug>/", views.webhook_list, name="list"),
    path("dashboard/webhooks/<slug:slug>/<int:endpoint_id>/", views.webhook_detail, name="detail"),
    path("dashboard/webhooks/<slug:slug>/<int:endpoint_id>/enable/", views.webhook_enable, name="enable"),
    path("dashboard/webhooks/<slug:slug>/<int:endpoint_id>/rotate/", views.webhook_rotate, name="rotate"),
    path("dashboard/webhooks/<slug:slug>/<int:endpoint_id>/ping/", views.webhook_ping, name="ping"),
    path("dashboard/webhooks/<slug:slug>/<int:endpoint_id>/delete/", views.webhook_delete, name="delete"),
    path(
        "dashboard/webhooks/<slug:slug>/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver/",
        views.webhook_redeliver,
        name="redeliver",
    ),
]
