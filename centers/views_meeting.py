"""Office meetings (厅会议): agenda, staged decisions, minutes, close (provincial officers)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import bulk
from accounts.feedback import flash_errors
from accounts.inbox import per_user
from accounts.list_views import list_page
from applications.models import Application
from applications.services import TransitionError
from centers.services.common import CentersError

from . import lists, selectors
from .forms import AgendaForm, DecisionForm, MeetingForm, MinutesForm
from .models import Meeting, MeetingItem
from .services import meetings
from .views_common import officer_required, private_file_response

# a page of meetings (about a year and a half of them at the usual pace)
PAGE_SIZE = 20


@officer_required
def meeting_list(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.meeting_create(actor=request.user, **form.cleaned_data)
        except CentersError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, f"已创建会议：{meeting.title}")
            return redirect("centers:meeting_detail", pk=meeting.pk)
    return list_page(
        request,
        lists.MEETINGS,
        "centers/meeting_list.html",
        page_size=PAGE_SIZE,
        extra={"create_form": form, "waiting": _waiting(request.user)},
    )


def _waiting(user) -> int:
    """How many plans wait for an agenda: cached like the task badge (``per_user``), as every
    change of it (a plan reaching the meeting stage, an item added or removed, a meeting
    closed) writes an audit event."""
    return per_user(user, "agenda_waiting", lambda: selectors.agenda_candidates().count())


@officer_required
def meeting_detail(request, pk):
    return _detail(request, get_object_or_404(Meeting, pk=pk))


def _detail(request, meeting, refused=None, agenda_form=None, minutes_form=None):
    """The meeting page, with status 400 when it shows a refused form: ``refused`` is an
    item's bound decision form, ``agenda_form`` / ``minutes_form`` the bound add-items and
    minutes forms, each with its errors and what was chosen."""
    items = list(selectors.meeting_items(meeting))
    for item in items:
        if refused is not None and refused.prefix == f"item{item.pk}":
            item.form = refused
            continue
        item.form = DecisionForm(
            initial={
                "decision": item.decision if item.decision != "pending" else None,
                "reason": item.reason,
            },
            prefix=f"item{item.pk}",
        )
    candidates = selectors.agenda_candidates()
    context = {
        "meeting": meeting,
        "items": items,
        "agenda_form": agenda_form
        or (AgendaForm(candidates=candidates) if meeting.is_open else None),
        "has_candidates": meeting.is_open and candidates.exists(),
        "minutes_form": minutes_form or (MinutesForm() if meeting.is_open else None),
    }
    shown_refused = (refused, agenda_form, minutes_form)
    status = 400 if any(f is not None for f in shown_refused) else 200
    return render(request, "centers/meeting_detail.html", context, status=status)


@officer_required
@require_POST
def meeting_add_items(request, pk):
    """Put the selected plans on the agenda: one service call per plan (each its own audit
    event); a plan that is no longer a candidate is reported alone, the others are added."""
    meeting = get_object_or_404(Meeting, pk=pk)
    ids = bulk.selected_ids(request.POST, "applications")
    if not ids:
        form = AgendaForm(request.POST, candidates=selectors.agenda_candidates())
        if meeting.is_open and form["applications"].field.queryset.exists():
            form.is_valid()  # the page again: "choose at least one", the summary
            return _detail(request, meeting, agenda_form=form)
        messages.error(request, _("Choose at least one plan to decide on."))
        return redirect("centers:meeting_detail", pk=meeting.pk)
    names = dict(Application.objects.filter(pk__in=ids).values_list("pk", "name"))
    outcomes = bulk.run_each(
        [(pk, f"山西省{names[pk]}技术创新中心") for pk in ids if pk in names],
        lambda pk: meetings.meeting_add_items(
            actor=request.user, meeting_id=meeting.pk, application_ids=[pk]
        ),
        (CentersError,),
    )
    bulk.report(request, outcomes, done=_("Put on the agenda"), missing=len(set(ids) - set(names)))
    return redirect("centers:meeting_detail", pk=meeting.pk)


@officer_required
@require_POST
def meeting_decide(request, item_pk):
    item = get_object_or_404(
        MeetingItem.objects.select_related("application", "meeting"), pk=item_pk
    )
    form = DecisionForm(request.POST, prefix=f"item{item.pk}")
    if form.is_valid():
        try:
            meetings.meeting_stage_decision(
                actor=request.user,
                item_id=item.pk,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except CentersError as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request, f"已记录对「{item.application.full_name}」的决定，会议结束时统一执行。"
            )
    else:  # the page again, the refused form with its error summary and what was typed
        return _detail(request, item.meeting, refused=form)
    return redirect("centers:meeting_detail", pk=item.meeting_id)


@officer_required
@require_POST
def meeting_remove_item(request, item_pk):
    item = get_object_or_404(MeetingItem, pk=item_pk)
    try:
        meetings.meeting_remove_item(actor=request.user, item_id=item.pk)
    except CentersError as exc:
        flash_errors(request, exc)
    return redirect("centers:meeting_detail", pk=item.meeting_id)


@officer_required
@require_POST
def meeting_minutes_upload(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MinutesForm(request.POST, request.FILES)
    if not form.is_valid():  # the page again, the minutes field with its error and the summary
        if meeting.is_open:
            return _detail(request, meeting, minutes_form=form)
        flash_errors(request, CentersError([e for errs in form.errors.values() for e in errs]))
        return redirect("centers:meeting_detail", pk=meeting.pk)
    try:
        meetings.meeting_upload_minutes(
            actor=request.user, meeting_id=meeting.pk, upload=form.cleaned_data["minutes"]
        )
    except CentersError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "会议纪要已上传。")
    return redirect("centers:meeting_detail", pk=meeting.pk)


@officer_required
def meeting_minutes_download(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    return private_file_response(meeting.minutes, meeting.minutes_name or "minutes.pdf")


@officer_required
@require_POST
def meeting_close(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        meetings.meeting_close(actor=request.user, meeting_id=meeting.pk)
    except (CentersError, TransitionError) as exc:
        flash_errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "会议已结束，各项决定已执行。")
    return redirect("centers:meeting_detail", pk=meeting.pk)
