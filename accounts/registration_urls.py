"""Mounted at /accounts/register/ (not namespaced: templates use {% url 'register' %})."""

from django.urls import path

from . import registration

urlpatterns = [
    path("", registration.register, name="register"),
    path("pending/", registration.pending_list, name="registration_pending"),
    path("pending/<int:pk>/", registration.pending_detail, name="registration_pending_detail"),
    path("pending/<int:pk>/licence/", registration.licence_download, name="registration_licence"),
    path("invite/", registration.invite, name="registration_invite"),
    path(
        "invite/<uidb64>/<token>/",
        registration.accept_invitation,
        name="registration_accept_invitation",
    ),
]
