from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"

    def ready(self):
        # The eligibility rules read the models, so the models cannot import them: the
        # transition condition ``rules.eligible`` gets its implementation here.
        from . import eligibility, rules

        rules.bind("eligible", eligibility.is_eligible)
