"""Atom feeds (Django's syndication framework) of the public notices.

- ``PublicityFeed``: the publicity notices (公示) whose period has begun, newest first.
- ``ResultsFeed``: the results notices (结果公告). Its entries come from ``RESULT_SOURCES``:
  functions returning ``FeedEntry`` rows of public data. The designations (认定结果) are the
  first; another kind of result joins with one line in its app's ``AppConfig.ready``::

      feeds.RESULT_SOURCES.append(evaluation_results)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from documents.formatting import cn_date

from . import selectors
from .models import Center

LIMIT = 50


@dataclass(frozen=True)
class FeedEntry:
    title: str
    link: str  # a path on this site
    updated: dt.datetime
    description: str
    unique_id: str  # stable across renders: "<kind>:<pk>"


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def designation_results() -> Iterable[FeedEntry]:
    """认定结果: every designated center, from the public registry's data."""
    centers = Center.objects.select_related("lead_organization").order_by("-designated_on", "-pk")
    for center in centers[:LIMIT]:
        yield FeedEntry(
            title=f"{settings.ST_DEPARTMENT_NAME}认定{center.name}",
            link=reverse("centers:registry_detail", kwargs={"number": center.number}),
            updated=_start_of(center.designated_on),
            description=(
                f"{cn_date(center.designated_on)}，{center.name}（中心编号{center.number}，"
                f"牵头单位{center.lead_organization.public_name}）经公示无异议，认定为山西省技术创新中心。"
            ),
            unique_id=f"designation:{center.pk}",
        )


RESULT_SOURCES: list[Callable[[], Iterable[FeedEntry]]] = [designation_results]


class _AtomFeed(Feed):
    feed_type = Atom1Feed
    author_name = settings.ST_DEPARTMENT_NAME

    def item_title(self, item: FeedEntry) -> str:
        return item.title

    def item_description(self, item: FeedEntry) -> str:
        return item.description

    def item_link(self, item: FeedEntry) -> str:
        return item.link

    def item_updateddate(self, item: FeedEntry) -> dt.datetime:
        return item.updated

    def item_pubdate(self, item: FeedEntry) -> dt.datetime:
        return item.updated

    def item_guid(self, item: FeedEntry) -> str:
        return f"{settings.SITE_URL.rstrip('/')}/feeds/{item.unique_id}"

    item_guid_is_permalink = False


class PublicityFeed(_AtomFeed):
    title = "山西省技术创新中心公示"
    subtitle = "山西省科学技术厅发布的山西省技术创新中心拟认定名单公示"

    def link(self):
        return reverse("centers:public_index")

    def items(self) -> list[FeedEntry]:
        notices = selectors.published_notices()[:LIMIT]
        return [
            FeedEntry(
                title=notice.title,
                link=reverse("centers:public_notice", kwargs={"pk": notice.pk}),
                updated=_start_of(notice.start_date),
                description=(
                    f"公示期：{cn_date(notice.start_date)}至{cn_date(notice.end_date)}。"
                    f"公示名单：{'、'.join(item.center_name for item in notice.items.all())}。"
                ),
                unique_id=f"publicity:{notice.pk}",
            )
            for notice in notices
        ]


class ResultsFeed(_AtomFeed):
    title = "山西省技术创新中心结果公告"
    subtitle = "山西省科学技术厅发布的山西省技术创新中心认定等结果"

    def link(self):
        return reverse("centers:registry")

    def items(self) -> list[FeedEntry]:
        entries = [entry for source in RESULT_SOURCES for entry in source()]
        entries.sort(key=lambda e: (e.updated, e.unique_id), reverse=True)
        return entries[:LIMIT]
