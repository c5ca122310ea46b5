"""The printed page's images for readers and staff: the page image (版面图) and its thumbnail,
an article's clipping (剪报), and a staged upload's page for its preview. Rendered once and
kept (articles/page_images.py); served from storage."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from articles.models import Article, PageScan, Upload, UploadFile
from articles.page_images import (
    article_region,
    clipping_image,
    read_scan,
    rendered_image,
    source_image,
)
from articles.pdf.text import ScanError
from articles.views import issue_or_404

logger = logging.getLogger(__name__)


@require_GET
def page_image(request: HttpRequest, date: str, number: int, size: str) -> HttpResponse:
    """The page's image (版面图) at a reader's size or as a thumbnail, rendered once and kept."""
    scan = get_object_or_404(PageScan, page__issue=issue_or_404(date), page__number=number)
    with _scan_file_gone_is_404(scan):
        return _image_response(rendered_image(scan, size))


@require_GET
def article_clipping(request: HttpRequest, pk: int) -> HttpResponse:
    """The article's clipping (剪报): its region cut from the page image."""
    article = get_object_or_404(Article, pk=pk)
    boxes = article_region(article)
    if not boxes:
        raise Http404("这篇文章没有剪报")
    scan = PageScan.objects.get(page_id=article.page_id)
    with _scan_file_gone_is_404(scan):
        return _image_response(clipping_image(scan, boxes))


@contextlib.contextmanager
def _scan_file_gone_is_404(scan: PageScan) -> Iterator[None]:
    """A page's PDF or image missing from storage (a restore without its files, a deleted
    media folder) is a 404 for the reader and an error for the operator, not a 500."""
    try:
        yield
    except FileNotFoundError as error:
        logger.error("page file missing from storage: %s (page %s)", scan.file.name, scan.page_id)
        raise Http404("版面文件已丢失") from error


@require_GET
@staff_member_required
def upload_page_image(request: HttpRequest, key: int) -> HttpResponse:
    """A staged page's PDF or image, for the upload preview: to those who may read it (anyone
    who may upload), while the upload is staged."""
    if not request.user.has_perm("articles.upload_issue"):
        raise PermissionDenied
    staged = get_object_or_404(
        UploadFile.objects.exclude(scan_name=""), pk=key, upload__status=Upload.Status.STAGED
    )
    try:
        scan = read_scan(staged.scan_name, bytes(staged.scan_data))
    except ScanError as error:
        raise Http404(str(error)) from error
    return _image_response(source_image(scan, "page"), public=False)


def _image_response(name: str, public: bool = True) -> FileResponse:
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
    if public:
        patch_cache_control(response, public=True, max_age=86400)
    else:
        patch_cache_control(response, private=True, max_age=3600)
    return response
