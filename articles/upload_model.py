"""An admin upload of an issue's pages (Upload) and its staged files (UploadFile).

Its own module, imported by articles.models, so the models file stays readable; the upload
flow itself is in articles/upload.py and articles/upload_jobs.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Upload(models.Model):
    """One admin upload of an issue's pages: staged for preview, then confirmed or cancelled.

    Kept after confirmation as the record of who uploaded what and when; the page bytes are
    dropped then (the pages keep their source text).
    """

    class Status(models.TextChoices):
        STAGED = "staged", "待确认"
        CONFIRMED = "confirmed", "已入库"
        CANCELLED = "cancelled", "已取消"

    class ParseState(models.TextChoices):
        """The background parse of the staged pages (articles/upload_jobs.py)."""

        PENDING = "pending", "等待解析"
        PARSING = "parsing", "正在解析"
        READY = "ready", "已解析"
        FAILED = "failed", "解析出错"

    issue_date = models.DateField("出版日期")
    issue_number = models.PositiveIntegerField("期号", null=True, blank=True)
    issue = models.ForeignKey(
        "articles.Issue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploads",
        verbose_name="期",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="newspaper_uploads",
        verbose_name="上传者",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.STAGED)
    summary = models.JSONField("结果", default=dict, blank=True)
    parse_state = models.CharField(
        "解析状态", max_length=10, choices=ParseState.choices, default=ParseState.PENDING
    )
    pages_parsed = models.PositiveSmallIntegerField("已解析版面", default=0)
    pages_total = models.PositiveSmallIntegerField("版面总数", default=0)
    parse_errors = models.JSONField("解析问题", default=list, blank=True)  # "file：reason" each
    # Who runs the parse (a random token) and when it last said so: a stale heartbeat means
    # its process died, and the next view of the preview claims the job again.
    parse_runner = models.CharField("解析任务", max_length=32, blank=True, editable=False)
    parse_heartbeat = models.DateTimeField("解析心跳", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "上传记录"
        ordering = ["-created_at"]
        # A staged upload is its uploader's to confirm or cancel; others need this.
        permissions = [("handle_others_upload", "可以确认或取消他人的上传")]

    def __str__(self) -> str:
        return f"{self.issue_date:%Y-%m-%d} {self.get_status_display()}"


class UploadFile(models.Model):
    upload = models.ForeignKey(
        Upload, on_delete=models.CASCADE, related_name="files", verbose_name="上传"
    )
    name = models.CharField("文件名", max_length=255)
    # None until staff enter it, when the file name does not give it.
    page_number = models.PositiveSmallIntegerField("版次", null=True, blank=True)
    size = models.PositiveIntegerField("字节数")
    data = models.BinaryField("内容", null=True, editable=False)
    # Layout corrections staff made in the preview; the page keeps them once stored.
    layout_corrections = models.JSONField("版面校正", default=list, blank=True)
    # The page's PDF or image (alone, or beside the .txt in `data`): articles.page_images.
    scan_name = models.CharField("版面图文件名", max_length=255, blank=True)
    scan_data = models.BinaryField("版面图内容", null=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "上传文件"
        ordering = ["page_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["upload", "page_number"], name="upload_file_unique_page"
            ),
        ]

    def __str__(self) -> str:
        return self.name
