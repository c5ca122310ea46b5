"""The page admin's 版面校正 view: the parse with a control on every line; each correction is
kept with the page and laid over every reparse (articles.layout_service)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from articles import parsing
from articles.layout_corrections import ROLES, LayoutCorrectionError, blocks
from articles.layout_service import (
    add_page_correction,
    correction_from_post,
    describe,
    page_parse,
    undo_page_correction,
)
from articles.models import Page


class PageLayoutMixin:
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:page_id>/layout/", view(self.layout_view), name="articles_page_layout"),
            *super().get_urls(),
        ]

    def layout_view(self, request: HttpRequest, page_id: int) -> HttpResponse:
        page = get_object_or_404(Page.objects.select_related("issue"), pk=page_id)
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        if request.method == "POST":
            if request.POST.get("undo", "").isdigit():
                undo_page_correction(page, int(request.POST["undo"]))
            elif correction := correction_from_post(request.POST, "p"):
                try:
                    add_page_correction(page, correction)
                except LayoutCorrectionError as error:
                    messages.error(request, f"无法校正：{error}")
            return redirect("admin:articles_page_layout", page.pk)
        try:
            parsed, error = page_parse(page), ""
        except parsing.ParseError as exc:
            parsed, error = None, str(exc)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"版面校正：{page}",
            "page": page,
            "error": error,
            "blocks": blocks(parsed) if parsed else [],
            "roles": ROLES,
            "prefix": "p",
            "corrections": [describe(c) for c in page.layout_corrections],
        }
        return TemplateResponse(request, "admin/articles/page/layout.html", context)
