"""The number sequences of the system: one row per (kind, year), locked while a number is taken.

Kinds: ``application`` (SQ2026-0001), ``center`` (SXTIC-2026-001) and
``document:<prefix>`` per document series (晋科发〔2026〕1号 is ``document:晋科发``).
The apps that own a number format it; this app only counts (``numbering.services.take``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

APPLICATION = "application"
CENTER = "center"
DOCUMENT = "document"


def document_kind(prefix: str) -> str:
    """The sequence kind of a document series: ``document:晋科发``."""
    return f"{DOCUMENT}:{prefix}"


class Sequence(models.Model):
    """The last number used of one kind in one year.

    An administrator may raise ``last`` (never lower it) when numbers of the series were
    issued outside this system (``numbering.services.raise_to``).
    """

    kind = models.CharField(_("kind"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number used"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        ordering = ["kind", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="numbering_sequence_kind_year")
        ]

    def __str__(self):
        return f"{self.label}：{self.last}"

    @property
    def label(self) -> str:
        """申报编号 SQ2026 / 中心编号 SXTIC-2026 / 晋科发〔2026〕."""
        if self.kind == APPLICATION:
            return f"申报编号 SQ{self.year}"
        if self.kind == CENTER:
            return f"中心编号 SXTIC-{self.year}"
        if self.kind.startswith(f"{DOCUMENT}:"):
            return f"{self.kind.split(':', 1)[1]}〔{self.year}〕"
        return f"{self.kind} {self.year}"
