"""Publishing publicity notices, handling objections and designating (provincial officers)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.feedback import flash_errors
from accounts.inbox import per_user
from accounts.list_views import list_page
from applications.services import TransitionError
from centers.services.common import CentersError
from documents.formatting import cn_date

from . import lists, rules, selectors
from .forms import NoteForm, PublishForm, ResolveForm
from .models import ObjectionFile, PublicityItem, PublicityNotice
from .services import designation, objections, publicity
from .views_common import officer_required, private_file_response


@officer_required
def notice_list(request):
    return list_page(
        request,
        lists.NOTICES,
        "centers/office/notice_list.html",
        extra=_waiting(request.user),
    )


def _waiting(user) -> dict:
    """The plans approved for publicity and those due for designation (names), cached like
    the task badge (``per_user``): each change of them writes an audit event (a meeting
    closed, a notice published, an objection raised or settled, a designation), and the day
    is part of the key (a period ends at midnight)."""

    def compute():
        return {
            "approved_count": selectors.approved_for_publicity().count(),
            "due": [a.full_name for a in selectors.designation_due().only("name", "status")],
        }

    today = rules.local_now().date()
    return per_user(user, f"publicity_waiting:{today.isoformat()}", compute)


@officer_required
def notice_publish(request):
    candidates = selectors.approved_for_publicity()
    form = PublishForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = publicity.publicity_publish(
                actor=request.user,
                application_ids=[a.pk for a in data["applications"]],
                start=data["start_date"],
                title=data["title"],
                contact=data["contact"],
            )
        except (CentersError, TransitionError) as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"公示已发布：{notice.title}（{cn_date(notice.start_date)}至"
                f"{cn_date(notice.end_date)}）",
            )
            return redirect("centers:notice_manage", pk=notice.pk)
    return render(request, "centers/office/notice_publish.html", {"form": form})


@officer_required
def notice_manage(request, pk):
    notice = get_object_or_404(PublicityNotice, pk=pk)
    items = list(selectors.notice_items_for_officer(notice))
    over = rules.publicity_over(notice)
    for item in items:
        item.can_designate = (
            over and item.application.status == "publicity" and not item.open_objections
        )
    return render(
        request,
        "centers/office/notice_manage.html",
        {"notice": notice, "items": items, "over": over},
    )


@officer_required
@require_POST
def designate(request, item_pk):
    item = get_object_or_404(PublicityItem.objects.select_related("application"), pk=item_pk)
    try:
        center = designation.designate(actor=request.user, application_id=item.application_id)
    except (CentersError, TransitionError) as exc:
        flash_errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        if getattr(center, "already_designated", False):
            messages.info(
                request,
                f"「{center.name}」已于{cn_date(center.designated_on)}认定"
                f"（中心编号 {center.number}），无需重复认定。",
            )
        else:
            messages.success(request, f"「{center.name}」已认定，中心编号 {center.number}。")
    return redirect("centers:notice_manage", pk=item.notice_id)


# --------------------------------------------------------------------------- objections


@officer_required
def objection_list(request):
    return list_page(request, lists.OBJECTIONS, "centers/office/objection_list.html")


@officer_required
def objection_detail(request, pk):
    objection = selectors.objection_for_officer(pk=pk)
    return render(
        request,
        "centers/office/objection_detail.html",
        {
            "objection": objection,
            "note_form": NoteForm(),
            "resolve_form": ResolveForm(),
        },
    )


@officer_required
@require_POST
def objection_note(request, pk):
    objection = selectors.objection_for_officer(pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            objections.objection_add_note(
                actor=request.user, objection_id=objection.pk, text=form.cleaned_data["text"]
            )
        except CentersError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, "调查情况已记录。")
            return redirect("centers:objection_detail", pk=objection.pk)
    return render(
        request,
        "centers/office/objection_detail.html",
        {"objection": objection, "note_form": form, "resolve_form": ResolveForm()},
        status=400 if form.errors else 200,
    )


@officer_required
@require_POST
def objection_resolve(request, pk):
    objection = selectors.objection_for_officer(pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        uphold = form.cleaned_data["decision"] == "uphold"
        service = objections.objection_uphold if uphold else objections.objection_dismiss
        try:
            service(
                actor=request.user, objection_id=objection.pk, reason=form.cleaned_data["reason"]
            )
        except (CentersError, TransitionError) as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request,
                "已认定异议成立，该建设方案不予认定。"
                if uphold
                else "已认定异议不成立；公示期满且无其他未处理异议时将自动认定。",
            )
            return redirect("centers:objection_detail", pk=objection.pk)
    return render(
        request,
        "centers/office/objection_detail.html",
        {"objection": objection, "note_form": NoteForm(), "resolve_form": form},
        status=400 if form.errors else 200,
    )


@officer_required
def objection_statement(request, pk):
    objection = selectors.objection_for_officer(pk=pk)
    return private_file_response(objection.statement, objection.statement_name)


@officer_required
def objection_evidence(request, pk, file_pk):
    evidence = get_object_or_404(ObjectionFile, pk=file_pk, objection_id=pk)
    return private_file_response(evidence.file, evidence.name)
