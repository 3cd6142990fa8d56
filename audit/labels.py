"""English labels of audit actions, for the timelines of English pages.

Services store a Chinese ``data["label"]`` with each event (the record, as written; some name
a year or a document). Chinese pages show that label; English pages show the label of the
action from this table, and the stored label only for an action it does not name (the
language test then finds it). The Chinese catalog translates these labels back to the stored
wording.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # applications (the plan's lifecycle; transitions of applications.models)
    "application.create": _("Plan created"),
    "application.submit": _("Plan submitted"),
    "application.resubmit": _("Plan resubmitted"),
    "application.approve": _("Approved by the organizing department"),
    "application.return_plan": _("Returned for changes"),
    "application.reject": _("Not approved"),
    "application.pass_recheck": _("Passed the provincial re-check"),
    "application.conclude_pass": _("Passed the expert review"),
    "application.conclude_fail": _("Failed the expert review"),
    "application.submit_improved": _("Improved plan submitted"),
    "application.start_publicity": _("Publicity started"),
    "application.meeting_reject": _("Not approved by the office meeting"),
    "application.designate": _("Designated"),
    "application.objection_upheld": _("Objection upheld, not designated"),
    "application.withdraw": _("Application withdrawn"),
    "application.attachment_add": _("Attachment uploaded"),
    "application.attachment_remove": _("Attachment removed"),
    "application.department_follow": _("Organizing department follows the registered city"),
    # expert review
    "reviews.panel.formed": _("Expert panel formed (random draw)"),
    "reviews.panel.chair": _("Panel chair appointed"),
    "reviews.panel.opinion": _("Panel chair signed the panel opinion"),
    "reviews.member.accepted": _("Expert accepted the invitation"),
    "reviews.member.declined": _("Expert declined the invitation"),
    "reviews.member.conflict": _("Expert declared a conflict of interest"),
    "reviews.member.no_conflict": _("Expert declared no conflict of interest"),
    "reviews.member.replaced": _("Expert replaced"),
    "reviews.score.submitted": _("Expert submitted scores"),
    "reviews.visit.inspection": _("Site inspection recorded"),
    "reviews.visit.defense": _("Defense recorded"),
    "reviews.visit.note": _("Expert wrote an opinion on the visit"),
    "reviews.improvement.draft": _("Response to the panel opinion saved (draft)"),
    "reviews.expert.created": _("Expert entered"),
    # office meetings, publicity, objections, designation
    "centers.meeting_created": _("Office meeting created"),
    "centers.meeting_item_added": _("Put on the office meeting's agenda"),
    "centers.meeting_item_removed": _("Taken off the office meeting's agenda"),
    "centers.meeting_minutes": _("Meeting minutes uploaded"),
    "centers.meeting_closed": _("Meeting closed and decisions carried out"),
    "centers.meeting_approve": _("Approved by the office meeting"),
    "centers.meeting_defer": _("Deferred by the office meeting"),
    "centers.meeting_reject": _("Not approved by the office meeting"),
    "centers.publicity_published": _("Publicity notice published"),
    "centers.objection_received": _("Objection received"),
    "centers.objection_note": _("Investigation recorded"),
    "centers.objection_upheld": _("Objection upheld"),
    "centers.objection_moot": _("Plan not designated, objection closed"),
    "centers.center_designated": _("Designated a provincial technology innovation center"),
    # designated centers: profile, annual reports, change requests (Art. 15)
    "centers.profile_updated": _("Center profile updated"),
    "centers.report_created": _("Annual report started"),
    "centers.report_saved": _("Annual report saved"),
    "centers.report_submitted": _("Annual report submitted"),
    "centers.report_accepted": _("Annual report accepted"),
    "centers.report_returned": _("Annual report returned for changes"),
    "centers.change.created": _("Change request drafted"),
    "centers.change.updated": _("Change request edited"),
    "centers.change.submit": _("Change request submitted"),
    "centers.change.resubmit": _("Change request resubmitted"),
    "centers.change.dept_approve": _("Approved by the organizing department, sent to the province"),
    "centers.change.dept_return": _("Returned for changes by the organizing department"),
    "centers.change.dept_reject": _("Refused by the organizing department"),
    "centers.change.approve": _("Change approved by the province"),
    "centers.change.reject": _("Change refused by the province"),
    "centers.change.applied": _("Change approved and in force (Art. 15)"),
    # documents, organizations, calendar
    "documents.designation_notice.issued": _("Designation notice issued"),
    "organization.register": _("Organization registered"),
    "organization.verify": _("Organization verification decided"),
    "organization.invite": _("Colleague invited"),
    "organization.update": _("Organization data changed"),
    "organization.edit": _("Organization data changed"),
    "accounts.organization.admin_change": _("Organization data changed by the administrator"),
    "workdays.year_create": _("Working-day calendar of a year created"),
    "workdays.year_change": _("Working-day calendar note changed"),
    "workdays.year_complete": _("Working-day calendar marked complete"),
    "workdays.year_incomplete": _("Working-day calendar no longer complete"),
    "workdays.day_add": _("Calendar day entered"),
    "workdays.day_change": _("Calendar day changed"),
    "workdays.day_delete": _("Calendar day deleted"),
    "workdays.import": _("Working-day calendar imported"),
    "workdays.demo_year": _("Demo working-day calendar entered"),
}


def action_label(action: str, stored: str = "") -> str:
    """The label of an event in the active language: the stored (Chinese) label on Chinese
    pages, the table's label on English pages."""
    chinese = (translation.get_language() or "zh-hans").lower().startswith("zh")
    if chinese and stored:
        return stored
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else stored
