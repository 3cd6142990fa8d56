"""Task providers of accounts: organization registrations waiting for verification."""

from __future__ import annotations

from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from .inbox import Task, local_date, rows_provider
from .inbox_topics import topic
from .models import Organization
from .models_exports import ExportJob


@rows_provider("state_entered_at", reads=[topic(Organization, Organization.Status.PENDING)])
def registrations_to_verify(user):
    """The pending organizations the verification list shows this user (its department's)."""
    from .lists import pending_for

    orgs = pending_for(user).filter(status=Organization.Status.PENDING)

    def task(org) -> Task:
        return Task(
            kind=_("Registration to verify"),
            title=org.name,
            url=reverse("registration_pending_detail", args=[org.pk]),
            since=local_date(org.state_entered_at),
        )

    return orgs, task


@rows_provider("ready_since", reads=[topic(ExportJob)])
def exports_ready(user):
    """The user's own background exports that are ready and not downloaded yet."""
    jobs = ExportJob.objects.filter(
        user=user, status=ExportJob.Status.READY, downloaded_at__isnull=True
    ).annotate(ready_since=Coalesce("finished_at", "created_at"))

    def task(job) -> Task:
        return Task(
            kind=_("Export ready to download"),
            title=_("%(title)s (%(rows)s rows, %(fmt)s)")
            % {"title": job.title, "rows": job.rows, "fmt": job.fmt.upper()},
            url=reverse("export_download", args=[job.pk]),
            since=local_date(job.ready_since),
        )

    return jobs.defer("params"), task


PROVIDERS = [registrations_to_verify, exports_ready]
