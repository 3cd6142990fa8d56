"""Conditions of the expert-review steps of the application state graph.

``applications.rules`` delegates ``conclude_pass``, ``conclude_fail`` and
``submit_improved`` here; each function takes the application and returns a bool.
"""

from .models import OpinionPoint, Panel, PanelMember


def panel_of(app) -> Panel | None:
    return Panel.objects.filter(application_id=app.pk).first()


def scores_complete(panel: Panel) -> bool:
    """Every seat is taken by an accepted expert who has submitted the score sheet."""
    active = PanelMember.objects.filter(panel=panel, status__in=PanelMember.ACTIVE).count()
    submitted = PanelMember.objects.filter(
        panel=panel, status=PanelMember.Status.ACCEPTED, sheet__submitted_at__isnull=False
    ).count()
    return active == submitted == panel.size


def panel_opinion_written(app) -> bool:
    panel = panel_of(app)
    return bool(panel and panel.opinion_written)


def panel_can_pass(app) -> bool:
    panel = panel_of(app)
    return bool(panel and panel.opinion_written and scores_complete(panel))


def opinion_points_answered(app) -> bool:
    panel = panel_of(app)
    if panel is None or not panel.opinion_written:
        return False
    points = OpinionPoint.objects.filter(panel=panel)
    return points.exists() and not points.filter(answer="").exists()
