from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations of centers")

    def ready(self):
        # My tasks on the home page (accounts.inbox) and the history on the center page.
        from accounts import inbox
        from centers import sections

        from . import center_section, tasks_inbox

        for provider in tasks_inbox.PROVIDERS:
            inbox.register(provider)
        # The dashboard's charts (accounts.dashboard): grades, outcomes, steps, overdue rows.
        from accounts import dashboard

        from . import charts

        for provider in charts.PROVIDERS:
            dashboard.register(provider)
        sections.register(center_section.history_section)
