from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications and plans")

    def ready(self):
        # The eligibility rules read the models, so the models cannot import them: the
        # transition condition ``rules.eligible`` gets its implementation here.
        from . import eligibility, rules

        rules.bind("eligible", eligibility.is_eligible)

        # The department a plan is routed to reads the lead organization's page.
        from accounts import access

        from .permissions import organizations_routed_to

        access.add_reader(organizations_routed_to)

        # My tasks on the home page (accounts.inbox).
        from accounts import inbox

        from . import tasks_inbox

        for provider in tasks_inbox.PROVIDERS:
            inbox.register(provider)

        # The review side's lists with their filters and exports (accounts.listing).
        from accounts import listing

        from . import lists

        listing.register_all(lists.LISTS)

        # The dashboard's charts (accounts.dashboard).
        from accounts import dashboard

        from . import charts

        for provider in charts.PROVIDERS:
            dashboard.register(provider)
