"""Mounted at /accounts/register/ (not namespaced: templates use {% url 'register' %})."""

from django.urls import path

from .registration import invitations, signup, verification

urlpatterns = [
    path("", signup.register, name="register"),
    path("pending/", verification.pending_list, name="registration_pending"),
    path("pending/<int:pk>/", verification.pending_detail, name="registration_pending_detail"),
    path("pending/<int:pk>/licence/", verification.licence_download, name="registration_licence"),
    path("invite/", invitations.invite, name="registration_invite"),
    path(
        "invite/<uidb64>/<token>/",
        invitations.accept_invitation,
        name="registration_accept_invitation",
    ),
]
