"""Background exports of long lists: one row per requested file, private to its user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def export_path(job, filename: str) -> str:
    return f"exports/{job.user_id}/{job.pk}-{filename}"


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("export status", "queued")
        READY = "ready", pgettext_lazy("export status", "ready")
        FAILED = "failed", pgettext_lazy("export status", "failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    list_name = models.CharField(max_length=60)
    title = models.CharField(max_length=100)
    params = models.TextField(blank=True)  # the list's query string at the request
    fmt = models.CharField(max_length=4)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=export_path, blank=True, max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"
