from django.urls import path

from . import review_views

# Included under /applications/review/ with app_name "applications".
urlpatterns = [
    path("", review_views.inbox, name="review_inbox"),
    path("<int:pk>/", review_views.detail, name="review_detail"),
    path("recheck/", review_views.bulk_recheck, name="bulk_recheck"),
]
