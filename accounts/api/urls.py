from django.urls import path

from . import views

urlpatterns = [
    path("auth/signup/", views.SignupView.as_view(), name="api-signup"),
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/tokens/", views.TokenListView.as_view(), name="api-tokens"),
    path("auth/tokens/revoke-all/", views.TokenRevokeAllView.as_view(), name="api-tokens-revoke-all"),
    path("auth/tokens/<str:token_id>/", views.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("auth/me/export/", views.MyDataExportView.as_view(), name="api-my-data"),
    path("auth/me/delete/", views.MyAccountDeleteView.as_view(), name="api-my-account-delete"),
    path("businesses/", views.BusinessListView.as_view(), name="api-businesses"),
    path(
        "businesses/<slug:slug>/representatives/",
        views.RepresentativeAddView.as_view(),
        name="api-business-representatives",
    ),
]
