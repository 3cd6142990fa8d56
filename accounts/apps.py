from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organizations")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from audit.signals import recorded

        from . import inbox, inbox_topics, listing, lists, tasks_inbox
        from .access import on_organization_saved
        from .roles import sync_role_permissions
        from .sessions import note_activity_at_login
        from .two_factor_gate import remember_at_login

        for provider in tasks_inbox.PROVIDERS:
            inbox.register(provider)
        listing.register_all(lists.LISTS)

        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")
        # what changed moves My tasks' generations on (accounts.inbox_topics)
        recorded.connect(inbox_topics.on_recorded, dispatch_uid="accounts.inbox_recorded")
        post_save.connect(inbox_topics.on_row_changed, dispatch_uid="accounts.inbox_saved")
        post_delete.connect(inbox_topics.on_row_changed, dispatch_uid="accounts.inbox_deleted")
        post_save.connect(
            on_organization_saved,
            sender="accounts.Organization",
            dispatch_uid="accounts.organization_access",
        )
        user_logged_in.connect(remember_at_login, dispatch_uid="accounts.two_factor_at_login")
        user_logged_in.connect(note_activity_at_login, dispatch_uid="accounts.activity_at_login")
