"""Conditions and permissions of the application state graph.

django-fsm calls ``condition(instance)`` and ``permission(instance, user)``.
Each condition carries a Chinese ``message`` that the service shows when it
fails.

This module sits *below* ``applications.models`` (the model's transitions
reference these callables), so it imports nothing of this app or of the apps
above it. A condition that reads models is implemented where it belongs and
bound at start-up with ``bind()`` from that app's ``AppConfig.ready``:
eligibility by ``applications`` (``rules <- models <- versions <- eligibility``),
the expert review by ``reviews`` (``reviews.rules``), the office meeting,
publicity and objections by ``centers`` (``centers.rules``). The imports point
one way: the upper app imports this module, never the reverse.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from accounts.roles import APPLICANT, PROVINCIAL_OFFICER


def condition(message):
    def decorate(func):
        func.message = message
        return func

    return decorate


_BOUND: dict = {}


def bind(name: str, func) -> None:
    """Give the condition ``name`` its implementation (called from an ``AppConfig.ready``)."""
    _BOUND[name] = func


def _bound(name):
    """A condition implemented by a module above the models, bound with ``bind()``."""

    def check(instance):
        func = _BOUND.get(name)
        if func is None:
            raise ImproperlyConfigured(f"applications.rules.{name} has no implementation bound.")
        return bool(func(instance))

    check.__name__ = name
    return check


# --- conditions -----------------------------------------------------------


eligible = condition(
    _("The application does not meet the conditions yet; correct it as shown and submit again.")
)(_bound("eligible"))


@condition(_("Fill in the review opinion or the reasons."))
def has_opinion(instance) -> bool:
    return bool((getattr(instance, "_decision_reason", "") or "").strip())


panel_can_pass = condition(
    _("Not every expert has submitted scores, or the panel opinion is not written yet.")
)(_bound("panel_can_pass"))
panel_opinion_written = condition(_("The panel opinion is not written yet."))(
    _bound("panel_opinion_written")
)
opinion_points_answered = condition(_("Answer each point of the panel opinion before submitting."))(
    _bound("opinion_points_answered")
)
meeting_approved = condition(_("The application is not approved by a closed office meeting yet."))(
    _bound("meeting_approved")
)
meeting_rejected = condition(_("The office meeting did not decide not to approve."))(
    _bound("meeting_rejected")
)
publicity_over_no_open_objection = condition(
    _("The publicity period has not ended or an objection is still open.")
)(_bound("publicity_over_no_open_objection"))
objection_upheld_exists = condition(_("No objection is upheld."))(_bound("objection_upheld_exists"))


# --- permissions ----------------------------------------------------------


def is_applicant(instance, user) -> bool:
    return user.has_role(APPLICANT) and user.has_perm("applications.change_application", instance)


def is_reviewer(instance, user) -> bool:
    """Department reviewer for plans routed to their department."""
    return user.has_perm("applications.review_application", instance)


def is_officer(instance, user) -> bool:
    return user.has_role(PROVINCIAL_OFFICER)


def is_reviewer_or_officer(instance, user) -> bool:
    if instance.status == "dept_review":
        return is_reviewer(instance, user)
    return is_officer(instance, user)
