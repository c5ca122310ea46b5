"""The organization admin's 待核工会 view: the union names parses brought in, each accepted,
merged into an existing union or rejected by an editor (articles.union_review)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from articles.admin_options import ReadOnlyMixin
from articles.models import Organization, UnionDecision
from articles.union_review import (
    ReviewError,
    accept,
    merge_into,
    recent_decisions,
    reject,
    review_list,
)

DONE = {
    "accept": "已接受“{name}”：读者现在可以看到它。",
    "merge": "已将“{name}”合并到“{target}”，它成为“{target}”的别名。",
    "reject": "已驳回“{name}”：文章不再关联它，重新解析或重新上传也不会再关联。",
}


class UnionReviewMixin:
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("review/", view(self.union_review_view), name="articles_organization_review"),
            *super().get_urls(),
        ]

    def union_review_view(self, request: HttpRequest) -> HttpResponse:
        """GET: every 待核 union and alias; POST: one editor's decision on one name."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            self._decide(request)
            return redirect("admin:articles_organization_review")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "待核工会",
            "names": review_list(),
            "decisions": recent_decisions(),
        }
        return TemplateResponse(request, "admin/articles/organization/union_review.html", context)

    def _decide(self, request: HttpRequest) -> None:
        name = request.POST.get("name", "")
        target = request.POST.get("target", "").strip()
        decision = request.POST.get("decision", "")
        deciders = {
            "accept": lambda: accept(name, request.user),
            "merge": lambda: merge_into(name, target, request.user),
            "reject": lambda: reject(name, request.user),
        }
        if decision not in deciders:
            self.message_user(request, "请选择接受、合并或驳回。", messages.ERROR)
            return
        try:
            deciders[decision]()
        except ReviewError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, DONE[decision].format(name=name, target=target))

    @admin.action(description="接受所选待核组织（读者可见）", permissions=["change"])
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        accepted, refused = 0, []
        for name in queryset.filter(needs_review=True).values_list("name", flat=True):
            try:
                accept(name, request.user)
                accepted += 1
            except ReviewError as error:
                refused.append(str(error))
        self.message_user(request, f"已接受 {accepted} 个待核组织。")
        for message in refused:
            self.message_user(request, message, messages.WARNING)


@admin.register(UnionDecision)
class UnionDecisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Every editor's decision on a 待核 name; written only by articles.union_review."""

    list_display = ["name", "action", "alias_of", "merged_into", "decided_by", "decided_at"]
    list_filter = ["action"]
    search_fields = ["name", "alias_of", "merged_into"]
