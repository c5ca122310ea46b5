"""The printed page beside the text: a page's PDF or image (PageScan), kept in Django's storage.

Its own module, imported by articles.models, so the models file stays readable.
"""

from __future__ import annotations

from django.db import models


def scan_file_name(scan: PageScan, filename: str) -> str:
    """Content-addressed, so a rolled-back ingest leaves at most a file a later one reuses."""
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"scans/{scan.sha256[:2]}/{scan.sha256}.{suffix}"


class PageScan(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        IMAGE = "image", "图片"

    page = models.OneToOneField(
        "articles.Page", on_delete=models.CASCADE, related_name="scan", verbose_name="版面"
    )
    file = models.FileField("版面文件", upload_to=scan_file_name, max_length=200)
    source_name = models.CharField("来源文件", max_length=255)
    kind = models.CharField("类型", max_length=5, choices=Kind.choices)
    sha256 = models.CharField("SHA-256", max_length=64)
    # Points for a PDF, pixels for an image; the regions' boxes use the same unit.
    width = models.FloatField("宽")
    height = models.FloatField("高")
    # The PDF's text blocks in reading order: {"text", "boxes": [[x0, top, x1, bottom], …]};
    # the page view finds each article's region among them (articles.pdf.regions).
    blocks = models.JSONField("文字位置", default=list, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "版面图"

    def __str__(self) -> str:
        return self.source_name
