from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signin/", views.SignInView.as_view(), name="signin"),
    path("signout/", views.SignOutView.as_view(), name="signout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password-reset-done",
    ),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password-reset-complete",
    ),
    path("verify/resend/", views.verify_email_resend, name="verify-email-resend"),
    path("verify/<str:token>/", views.verify_email, name="verify-email"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("invite/", views.invite, name="invite"),
    path("represent/", views.represent, name="represent"),
    path("data/", views.account_data, name="data"),
    path("data/redress-data.json", views.account_data_download, name="data-download"),
    path("data/delete/", views.account_data_delete, name="data-delete"),
]
