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

        # My tasks on the home page (accounts.inbox).
        from accounts import inbox

        from . import tasks_inbox

        for provider in tasks_inbox.PROVIDERS:
            inbox.register(provider)

        # The officer lists with their filters and exports (accounts.listing).
        from accounts import listing

        from . import lists

        listing.register_all(lists.LISTS)

        # The dashboard's charts (accounts.dashboard).
        from accounts import dashboard

        from . import charts

        for provider in charts.PROVIDERS:
            dashboard.register(provider)
