from django.urls import path

from .views import members, opinion, pack, panels, pool, scoring, visits

app_name = "reviews"

urlpatterns = [
    # expert pool (provincial officers)
    path("experts/", pool.expert_list, name="expert_list"),
    path("experts/new/", pool.expert_edit, name="expert_new"),
    path("experts/<int:pk>/edit/", pool.expert_edit, name="expert_edit"),
    path("experts/import/", pool.expert_import, name="expert_import"),
    path("experts/import/template.csv", pool.expert_import_template, name="expert_import_template"),
    # panels (provincial officers)
    path("panels/", panels.panel_inbox, name="panel_inbox"),
    path("applications/<int:app_pk>/panel/new/", panels.panel_new, name="panel_new"),
    path("panels/<int:pk>/", panels.panel_detail, name="panel_detail"),
    path(
        "panels/<int:pk>/members/<int:member_pk>/replace/",
        panels.panel_replace,
        name="panel_replace",
    ),
    path("panels/<int:pk>/chair/", panels.panel_chair, name="panel_chair"),
    path("panels/<int:pk>/draws/<int:draw_pk>/", panels.panel_draw, name="panel_draw"),
    path("panels/<int:pk>/result/", panels.panel_result, name="panel_result"),
    path("panels/<int:pk>/visits/new/", visits.visit_new, name="visit_new"),
    path("panels/<int:pk>/conclude/", opinion.panel_conclude, name="panel_conclude"),
    path("panels/<int:pk>/opinion.pdf", opinion.opinion_pdf, name="opinion_pdf"),
    path("panels/<int:pk>/pack.zip", pack.panel_pack, name="panel_pack"),
    path("visits/files/<int:pk>/", visits.visit_file, name="visit_file"),
    # experts
    path("my/", members.my_panels, name="my_panels"),
    path("my/<int:pk>/", members.member_detail, name="member_detail"),
    path("my/<int:pk>/respond/", members.member_respond, name="member_respond"),
    path("my/<int:pk>/declare/", members.member_declare, name="member_declare"),
    path("my/<int:pk>/plan/", members.member_plan, name="member_plan"),
    path("my/<int:pk>/pack.zip", pack.member_pack, name="member_pack"),
    path("my/<int:pk>/score/", scoring.member_score, name="member_score"),
    path("my/<int:pk>/peers/", members.member_peers, name="member_peers"),
    path("my/<int:pk>/opinion/", opinion.member_opinion, name="member_opinion"),
    path(
        "my/<int:pk>/visits/<int:visit_pk>/note/",
        visits.member_visit_note,
        name="member_visit_note",
    ),
    # applicants answer the panel opinion
    path("improve/<int:app_pk>/", opinion.improve, name="improve"),
]
