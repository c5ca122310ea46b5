"""Staff upload of an issue through the admin: read the files, preview, then confirm or cancel.

Step 1 reads the uploaded `.txt` files (or one `.zip` of them; articles/upload_files.py), tells
each page's number from its name, parses every page, and stages the bytes in an Upload; the
preview shows what storing them would do, in a dry run of the ingest service. Nothing reaches the archive. Step 2 stores the whole issue in one
transaction through the same ingest service, or cancel drops the staged bytes. Messages are
for newsroom staff, in Chinese.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles import parsing
from articles.authority import find_organization
from articles.ingest import (
    IngestResult,
    Outcome,
    PagePreview,
    parse_page_bytes,
)
from articles.layout_service import stored_layout
from articles.models import Article, Credit, Issue, Page, Person, Upload, UploadFile
from articles.search.indexing import index_queue_transaction
from articles.upload_files import PageFile, UploadError
from articles.upload_scans import file_text, preview_file, scan_problems

PARSE_MESSAGES = {
    parsing.EmptyPageError: "文件是空的",
    parsing.BinaryContentError: "不是文本文件（内容是二进制数据）",
    parsing.UndecodableTextError: "无法识别文字编码：只接受 UTF-8（可带 BOM）或 GB18030",
    parsing.NoArticlesError: "没有找到任何文章",
}
STALE_AFTER = datetime.timedelta(days=1)


class StalePreviewError(UploadError):
    """A page changed in the archive after this preview was shown: staff must look again."""


@dataclass(frozen=True)
class ArticleReview:
    kicker: str
    headline: str
    subheadline: str
    kind: str
    credits: list[tuple[str, str, bool]]  # name, role label, new person
    organizations: list[tuple[str, bool]]  # name as it will be stored, new organization
    paragraph_count: int


@dataclass(frozen=True)
class PageReview:
    file: PageFile
    preview: PagePreview
    articles: list[ArticleReview] = field(default_factory=list)
    # The archive's page as this preview saw it ("" for none): confirm checks it is still so.
    stored_sha256: str = ""

    @property
    def result(self) -> IngestResult:
        return self.preview.result

    @property
    def needs_number(self) -> bool:
        return self.file.page_number is None

    @property
    def error(self) -> str:
        if self.preview.error is None:
            return ""
        return PARSE_MESSAGES.get(type(self.preview.error), str(self.preview.error))


def review_pages(files: list[PageFile], issue_date: datetime.date) -> list[PageReview]:
    """What storing each page would do, with its parse; a dry run that stores nothing."""
    stored = stored_page_digests(issue_date)
    reviews = []
    for file in files:
        if file.page_number is None:
            # Which page it replaces is unknown until staff give its number: parse only.
            preview = parse_page_bytes(file_text(file), source=file.name)
        else:
            preview = preview_file(
                file,
                issue_date=issue_date,
                layout=stored_layout(issue_date, file.page_number, file.layout),
            )
        articles = [_review_article(a) for a in preview.parsed.articles] if preview.parsed else []
        digest = stored.get(file.page_number, "")
        reviews.append(PageReview(file, preview, articles, stored_sha256=digest))
    return reviews


def unreadable_pages(files: list[PageFile]) -> list[str]:
    """One message per file that does not parse (or PDF or image that does not open), naming it."""
    failed = []
    for file in files:
        if problems := scan_problems([file]):
            failed.extend(problems)
            continue
        if file.scan_name and not file_text(file):
            continue  # an image only: no text to parse
        preview = parse_page_bytes(file_text(file), source=file.name)
        if preview.error is not None:
            message = PARSE_MESSAGES.get(type(preview.error), str(preview.error))
            failed.append(f"{file.name}：{message}")
    return failed


def stored_page_digests(issue_date: datetime.date) -> dict[int, str]:
    """The SHA-256 of each page the archive holds for this date, by page number."""
    pages = Page.objects.filter(issue__date=issue_date)
    return dict(pages.values_list("number", "source_sha256"))


def _review_article(article: parsing.ParsedArticle) -> ArticleReview:
    roles = dict(Credit.Role.choices)
    known_people = set(
        Person.objects.filter(name__in=[c.name for c in article.credits]).values_list(
            "name", flat=True
        )
    )
    organizations = []
    for mention in article.organizations:
        known = find_organization([mention.name, *mention.aliases])
        organizations.append((known.name if known else mention.name, known is None))
    return ArticleReview(
        kicker=article.kicker or "",
        headline=article.headline,
        subheadline=article.subheadline or "",
        kind=dict(Article.Kind.choices).get(str(article.kind), str(article.kind)),
        credits=[
            (c.name, roles.get(str(c.role), str(c.role)), c.name not in known_people)
            for c in article.credits
        ],
        organizations=organizations,
        paragraph_count=len(article.paragraphs),
    )


def stage_upload(
    user, issue_date: datetime.date, issue_number: int | None, files: list[PageFile]
) -> Upload:
    """Keep the files for the confirm step; also drops stale staged uploads."""
    discard_stale_uploads()
    with transaction.atomic():
        upload = Upload.objects.create(
            issue_date=issue_date, issue_number=issue_number, uploaded_by=user
        )
        UploadFile.objects.bulk_create(
            UploadFile(
                upload=upload,
                name=f.name,
                page_number=f.page_number,
                size=len(f.data) + len(f.scan),
                data=f.data,
                scan_name=f.scan_name,
                scan_data=f.scan or None,
            )
            for f in files
        )
    return upload


def staged_files(upload: Upload) -> list[PageFile]:
    return [
        PageFile(
            f.name,
            bytes(f.data),
            f.page_number,
            f.pk,
            tuple(f.layout_corrections),
            f.scan_name,
            bytes(f.scan_data or b""),
        )
        for f in upload.files.all()
    ]


def renumber_upload(upload: Upload, user, numbers: dict[int, str]) -> None:
    """Set the page numbers staff entered on the preview ({UploadFile pk: number typed})."""
    _check_may_handle(user, upload)
    files = {f.pk: f for f in upload.files.all()}
    problems, chosen = [], {}
    for pk, typed in numbers.items():
        if pk not in files or not str(typed).strip():
            continue
        try:
            number = int(str(typed).strip())
        except ValueError:
            number = 0
        if number < 1 or number > 999:
            problems.append(f"{files[pk].name}：版次应为 1 到 999 的整数")
        chosen[pk] = number
    taken = Counter(
        chosen.get(pk, f.page_number) for pk, f in files.items() if chosen.get(pk, f.page_number)
    )
    problems += [f"第 {n} 版上传了 {c} 次" for n, c in sorted(taken.items()) if c > 1]
    if problems:
        raise UploadError(problems)
    for pk, number in chosen.items():
        files[pk].page_number = number
        files[pk].save(update_fields=["page_number"])


def may_handle_upload(user, upload: Upload) -> bool:
    """A staged upload belongs to its uploader; others need the explicit permission."""
    return upload.uploaded_by_id == user.pk or user.has_perm("articles.handle_others_upload")


def _check_may_handle(user, upload: Upload) -> None:
    if not may_handle_upload(user, upload):
        raise PermissionDenied("这次上传属于其他人")


def confirm_upload(
    upload: Upload, user, previewed: dict[int, str], *, banners_checked: bool = False
) -> list[IngestResult]:
    """Store every page in one transaction; if any page fails, nothing is stored.

    `previewed` maps each staged file's key to the SHA-256 of the archive's page as the preview
    showed it ("" for no page). Confirms of one date take turns on the issue's row; a page that
    another confirm (or an ingest) changed since the preview raises StalePreviewError, so
    nobody's page is replaced by someone who never saw it. A page whose printed page number
    or date differs from the upload's needs `banners_checked` (staff confirmed it) or nothing
    is stored.
    """
    _check_may_handle(user, upload)
    results = []
    with index_queue_transaction():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.status != Upload.Status.STAGED:
            raise UploadError([f"这次上传{upload.get_status_display()}，不能再确认"])
        files = staged_files(upload)
        missing = [f.name for f in files if f.page_number is None]
        if missing:
            raise UploadError([f"{name}：请先填写版次" for name in missing])
        issue = _locked_issue(upload.issue_date)
        stored = stored_page_digests(upload.issue_date)
        changed = [f for f in files if previewed.get(f.key) != stored.get(f.page_number, "")]
        if changed:
            raise StalePreviewError(
                [
                    f"第 {f.page_number} 版（{f.name}）在您预览之后已有变动（可能是其他人刚刚入库），"
                    "请核对下面更新后的预览，再决定是否确认"
                    for f in changed
                ]
            )
        for file in files:
            preview = preview_file(
                file,
                issue_date=upload.issue_date,
                dry_run=False,
                banners_checked=banners_checked,
                layout=stored_layout(upload.issue_date, file.page_number, file.layout),
            )
            if preview.result.outcome is Outcome.FAILED:
                # Leaving the atomic block with the error rolls back the pages stored so far.
                message = PARSE_MESSAGES.get(type(preview.error), preview.result.reason)
                raise UploadError([f"{file.name}：{message}；本期没有保存任何内容"])
            results.append(preview.result)
        if upload.issue_number is not None and issue.number != upload.issue_number:
            issue.number = upload.issue_number
            issue.save(update_fields=["number", "updated_at"])
        upload.issue = issue
        upload.status = Upload.Status.CONFIRMED
        upload.summary = {
            "pages": [
                {
                    "file": r.source,
                    "page": r.page_number,
                    "outcome": str(r.outcome),
                    "articles": r.articles,
                    "replaced_articles": r.replaced_articles,
                }
                for r in results
            ]
        }
        upload.save()
        upload.files.update(data=None, scan_data=None)
    return results


def _locked_issue(issue_date: datetime.date) -> Issue:
    """The issue of this date, created if need be, locked until the transaction ends.

    On PostgreSQL a second creator waits on the unique date until the first commits, then
    finds its row (get_or_create) and waits on the row lock; SQLite's write transactions
    already take turns (transaction_mode IMMEDIATE).
    """
    issue, _ = Issue.objects.get_or_create(date=issue_date)
    return Issue.objects.select_for_update().get(pk=issue.pk)


def cancel_upload(upload: Upload, user=None) -> None:
    """Drop the staged files; the record says it was cancelled. Without `user`, the system
    itself cancels (stale uploads)."""
    if user is not None:
        _check_may_handle(user, upload)
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.status != Upload.Status.STAGED:
            raise UploadError([f"这次上传{upload.get_status_display()}，不能再取消"])
        upload.files.all().delete()
        upload.status = Upload.Status.CANCELLED
        upload.save(update_fields=["status", "updated_at"])


def discard_stale_uploads(now: datetime.datetime | None = None) -> int:
    """Staged uploads nobody confirmed within STALE_AFTER are cancelled (their bytes dropped)."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = list(Upload.objects.filter(status=Upload.Status.STAGED, created_at__lt=cutoff))
    cancelled = 0
    for upload in stale:
        try:
            cancel_upload(upload)
        except UploadError:
            continue  # confirmed or cancelled by its uploader meanwhile
        cancelled += 1
    return cancelled
