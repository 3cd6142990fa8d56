from django.urls import include, path

app_name = "applications"

# applicant_urls: the plan forms, versions, attachments and the applicant home (plan forms area);
# review_urls: department review and provincial re-check inboxes and decisions (review area).
urlpatterns = [
    path("", include("applications.applicant_urls")),
    path("review/", include("applications.review_urls")),
]
