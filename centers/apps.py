from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentersConfig(AppConfig):
    name = "centers"
    verbose_name = _("Meetings, publicity and designation")

    def ready(self):
        # The application state graph's conditions of this step (applications.rules).
        from applications import rules as app_rules

        from . import rules

        app_rules.bind("meeting_approved", rules.meeting_approved)
        app_rules.bind("meeting_rejected", rules.meeting_rejected)
        app_rules.bind("publicity_over_no_open_objection", rules.publicity_over_no_open_objection)
        app_rules.bind("objection_upheld_exists", rules.objection_upheld_exists)

        # My tasks on the home page (accounts.inbox).
        from accounts import inbox

        from . import tasks_inbox

        for provider in tasks_inbox.PROVIDERS:
            inbox.register(provider)
        from . import tasks_inbox_reports

        for provider in tasks_inbox_reports.PROVIDERS:
            inbox.register(provider)
        from . import tasks_inbox_changes

        for provider in tasks_inbox_changes.PROVIDERS:
            inbox.register(provider)

        # the navigation's "My center" is read with the request's first cache entry
        from audit import request_cache

        from .selectors_center import KEEPS_ANY_ENTRY

        request_cache.page_keys(lambda user_id: [inbox.entry_key(KEEPS_ANY_ENTRY, user_id)])

        # public pages are cached; any change of what they show drops them
        from . import public_cache

        public_cache.connect()

        # The officer and reviewer lists with their filters and exports (accounts.listing).
        from accounts import listing

        from . import lists

        listing.register_all(lists.LISTS)

        # The dashboard's charts (accounts.dashboard).
        from accounts import dashboard

        from . import charts

        for provider in charts.PROVIDERS:
            dashboard.register(provider)
