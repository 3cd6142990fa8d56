from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Messages")

    def ready(self):
        # the unread count is read with the request's first cache entry (audit.request_cache)
        from . import selectors  # noqa: F401 - registers its page key
