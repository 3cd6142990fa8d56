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
