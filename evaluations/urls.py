from django.urls import path

from . import views, views_office, views_public, views_work

app_name = "evaluations"

urlpatterns = [
    # public results notices
    path("results/", views_public.results_index, name="results"),
    path("results/<int:year>/", views_public.results_round, name="results_round"),
    # every party: the list and the evaluation page
    path("", views.evaluation_list, name="list"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/files/<int:file_pk>/", views.evaluation_file, name="file"),
    path("<int:pk>/report/", views.report_file, name="report_file"),
    # the province
    path("center/<int:center_pk>/open/", views_office.open_evaluation, name="open"),
    path("commission/", views_office.commission, name="commission"),
    path("<int:pk>/credit/", views_office.credit_check, name="credit"),
    path("<int:pk>/decide/", views_office.decide, name="decide"),
    path(
        "<int:pk>/revoke-non-submission/",
        views_office.revoke_non_submission,
        name="revoke_non_submission",
    ),
    path("<int:pk>/follow-up/", views_office.follow_up, name="follow_up"),
    path("overdue/", views_office.overdue, name="overdue"),
    path("priority/", views_office.priority, name="priority"),
    # the commissioned institution
    path("assigned/", views_work.assigned, name="assigned"),
    path("<int:pk>/score/", views_work.score, name="score"),
    path("<int:pk>/hearing/", views_work.hearing, name="hearing"),
    # the center
    path("<int:pk>/self-report/", views_work.self_report, name="self_report"),
    path("<int:pk>/rectification/", views_work.rectification_report, name="rectification"),
]
