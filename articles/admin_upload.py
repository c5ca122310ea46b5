"""The admin's two-step upload of a new issue: stage the files, preview, then confirm or cancel.

The preview says how far the background parse of the pages is (articles/upload_jobs.py) and
reloads itself until it is done; pages that fail to parse are listed with their reasons.

The views are thin: the upload service (articles.upload) stages, reviews, stores and drops;
this mixin reads the form, shows messages in Chinese and chooses the page to show next.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views import defaults

from articles.admin_layout import correct_staged_layout, layout_tables, undo_staged_layout
from articles.admin_options import chinese_date
from articles.corrections import conflict_choices
from articles.forms import IssueUploadForm
from articles.ingest import Outcome
from articles.models import Issue, Upload
from articles.upload import (
    cancel_upload,
    confirm_upload,
    may_handle_upload,
    renumber_upload,
    stage_upload,
    staged_files,
)
from articles.upload_files import UploadError
from articles.upload_jobs import parse_finished, resume_parse_job
from articles.upload_review import review_screen

PARSE_REFRESH_SECONDS = 2  # how often the preview reloads itself while the pages are parsed


class IssueUploadMixin:
    """上传新一期 on the issue admin: its URLs, its permission and its two views."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="articles_issue_upload"),
            path(
                "upload/<int:upload_id>/",
                view(self.upload_preview_view),
                name="articles_issue_upload_preview",
            ),
            *super().get_urls(),
        ]

    def has_upload_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.upload_issue")

    def changelist_view(self, request, extra_context=None):
        extra = {**(extra_context or {}), "can_upload": self.has_upload_permission(request)}
        return super().changelist_view(request, extra)

    def _context(self, request: HttpRequest, title: str, **values) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **values,
        }

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Step 1: the issue's date and files; a valid form is staged, then previewed."""
        if not self.has_upload_permission(request):
            raise PermissionDenied
        form = IssueUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = stage_upload(
                request.user, data["issue_date"], data["issue_number"], form.page_files
            )
            return redirect("admin:articles_issue_upload_preview", upload.pk)
        context = self._context(request, "上传新一期", form=form)
        return TemplateResponse(request, "admin/articles/issue/upload.html", context)

    def too_many_files_view(self, request: HttpRequest) -> HttpResponse | None:
        """The form again, saying how many files one upload takes (None for who may not upload).

        Django stops reading the request at DATA_UPLOAD_MAX_NUMBER_FILES files, before any view
        runs, so nothing was staged and the fields typed are gone."""
        user = request.user
        if not (user.is_active and user.is_staff and self.has_upload_permission(request)):
            return None
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        refused = (
            f"一次最多上传 {limit} 个文件，这次选择的文件超过了 {limit} 个，没有保存任何内容。"
            "请减少文件后重新选择日期和文件。"
        )
        context = self._context(request, "上传新一期", form=IssueUploadForm(), refused=refused)
        return TemplateResponse(request, "admin/articles/issue/upload.html", context, status=400)

    def upload_preview_view(self, request: HttpRequest, upload_id: int) -> HttpResponse:
        """Step 2: what each page holds and what storing it would change; confirm or cancel."""
        if not self.has_upload_permission(request):
            raise PermissionDenied
        upload = get_object_or_404(Upload.objects.select_related("uploaded_by"), pk=upload_id)
        if upload.status != Upload.Status.STAGED:
            messages.info(request, f"这次上传{upload.get_status_display()}。")
            return redirect("admin:articles_issue_changelist")
        if request.method == "POST" and not may_handle_upload(request.user, upload):
            # Anyone who may upload may read the preview; every change is the uploader's.
            raise PermissionDenied(
                f"这次上传属于 {upload.uploaded_by or '其他人'}：只有上传者或有“可以确认或取消他人的上传”"
                "权限的人可以确认、取消、填写版次或校正版面。您的操作没有保存。"
            )
        if request.method == "POST" and "cancel" in request.POST:
            try:
                cancel_upload(upload, request.user)
            except UploadError as error:
                self._show_errors(request, error)
                return redirect("admin:articles_issue_changelist")
            messages.info(request, "已取消上传，上传的文件已丢弃。")
            return redirect("admin:articles_issue_changelist")
        if request.method == "POST" and "layout" in request.POST:
            correct_staged_layout(request, upload)
            return _back_to_preview(request, upload)
        if request.method == "POST" and "undo_layout" in request.POST:
            undo_staged_layout(request, upload)
            return _back_to_preview(request, upload)
        if request.method == "POST" and "renumber" in request.POST:
            try:
                renumber_upload(upload, request.user, _posted(request, "page_"))
            except UploadError as error:
                self._show_errors(request, error)
            return _back_to_preview(request, upload)
        if request.method == "POST":
            try:
                results = confirm_upload(
                    upload,
                    request.user,
                    _posted(request, "base_"),
                    banners_checked="banners_checked" in request.POST,
                    choices=conflict_choices(request.POST),
                )
            except UploadError as error:
                self._show_errors(request, error)
                return _back_to_preview(request, upload)
            stored = [r for r in results if r.outcome is not Outcome.UNCHANGED]
            messages.success(
                request,
                f"{chinese_date(upload.issue_date)} 已入库：{len(stored)} 个版面、"
                f"{sum(r.articles for r in stored)} 篇文章；"
                f"{len(results) - len(stored)} 个版面与已存内容相同，未改动。"
                "搜索索引的状态见下方“搜索索引”一栏。",
            )
            upload.refresh_from_db()
            return redirect("admin:articles_issue_change", upload.issue_id)
        upload = resume_parse_job(upload)
        if not parse_finished(upload) or upload.parse_errors:
            return self._parse_status_view(request, upload)
        screen = review_screen(staged_files(upload), upload.issue_date, request.GET.get("screen"))
        context = self._context(
            request,
            f"确认上传：{chinese_date(upload.issue_date)}",
            upload=upload,
            screen=screen,
            may_handle=may_handle_upload(request.user, upload),
            layouts=layout_tables(screen.reviews),
        )
        return TemplateResponse(request, "admin/articles/issue/upload_preview.html", context)

    def _parse_status_view(self, request: HttpRequest, upload: Upload) -> HttpResponse:
        """The preview while the pages are parsed (it reloads itself), or the pages that
        failed to parse, each with its reason."""
        context = self._context(
            request,
            f"确认上传：{chinese_date(upload.issue_date)}",
            upload=upload,
            finished=parse_finished(upload),
            refresh_seconds=PARSE_REFRESH_SECONDS,
            may_handle=may_handle_upload(request.user, upload),
        )
        return TemplateResponse(request, "admin/articles/issue/upload_parsing.html", context)

    def _show_errors(self, request: HttpRequest, error: UploadError) -> None:
        for message in error.messages:
            messages.error(request, message)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 page (handler400), but the upload form answers too many files itself."""
    if isinstance(exception, TooManyFilesSent) and request.path == reverse(
        "admin:articles_issue_upload"
    ):
        response = admin.site.get_model_admin(Issue).too_many_files_view(request)
        if response is not None:
            return response
    return defaults.bad_request(request, exception)


def _back_to_preview(request: HttpRequest, upload: Upload) -> HttpResponse:
    """The preview again, at the screen the form was posted from."""
    url = reverse("admin:articles_issue_upload_preview", args=[upload.pk])
    screen = request.GET.get("screen", "")
    return redirect(f"{url}?screen={screen}" if screen.isdigit() else url)


def _posted(request: HttpRequest, prefix: str) -> dict[int, str]:
    """The POST fields named prefix + a staged file's key, by that key."""
    return {
        int(key.removeprefix(prefix)): value
        for key, value in request.POST.items()
        if key.startswith(prefix) and key.removeprefix(prefix).isdigit()
    }
