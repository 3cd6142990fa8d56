from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from accounts import views as account_views
from accounts import views_dashboard

from . import health

handler403 = "accounts.views.error_403"
handler404 = "accounts.views.error_404"
handler500 = "accounts.views.error_500"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("tasks/", account_views.my_tasks, name="my_tasks"),
    path("healthz", health.healthz, name="healthz"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard/<slug:key>.csv", views_dashboard.dashboard_csv, name="dashboard_csv"),
    # Browsers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("favicon.ico"))),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("applications/", include("applications.urls")),
    path("reviews/", include("reviews.urls")),
    path("centers/", include("centers.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("notifications/", include("notifications.urls")),
    path("documents/", include("documents.urls")),
    path("verify/", include("centers.urls_verify")),
    path("workdays/", include("workdays.urls")),
]
