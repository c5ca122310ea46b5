"""The page admin's 重新解析 action and 版面校正 view.

重新解析 previews each page's new parse (ids kept, conflicts with corrections, banner check)
before it applies; 版面校正 shows the parse with a control on every line, each correction kept
with the page and laid over every reparse (articles.layout_service)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from articles import parsing
from articles.corrections import conflict_choices
from articles.index_queue import deferred_index_updates
from articles.ingest import Outcome, reparse_page
from articles.layout_corrections import ROLES, LayoutCorrectionError, blocks
from articles.layout_service import (
    add_page_correction,
    correction_from_post,
    describe,
    page_parse,
    undo_page_correction,
)
from articles.models import Page, Upload
from articles.reparse_review import preview_reparse
from articles.search.indexing import catch_up_index
from articles.upload import correct_staged_file, undo_staged_correction
from articles.upload_files import UploadError


class PageLayoutMixin:
    @admin.action(description="重新解析所选版面", permissions=["change"])
    def reparse(self, request: HttpRequest, queryset: QuerySet[Page]) -> HttpResponse | None:
        """Shows what the parser would change on each page; replaces only after a confirm."""
        pages = list(queryset.select_related("issue").order_by("issue__date", "number"))
        if "apply" not in request.POST:
            previews = [(page, preview_reparse(page)) for page in pages]
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "重新解析：确认改动",
                "previews": previews,
                "banner_mismatches": any(p.result.banner_mismatches for _, p in previews),
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            }
            return TemplateResponse(request, "admin/articles/page/reparse.html", context)
        choices = conflict_choices(request.POST)
        with deferred_index_updates():
            checked = "banners_checked" in request.POST
            results = [
                reparse_page(page, choices=choices, user=request.user, banners_checked=checked)
                for page in pages
            ]
        catch_up_index()
        changed = sum(r.outcome is Outcome.REPLACED for r in results)
        failed = [r for r in results if r.outcome is Outcome.FAILED]
        self.message_user(request, f"重新解析 {len(pages)} 个版面：{changed} 个有改动。")
        for result in failed:
            self.message_user(request, f"{result.source}：{result.reason}", messages.ERROR)
        return None

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
                undo_page_correction(page, int(request.POST["undo"]), user=request.user)
            elif correction := correction_from_post(request.POST, "p"):
                try:
                    add_page_correction(page, correction, user=request.user)
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


def correct_staged_layout(request: HttpRequest, upload: Upload) -> None:
    """A layout correction posted from the upload preview, kept on its staged file."""
    _, _, rest = request.POST.get("layout", "").partition(":")
    key = rest.rpartition(":")[0]
    correction = correction_from_post(request.POST, key) if key.isdigit() else None
    try:
        if correction is None:
            raise UploadError(["无法校正：找不到这一行所在的版面"])
        correct_staged_file(upload, request.user, int(key), correction)
    except LayoutCorrectionError as error:
        messages.error(request, f"无法校正：{error}")
    except UploadError as error:
        for message in error.messages:
            messages.error(request, message)


def undo_staged_layout(request: HttpRequest, upload: Upload) -> None:
    """撤销 on one of the corrections an upload preview lists for a staged file."""
    key, _, index = request.POST.get("undo_layout", "").partition(":")
    try:
        if not (key.isdigit() and index.isdigit()):
            raise UploadError(["无法撤销：找不到这项校正"])
        text = request.POST.get(f"undo_text_{key}_{index}", "")
        undo_staged_correction(upload, request.user, int(key), int(index), text)
    except LayoutCorrectionError as error:
        messages.error(request, f"无法撤销：{error}")
    except UploadError as error:
        for message in error.messages:
            messages.error(request, message)


def layout_tables(reviews) -> list[tuple]:
    """For the upload preview: each review with the lines of the articles it shows and its
    layout corrections (None while the page has no number or no parse). Page furniture comes
    with the page's first article."""
    tables = []
    for review in reviews:
        table = None
        if review.preview.parsed is not None and not review.needs_number:
            table = {
                "blocks": [
                    block
                    for block in blocks(review.preview.parsed)
                    if (block.article is None and review.shown.start == 0)
                    or block.article in review.shown
                ],
                "corrections": [describe(c) for c in review.file.layout],
                "listed": [(describe(c), c["text"]) for c in review.file.layout],
                "prefix": str(review.file.key),
                "roles": ROLES,
            }
        tables.append((review, table))
    return tables
