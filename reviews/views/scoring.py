"""Views of scoring: a member's score sheet beside the plan, and the expert's queue."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.feedback import form_errors
from reviews import selectors
from reviews.forms import ScoreForm
from reviews.models import Criterion
from reviews.services import scoring as scoring_services
from reviews.services.common import ReviewError
from reviews.views.common import expert_only
from reviews.views.members import plan_context


def _after_save(request, member, form):
    if form.submitting:
        messages.success(request, "评分已提交，不能再修改。")
    else:
        messages.success(request, "评分草稿已保存。")
    if form.to_next:
        following = selectors.scoring_queue(user=request.user).next_after(member)
        if following is None:
            messages.info(request, "您没有其他待评分的建设方案了。")
            return redirect("reviews:my_panels")
        return redirect("reviews:member_score", following.pk)
    if form.submitting:
        return redirect("reviews:member_detail", member.pk)
    return redirect("reviews:member_score", member.pk)


@login_required
@expert_only
@require_http_methods(["GET", "POST"])
def member_score(request, pk):
    member = selectors.member_for_expert(user=request.user, pk=pk)
    if not member.may_score:
        messages.error(request, "请先接受邀请并作出利益冲突声明，再进行评分。")
        return redirect("reviews:member_detail", member.pk)
    criteria = list(Criterion.objects.filter(template_id=member.panel.template_id))
    sheet = getattr(member, "sheet", None)
    locked = bool(sheet and sheet.is_submitted)
    form = ScoreForm(request.POST or None, criteria=criteria, sheet=sheet)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            scoring_services.score_save(
                actor=request.user,
                member_id=member.pk,
                scores=form.scores(),
                opinion=form.cleaned_data["opinion"],
                recommendation=form.cleaned_data["recommendation"],
                submit=form.submitting,
            )
        except ReviewError as exc:
            form_errors(form, exc)
        else:
            return _after_save(request, member, form)
    elif request.method == "POST" and locked:
        messages.error(request, "评分已提交，不能再修改。")
    if locked:
        for field in form.fields.values():
            field.disabled = True
    running, empty = form.running_total()
    total = sum((s.points for s in sheet.scores.all()), Decimal(0)) if locked else running
    queue = selectors.scoring_queue(user=request.user)
    return render(
        request,
        "reviews/member_score.html",
        {
            "member": member,
            "form": form,
            "locked": locked,
            "sheet": sheet,
            "total": total,
            "max_total": sum((c.max_points for c in criteria), Decimal(0)),
            "empty": empty,
            "queue": queue,
            "has_next": queue.next_after(member) is not None,
            **plan_context(request, member),
        },
    )
