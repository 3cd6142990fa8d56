from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Expert review")

    def ready(self):
        # The application state graph's conditions of this step (applications.rules).
        from applications import rules as app_rules

        from . import rules

        app_rules.bind("panel_can_pass", rules.panel_can_pass)
        app_rules.bind("panel_opinion_written", rules.panel_opinion_written)
        app_rules.bind("opinion_points_answered", rules.opinion_points_answered)
