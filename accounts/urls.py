from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import auth_views as throttled_views
from . import exports, forms, two_factor, views
from .registration import changes

urlpatterns = [
    path("register/", include("accounts.registration_urls")),
    path("exports/<int:pk>/", exports.export_download, name="export_download"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=forms.LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", two_factor.account, name="two_factor_settings"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/enrol/", two_factor.enrol, name="two_factor_enrol"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(form_class=forms.PasswordChangeForm),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        throttled_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", changes.organization_edit, name="organization_edit"),
]
