"""Who may read which audit event, and under which name the actor appears.

Every kind of event (``AuditEvent.action``) declares its audience here, in one table.
Provincial officers, department reviewers and administrators read the whole log of an
object they may open. Everyone else — above all the applicant — reads the *applicant
timeline*: only the kinds declared visible to the applicant, with experts shown as 专家组
and the acts of the panel's organisers as 省科技厅 — never an expert's name. The expert review is confidential (DESIGN §2.2): the applicant sees the
step and the panel opinion, never who sits on the panel, who accepted or who scored.

Matching is by exact action, then by the longest ``prefix.*`` pattern; an action that no
rule names is internal (hidden from the applicant) — a new kind of event stays private
until somebody decides otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Role codes of accounts.roles (audit is the lowest layer and does not import accounts;
# the user model answers ``has_role``).
PROVINCIAL_OFFICER = "provincial_officer"
DEPARTMENT_REVIEWER = "department_reviewer"
ADMINISTRATOR = "administrator"
EXPERT = "expert"

# Actor shown to the applicant.
AS_ROLE = "role"  # the actor by name, or 专家组 if the actor is an expert
PROVINCE = _("Provincial Department of S&T")
PANEL = _("Expert panel")
SYSTEM = _("System")

FULL_LOG_ROLES = frozenset({PROVINCIAL_OFFICER, DEPARTMENT_REVIEWER, ADMINISTRATOR})


@dataclass(frozen=True)
class Kind:
    """How the applicant sees one kind of event."""

    applicant: bool = False
    actor_as: str = AS_ROLE  # AS_ROLE or a fixed name such as PANEL (lazily translated)
    label: str = ""  # the label the applicant reads instead of the recorded one (lazy)
    show_reason: bool = True


HIDDEN = Kind()

KINDS: dict[str, Kind] = {
    # the plan's own lifecycle: every transition, creation, attachments
    "application.*": Kind(applicant=True),
    # expert review: the applicant sees that a site inspection or a defense took place and
    # that the panel signed its opinion; acceptances, declarations, replacements, the chair,
    # scores and experts' notes stay internal.
    "reviews.*": HIDDEN,
    "reviews.visit.inspection": Kind(applicant=True, actor_as=PROVINCE),
    "reviews.visit.defense": Kind(applicant=True, actor_as=PROVINCE),
    "reviews.panel.opinion": Kind(applicant=True, actor_as=PANEL, label=_("Panel opinion formed")),
    "reviews.improvement.draft": Kind(applicant=True),
    # the office meeting's decisions on the plan
    "centers.meeting_item_added": Kind(applicant=True, actor_as=PROVINCE),
    "centers.meeting_item_removed": Kind(applicant=True, actor_as=PROVINCE),
    "centers.meeting_approve": Kind(applicant=True, actor_as=PROVINCE),
    "centers.meeting_defer": Kind(applicant=True, actor_as=PROVINCE),
    "centers.meeting_reject": Kind(applicant=True, actor_as=PROVINCE),
    "centers.center_designated": Kind(applicant=True, actor_as=PROVINCE),
    # the center's own change requests (Art. 15): every step, and the change applied
    "centers.change.*": Kind(applicant=True),
    # documents issued to the organization
    "documents.*": Kind(applicant=True, actor_as=PROVINCE),
    "documents.sequence.raised": HIDDEN,
    # the organization's own registration
    "organization.*": Kind(applicant=True),
    "accounts.organization.admin_change": Kind(applicant=True, show_reason=False),
}


def kind_of(action: str) -> Kind:
    if action in KINDS:
        return KINDS[action]
    parts = action.split(".")
    for n in range(len(parts) - 1, 0, -1):
        rule = KINDS.get(".".join(parts[:n]) + ".*")
        if rule is not None:
            return rule
    return HIDDEN


def reads_full_log(viewer) -> bool:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return any(_has_role(viewer, role) for role in FULL_LOG_ROLES)


def _has_role(user, role: str) -> bool:
    has_role = getattr(user, "has_role", None)
    return bool(has_role(role)) if has_role is not None else False


def actor_for_applicant(event, kind: Kind, viewer) -> str:
    """The actor as the applicant may read it: never an expert's name.

    Kinds that speak for a body (``actor_as``) show the body; an expert always appears as
    专家组; officials and the applicant's colleagues act in their own name, as on paper.
    """
    if kind.actor_as != AS_ROLE:
        return str(kind.actor_as)
    actor = event.actor
    if actor is None:
        return str(SYSTEM)
    if _has_role(actor, EXPERT):
        return str(PANEL)
    return str(actor)
