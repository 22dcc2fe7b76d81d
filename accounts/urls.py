from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup-sent"),
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
    path("invitations/<int:invitation_id>/revoke/", views.invitation_revoke_view, name="invitation-revoke"),
    path("tokens/", views.api_tokens, name="tokens"),
    path("tokens/revoke-all/", views.api_tokens_revoke_all, name="tokens-revoke-all"),
    path("tokens/<str:token_id>/revoke/", views.api_token_revoke_view, name="token-revoke"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password-change-done",
    ),
    path("represent/", views.represent, name="represent"),
    path("mfa/", views.mfa_manage, name="mfa"),
    path("mfa/setup/", views.mfa_setup, name="mfa-setup"),
    path("mfa/verify/", views.mfa_verify_page, name="mfa-verify"),
    path("mfa/recovery-codes/", views.mfa_recovery_codes, name="mfa-recovery-codes"),
    path("mfa/remove/", views.mfa_remove_page, name="mfa-remove"),
    path("time-zone/", views.time_zone, name="time-zone"),
    path("data/", views.account_data, name="data"),
    path("data/redress-data.json", views.account_data_download, name="data-download"),
    path("data/delete/", views.account_data_delete, name="data-delete"),
]
