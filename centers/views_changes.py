"""Change requests (Art. 15): list, file, edit, submit, decide, attachments, approval document.

Thin views: reads go through centers.selectors_changes (which also decides who sees what:
another organization's or department's request is a 404), writes through
centers.services.changes.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.feedback import flash_errors
from accounts.list_views import list_page
from accounts.roles import PROVINCIAL_OFFICER

from . import lists
from . import selectors_changes as selectors
from .forms_changes import ChangeRequestForm, DecisionForm
from .models_changes import ChangeStatus, is_center_department, is_center_staff, is_province
from .services import change_documents, changes
from .services.common import CentersError
from .views_common import private_file_response


@login_required
def change_list(request):
    return list_page(
        request,
        lists.CHANGES,
        "centers/changes/list.html",
        extra={"own_centers": selectors.own_centers(request.user)},
    )


@login_required
def center_changes(request, center_pk):
    center = selectors.center_for(request.user, center_pk)
    return render(request, "centers/changes/center.html", {"center": center})


def _form_data(form):
    data = dict(form.cleaned_data)
    data.pop("attachments", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def change_create(request, center_pk):
    center = selectors.own_centers(request.user).filter(pk=center_pk).first()
    if center is None:
        raise Http404("No such center.")
    form = ChangeRequestForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = changes.change_request_create(
                    actor=request.user,
                    center_id=center.pk,
                    kind=form.cleaned_data["kind"],
                    data=_form_data(form),
                    attachments=form.cleaned_data["attachments"],
                )
            except CentersError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
                status = 400
            else:
                messages.success(
                    request, _("The change request is saved as a draft; check it and submit it.")
                )
                return redirect("centers:change_detail", pk=created.pk)
        else:
            status = 400
    return render(
        request,
        "centers/changes/form.html",
        {"center": center, "form": form, "change": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_edit(request, pk):
    change = selectors.request_for(request.user, pk)
    if not is_center_staff(change, request.user):
        raise PermissionDenied(
            _("Only the staff of the center's lead organization can change the request.")
        )
    if not change.editable:
        messages.info(request, _("The request is submitted and can no longer be changed."))
        return redirect("centers:change_detail", pk=change.pk)
    initial = {
        "kind": change.kind,
        "new_name": change.new_name,
        "new_direction": change.new_direction,
        "new_cobuilders": "\n".join(change.new_cobuilders),
        "new_institutions": "\n".join(change.new_institutions),
        "description": change.description,
        "reasons": change.reasons,
    }
    form = ChangeRequestForm(
        request.POST or None, request.FILES or None, initial=initial, kind_fixed=change.kind
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changes.change_request_update(
                    actor=request.user,
                    request_id=change.pk,
                    data=_form_data(form),
                    attachments=form.cleaned_data["attachments"],
                    remove_ids=[int(v) for v in request.POST.getlist("remove") if v.isdigit()],
                )
            except CentersError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
                status = 400
            else:
                messages.success(request, _("Change request saved."))
                return redirect("centers:change_detail", pk=change.pk)
        else:
            status = 400
    return render(
        request,
        "centers/changes/form.html",
        {"center": change.center, "form": form, "change": change},
        status=status,
    )


def _may_decide(change, user) -> bool:
    if change.status == ChangeStatus.DEPT_REVIEW:
        return is_center_department(change, user)
    if change.status == ChangeStatus.PROVINCE_REVIEW:
        return is_province(change, user)
    return False


def _detail(request, change, form=None, status=200):
    may_decide = _may_decide(change, request.user)
    if may_decide and form is None:
        form = DecisionForm(
            initial={"expected_status": change.status},
            province=change.status == ChangeStatus.PROVINCE_REVIEW,
        )
    document = change.approval_document
    return render(
        request,
        "centers/changes/detail.html",
        {
            "change": change,
            "center": change.center,
            "old": changes.current_values(change.center, change.kind),
            "applied": getattr(change, "applied_change", None),
            "form": form if may_decide else None,
            "may_edit": change.editable and is_center_staff(change, request.user),
            "document": document,
            "may_issue": (
                document is None
                and change.status == ChangeStatus.APPROVED
                and change.kind in changes.DOCUMENTED
                and request.user.has_role(PROVINCIAL_OFFICER)
            ),
        },
        status=status,
    )


@login_required
def change_detail(request, pk):
    return _detail(request, selectors.request_for(request.user, pk))


@login_required
@require_POST
def change_submit(request, pk):
    change = selectors.request_for(request.user, pk)
    try:
        changes.change_request_submit(actor=request.user, request_id=change.pk)
    except CentersError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request, _("The change request is submitted to the organizing department for review.")
        )
    return redirect("centers:change_detail", pk=change.pk)


def _decided_here(change, user, seen) -> bool:
    """The user could have decided the state they saw (someone else decided it first)."""
    if seen == ChangeStatus.DEPT_REVIEW:
        return is_center_department(change, user)
    if seen == ChangeStatus.PROVINCE_REVIEW:
        return is_province(change, user)
    return False


@login_required
@require_POST
def change_decide(request, pk):
    change = selectors.request_for(request.user, pk)
    if not _may_decide(change, request.user):
        seen = request.POST.get("expected_status", "")
        if (
            seen == change.status
            or seen not in ChangeStatus.values
            or not _decided_here(change, request.user, seen)
        ):
            raise PermissionDenied(_("You may not handle this change request."))
        messages.error(request, changes.stale_message(change, request.user, seen))
        return redirect("centers:change_detail", pk=change.pk)
    form = DecisionForm(request.POST, province=change.status == ChangeStatus.PROVINCE_REVIEW)
    if not form.is_valid():
        return _detail(request, change, form, status=400)
    try:
        changes.change_request_decide(
            actor=request.user,
            request_id=change.pk,
            decision=form.cleaned_data["decision"],
            opinion=form.cleaned_data["opinion"],
            expected_status=form.cleaned_data["expected_status"],
        )
    except CentersError as exc:
        change.refresh_from_db()
        if change.status == form.cleaned_data["expected_status"]:
            for message in exc.messages:
                form.add_error(None, message)
            return _detail(request, change, form, status=400)
        flash_errors(request, exc)
    else:
        messages.success(request, _("Review opinion submitted."))
    return redirect("centers:change_detail", pk=change.pk)


@login_required
def change_attachment(request, pk, file_pk):
    change = selectors.request_for(request.user, pk)
    attachment = change.attachments.filter(pk=file_pk).first()
    if attachment is None:
        raise Http404("No such file.")
    return private_file_response(attachment.file, attachment.name)


@login_required
@require_POST
def change_issue_document(request, pk):
    change = selectors.request_for(request.user, pk)
    if not request.user.has_role(PROVINCIAL_OFFICER):
        raise PermissionDenied(
            _("Only staff of the provincial department can issue approval documents.")
        )
    try:
        document = change_documents.issue_change_approval(actor=request.user, request_id=change.pk)
    except CentersError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request, _("Approval document %(number)s issued.") % {"number": document.number}
        )
    return redirect("centers:change_detail", pk=change.pk)
