"""Department review (审核) and provincial re-check (复核): inbox and review page.

Thin views: reads through ``applications.selectors`` (filtered by object permission),
decisions through ``applications.services.application_transition``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import bulk
from accounts.list_views import list_page
from audit.labels import action_label

from . import lists, selectors
from .models import AttachmentKind, Status
from .review_display import version_display
from .review_forms import DECISIONS, DecisionForm
from .services import TransitionError, application_transition, status_label, transition_info

PAGE_SIZE = 20
KIND_LABELS = dict(AttachmentKind.choices)


def _require_review_role(user) -> str:
    perm = selectors.review_perm_for(user)
    if perm is None:
        raise PermissionDenied(
            _(
                "Only the staff of organizing departments and of the Provincial Department of S&T review plans."
            )
        )
    return perm


@login_required
def inbox(request):
    _require_review_role(request.user)
    return list_page(
        request,
        lists.PLANS,
        "applications/review/inbox.html",
        page_size=PAGE_SIZE,
        extra={"is_officer": _is_officer(request.user)},
    )


@login_required
@require_POST
def bulk_recheck(request):
    """Pass the re-check of several plans: each through ``application_transition`` (its own
    transaction and audit event); a plan another officer decided first is reported alone."""
    if _require_review_role(request.user) != selectors.RECHECK_PERM:
        raise PermissionDenied("只有省科技厅的工作人员可以复核建设方案。")
    ids = bulk.selected_ids(request.POST)
    apps = {
        a.pk: a for a in selectors.applications_for_reviewer(user=request.user).filter(pk__in=ids)
    }
    opinion = (request.POST.get("opinion") or "").strip()[:2000]
    outcomes = bulk.run_each(
        [(pk, apps[pk].full_name) for pk in ids if pk in apps],
        lambda pk: application_transition(
            actor=request.user,
            application_id=pk,
            transition="pass_recheck",
            reason=opinion,
            expected_status=Status.PROVINCE_RECHECK,
        ),
        (TransitionError,),
    )
    bulk.report(request, outcomes, done=_("Passed the re-check"), missing=len(set(ids) - set(apps)))
    query = QueryDict(request.POST.get("query", "")).urlencode()
    return redirect(f"{reverse('applications:review_inbox')}?{query}")


def _is_officer(user) -> bool:
    return selectors.review_perm_for(user) == selectors.RECHECK_PERM


def available_decisions(app, user) -> list[tuple[str, str]]:
    """(transition, label in the active language) of the decisions this user may take in the current state."""
    out = []
    for name in DECISIONS:
        info = transition_info(app, name)
        if info is not None and info.has_perm(app, user):
            out.append((name, action_label(f"application.{name}", info.custom.get("label", name))))
    return out


def _versions(app) -> list:
    return list(app.versions.select_related("created_by").order_by("-number"))


def _attachments(app, version) -> list[dict]:
    """The attachments frozen with the version, linked to the (permission-checked) download."""
    if version is None:
        return []
    return [
        {
            **item,
            "kind_label": KIND_LABELS.get(item.get("kind"), item.get("kind")),
            "url": reverse("applications:attachment_download", args=[app.pk, item["id"]]),
        }
        for item in version.attachments or []
        if item.get("id")
    ]


def _context(request, app, form):
    versions = _versions(app)
    current = versions[0] if versions else None
    compare = reverse("applications:compare", args=[app.pk])
    earlier = [
        {"version": v, "compare_url": f"{compare}?a={v.number}&b={current.number}"}
        for v in versions[1:]
    ]
    return {
        "app": app,
        "form": form,
        "version": current,
        "display": version_display(current) if current is not None else [],
        "attachments": _attachments(app, current),
        "earlier_versions": earlier,
        "is_officer": _is_officer(request.user),
    }


def _stale(request, app, problems, opinion: str):
    """Someone else decided first: show the plan as it is now, without the stale decision
    form; what was typed is repeated in a message, so nothing is lost."""
    for message in problems:
        messages.error(request, message)
    if opinion and opinion.strip():
        messages.info(request, f"您填写的意见未提交：{opinion.strip()}")
    return render(request, "applications/review/detail.html", _context(request, app, None))


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    _require_review_role(request.user)
    app = selectors.application_for_reviewer(user=request.user, pk=pk)
    actions = available_decisions(app, request.user)
    if request.method == "POST":
        posted = request.POST.get("expected_status")
        if posted in app.Status.values and posted != app.status:  # loaded in an earlier state
            message = (
                f"该申报已被他人处理，当前状态为「{status_label(app.status)}」，请刷新页面后查看。"
            )
            return _stale(request, app, [message], request.POST.get("opinion", ""))
        form = DecisionForm(request.POST, actions=actions)
        if form.is_valid():
            action = form.cleaned_data["action"]
            try:
                app = application_transition(
                    actor=request.user,
                    application_id=app.pk,
                    transition=action,
                    reason=form.cleaned_data["opinion"],
                    expected_status=form.cleaned_data["expected_status"],
                )
            except TransitionError as exc:
                app = selectors.application_for_reviewer(user=request.user, pk=pk)
                if app.status != form.cleaned_data["expected_status"]:
                    return _stale(request, app, exc.messages, form.cleaned_data["opinion"])
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                label = dict(actions).get(action, action)
                messages.success(
                    request, f"已提交处理意见「{label}」，当前状态：{app.get_status_display()}。"
                )
                return redirect("applications:review_detail", pk=app.pk)
    else:
        form = (
            DecisionForm(actions=actions, initial={"expected_status": app.status})
            if actions
            else None
        )
    return render(request, "applications/review/detail.html", _context(request, app, form))
