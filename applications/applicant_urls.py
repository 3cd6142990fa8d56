from django.urls import path

from . import views, views_book

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/<slug:code>/", views.section_edit, name="section"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_id>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/versions/<int:number>/book.pdf", views_book.version_pdf, name="version_pdf"),
    path("<int:pk>/draft.pdf", views_book.draft_pdf, name="draft_pdf"),
    path("<int:pk>/compare/", views.compare, name="compare"),
]
