"""Background exports of long lists: one row per requested file, private to its user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def export_path(job, filename: str) -> str:
    return f"exports/{job.user_id}/{job.pk}-{filename}"


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        READY = "ready", _("已生成")
        FAILED = "failed", _("生成失败")

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
        verbose_name = _("导出文件")
        verbose_name_plural = _("导出文件")
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"
