from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    # expert pool (provincial officers)
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/new/", views.expert_edit, name="expert_new"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("experts/import/", views.expert_import, name="expert_import"),
    path(
        "experts/import/template.csv", views.expert_import_template, name="expert_import_template"
    ),
    # panels (provincial officers)
    path("panels/", views.panel_inbox, name="panel_inbox"),
    path("applications/<int:app_pk>/panel/new/", views.panel_new, name="panel_new"),
    path("panels/<int:pk>/", views.panel_detail, name="panel_detail"),
    path(
        "panels/<int:pk>/members/<int:member_pk>/replace/",
        views.panel_replace,
        name="panel_replace",
    ),
    path("panels/<int:pk>/chair/", views.panel_chair, name="panel_chair"),
    path("panels/<int:pk>/draws/<int:draw_pk>/", views.panel_draw, name="panel_draw"),
    path("panels/<int:pk>/result/", views.panel_result, name="panel_result"),
    path("panels/<int:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("panels/<int:pk>/conclude/", views.panel_conclude, name="panel_conclude"),
    path("panels/<int:pk>/opinion.pdf", views.opinion_pdf, name="opinion_pdf"),
    path("visits/files/<int:pk>/", views.visit_file, name="visit_file"),
    # experts
    path("my/", views.my_panels, name="my_panels"),
    path("my/<int:pk>/", views.member_detail, name="member_detail"),
    path("my/<int:pk>/respond/", views.member_respond, name="member_respond"),
    path("my/<int:pk>/declare/", views.member_declare, name="member_declare"),
    path("my/<int:pk>/plan/", views.member_plan, name="member_plan"),
    path("my/<int:pk>/score/", views.member_score, name="member_score"),
    path("my/<int:pk>/peers/", views.member_peers, name="member_peers"),
    path("my/<int:pk>/opinion/", views.member_opinion, name="member_opinion"),
    path(
        "my/<int:pk>/visits/<int:visit_pk>/note/", views.member_visit_note, name="member_visit_note"
    ),
    # applicants answer the panel opinion
    path("improve/<int:app_pk>/", views.improve, name="improve"),
]
