"""The public verification pages of issued documents (mounted at /verify/)."""

from django.urls import path

from . import views_verify

app_name = "verify"

urlpatterns = [
    path("", views_verify.index, name="index"),
    path("<str:code>/", views_verify.document, name="document"),
]
