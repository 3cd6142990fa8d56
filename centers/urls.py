from django.urls import path

from . import (
    feeds,
    views_center,
    views_changes,
    views_meeting,
    views_public,
    views_publicity,
    views_registry,
    views_reports,
)

app_name = "centers"

urlpatterns = [
    # public pages (no login)
    path("public/", views_public.notice_index, name="public_index"),
    path("public/archive/", views_public.notice_archive, name="public_archive"),
    path("public/feed.atom", feeds.PublicityFeed(), name="publicity_feed"),
    path("results/feed.atom", feeds.ResultsFeed(), name="results_feed"),
    path("public/notices/<int:pk>/", views_public.notice_detail, name="public_notice"),
    path("public/notices/<int:pk>/pdf/", views_public.notice_pdf, name="public_notice_pdf"),
    path("public/notices/<int:pk>/object/", views_public.objection_create, name="objection_create"),
    path("public/objections/receipt/", views_public.objection_receipt, name="objection_receipt"),
    path("public/objections/status/", views_public.objection_status, name="objection_status"),
    path("registry/", views_registry.registry_list, name="registry"),
    path("registry/export.csv", views_registry.registry_csv, name="registry_csv"),
    path("registry/export.json", views_registry.registry_json, name="registry_json"),
    path("registry/<str:number>/", views_registry.registry_detail, name="registry_detail"),
    # designated centers: My center, profile, annual reports (views_center, views_reports)
    path("mine/", views_center.my_centers, name="my_centers"),
    path("list/", views_center.center_list, name="center_list"),
    path("center/<int:pk>/", views_center.center_detail, name="center_detail"),
    path("center/<int:pk>/profile/", views_center.profile_edit, name="profile_edit"),
    path("center/<int:pk>/reports/new/", views_reports.report_create, name="report_create"),
    path("reports/<int:pk>/", views_reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views_reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/decide/", views_reports.report_decide, name="report_decide"),
    path(
        "reports/<int:pk>/files/<int:file_pk>/",
        views_reports.report_file,
        name="report_file",
    ),
    path("reports/overdue/", views_reports.overdue_list, name="report_overdue"),
    # provincial officers
    path("office/meetings/", views_meeting.meeting_list, name="meeting_list"),
    path("office/meetings/<int:pk>/", views_meeting.meeting_detail, name="meeting_detail"),
    path(
        "office/meetings/<int:pk>/agenda/",
        views_meeting.meeting_add_items,
        name="meeting_add_items",
    ),
    path(
        "office/meetings/<int:pk>/minutes/",
        views_meeting.meeting_minutes_upload,
        name="meeting_minutes",
    ),
    path(
        "office/meetings/<int:pk>/minutes/download/",
        views_meeting.meeting_minutes_download,
        name="meeting_minutes_download",
    ),
    path("office/meetings/<int:pk>/close/", views_meeting.meeting_close, name="meeting_close"),
    path(
        "office/agenda-items/<int:item_pk>/decide/",
        views_meeting.meeting_decide,
        name="meeting_decide",
    ),
    path(
        "office/agenda-items/<int:item_pk>/remove/",
        views_meeting.meeting_remove_item,
        name="meeting_remove_item",
    ),
    path("office/publicity/", views_publicity.notice_list, name="notice_list"),
    path("office/publicity/new/", views_publicity.notice_publish, name="notice_publish"),
    path("office/publicity/<int:pk>/", views_publicity.notice_manage, name="notice_manage"),
    path(
        "office/publicity/items/<int:item_pk>/designate/",
        views_publicity.designate,
        name="designate",
    ),
    path("office/objections/", views_publicity.objection_list, name="objection_list"),
    path("office/objections/<int:pk>/", views_publicity.objection_detail, name="objection_detail"),
    path("office/objections/<int:pk>/note/", views_publicity.objection_note, name="objection_note"),
    path(
        "office/objections/<int:pk>/resolve/",
        views_publicity.objection_resolve,
        name="objection_resolve",
    ),
    path(
        "office/objections/<int:pk>/statement/",
        views_publicity.objection_statement,
        name="objection_statement",
    ),
    path(
        "office/objections/<int:pk>/evidence/<int:file_pk>/",
        views_publicity.objection_evidence,
        name="objection_evidence",
    ),
    # change requests (Art. 15): the center's staff, its department, the province
    path("changes/", views_changes.change_list, name="change_list"),
    path("changes/<int:pk>/", views_changes.change_detail, name="change_detail"),
    path("changes/<int:pk>/edit/", views_changes.change_edit, name="change_edit"),
    path("changes/<int:pk>/submit/", views_changes.change_submit, name="change_submit"),
    path("changes/<int:pk>/decide/", views_changes.change_decide, name="change_decide"),
    path(
        "changes/<int:pk>/files/<int:file_pk>/",
        views_changes.change_attachment,
        name="change_attachment",
    ),
    path(
        "changes/<int:pk>/document/",
        views_changes.change_issue_document,
        name="change_issue_document",
    ),
    path("center/<int:center_pk>/changes/", views_changes.center_changes, name="center_changes"),
    path("center/<int:center_pk>/changes/new/", views_changes.change_create, name="change_create"),
]
