from django.urls import path

from . import views

urlpatterns = [
    path("auth/signup/", views.SignupView.as_view(), name="api-signup"),
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/me/export/", views.MyDataExportView.as_view(), name="api-my-data"),
    path("auth/me/delete/", views.MyAccountDeleteView.as_view(), name="api-my-account-delete"),
    path("businesses/", views.BusinessListView.as_view(), name="api-businesses"),
    path(
        "businesses/<slug:slug>/representatives/",
        views.RepresentativeAddView.as_view(),
        name="api-business-representatives",
    ),
]
