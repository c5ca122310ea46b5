"""Staff upload of an issue through the admin: read the files, preview, then confirm or cancel.

Step 1 reads the uploaded `.txt` files (or one `.zip` of them), tells each page's number from
its name, parses and previews every page with the ingest service in a dry run, and stages the
bytes in an Upload. Nothing reaches the archive. Step 2 stores the whole issue in one
transaction through the same ingest service, or cancel drops the staged bytes. Messages are
for newsroom staff, in Chinese.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles import parsing
from articles.authority import find_organization
from articles.ingest import (
    PAGE_FILE_NAME,
    IngestResult,
    Outcome,
    PagePreview,
    parse_page_bytes,
    preview_page_bytes,
)
from articles.layout_service import stored_layout
from articles.models import Article, Credit, Issue, Person, Upload, UploadFile
from articles.search.indexing import apply_pending_updates_or_log, deferred_index_updates

PARSE_MESSAGES = {
    parsing.EmptyPageError: "文件是空的",
    parsing.BinaryContentError: "不是文本文件（内容是二进制数据）",
    parsing.UndecodableTextError: "无法识别文字编码：只接受 UTF-8（可带 BOM）或 GB18030",
    parsing.NoArticlesError: "没有找到任何文章",
}
STALE_AFTER = datetime.timedelta(days=1)


class UploadError(Exception):
    """Problems with the upload as a whole; each message is shown to staff in the form."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class PageFile:
    name: str
    data: bytes
    page_number: int | None = None
    key: int | None = None  # the staged UploadFile's pk
    layout: tuple[dict, ...] = ()  # layout corrections staff made in the preview


def read_page_files(uploads: list, archive=None) -> list[PageFile]:
    """The `.txt` files uploaded one by one and those inside an uploaded `.zip`."""
    limit = settings.NEWSARCHIVE_MAX_PAGE_BYTES
    problems, files = [], []
    for upload in uploads:
        if not upload.name.lower().endswith(".txt"):
            problems.append(f"{upload.name}：只接受 .txt 版面文件（或一个 .zip 压缩包）")
        elif upload.size > limit:
            problems.append(
                f"{upload.name}：文件 {upload.size:,} 字节，超过每版 {limit:,} 字节的上限"
            )
        else:
            files.append(PageFile(upload.name, upload.read()))
    if archive is not None:
        try:
            files.extend(_zip_members(archive))
        except UploadError as error:
            problems.extend(error.messages)
    if problems:
        raise UploadError(problems)
    if not files:
        raise UploadError(["请选择版面文件（.txt）或一个 .zip 压缩包"])
    return files


def _zip_members(archive) -> list[PageFile]:
    zip_limit = settings.NEWSARCHIVE_MAX_ZIP_BYTES
    page_limit = settings.NEWSARCHIVE_MAX_PAGE_BYTES
    max_members = settings.NEWSARCHIVE_MAX_ZIP_MEMBERS
    if archive.size > zip_limit:
        raise UploadError(
            [f"{archive.name}：压缩包 {archive.size:,} 字节，超过 {zip_limit:,} 字节的上限"]
        )
    try:
        bundle = zipfile.ZipFile(io.BytesIO(archive.read()))
        members = [info for info in bundle.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError):
        raise UploadError([f"{archive.name}：不是有效的 zip 压缩包"]) from None
    # Files that archivers add on their own are not pages.
    members = [
        m
        for m in members
        if not (
            m.filename.startswith("__MACOSX/") or PurePosixPath(m.filename).name.startswith(".")
        )
    ]
    if len(members) > max_members:
        raise UploadError(
            [f"{archive.name}：压缩包内有 {len(members)} 个文件，最多 {max_members} 个"]
        )
    problems, files = [], []
    for member in members:
        path = PurePosixPath(member.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or ":" in path.parts[0]:
            problems.append(f"{member.filename}：压缩包内的路径指向包外，已拒绝")
        elif path.suffix.lower() == ".zip":
            problems.append(f"{member.filename}：压缩包里不能再套压缩包")
        elif path.suffix.lower() != ".txt":
            problems.append(f"{member.filename}：压缩包内只能有 .txt 版面文件")
        elif member.file_size > page_limit:
            problems.append(
                f"{member.filename}：文件 {member.file_size:,} 字节，超过每版 {page_limit:,} 字节的上限"
            )
        else:
            with bundle.open(member) as stream:
                # Read one byte past the limit: a size in the header can lie (zip bombs).
                data = stream.read(page_limit + 1)
            if len(data) > page_limit:
                problems.append(f"{member.filename}：解压后超过每版 {page_limit:,} 字节的上限")
            else:
                files.append(PageFile(path.name, data))
    if problems:
        raise UploadError(problems)
    return files


def number_pages(
    files: list[PageFile], issue_date: datetime.date, page_number: int | None = None
) -> list[PageFile]:
    """Each file with its page number: from `PP.txt` or `YYYY-MM-DD_PP.txt`, or `page_number`
    for a single file; a file whose name gives none keeps None, for staff to enter on the
    preview (`renumber_upload`). The date in a name must be the issue's; no page may come twice."""
    if page_number is not None and len(files) != 1:
        raise UploadError(
            ["“版次”只能用于上传单个文件；多个文件请按 02.txt 或 2024-03-12_02.txt 命名"]
        )
    problems, numbered = [], []
    for file in files:
        match = PAGE_FILE_NAME.match(file.name)
        number = page_number if page_number is not None else (int(match["page"]) if match else None)
        if match and match["date"] and match["date"] != issue_date.isoformat():
            problems.append(
                f"{file.name}：文件名中的日期与本期日期 {issue_date.isoformat()} 不一致"
            )
        elif number is not None and number < 1:
            problems.append(f"{file.name}：版次必须从 1 开始")
        else:
            numbered.append(PageFile(file.name, file.data, number))
    counts = Counter(file.page_number for file in numbered if file.page_number is not None)
    for number, count in sorted(counts.items()):
        if count > 1:
            names = "、".join(f.name for f in numbered if f.page_number == number)
            problems.append(f"第 {number} 版上传了 {count} 次（{names}）")
    if problems:
        raise UploadError(problems)
    return sorted(numbered, key=lambda file: (file.page_number is None, file.page_number or 0))


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
    reviews = []
    for file in files:
        if file.page_number is None:
            # Which page it replaces is unknown until staff give its number: parse only.
            preview = parse_page_bytes(file.data, source=file.name)
        else:
            preview = preview_page_bytes(
                file.data,
                issue_date=issue_date,
                page_number=file.page_number,
                source=file.name,
                layout=stored_layout(issue_date, file.page_number, file.layout),
            )
        articles = [_review_article(a) for a in preview.parsed.articles] if preview.parsed else []
        reviews.append(PageReview(file, preview, articles))
    return reviews


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
                upload=upload, name=f.name, page_number=f.page_number, size=len(f.data), data=f.data
            )
            for f in files
        )
    return upload


def staged_files(upload: Upload) -> list[PageFile]:
    return [
        PageFile(f.name, bytes(f.data), f.page_number, f.pk, tuple(f.layout_corrections))
        for f in upload.files.all()
    ]


def renumber_upload(upload: Upload, numbers: dict[int, str]) -> None:
    """Set the page numbers staff entered on the preview ({UploadFile pk: number typed})."""
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


def confirm_upload(upload: Upload, *, banners_checked: bool = False) -> list[IngestResult]:
    """Store every page in one transaction; if any page fails, nothing is stored. A page whose
    printed page number or date differs from the upload's needs `banners_checked` (staff
    confirmed it) or nothing is stored."""
    if upload.status != Upload.Status.STAGED:
        raise UploadError(["这次上传已经处理过了"])
    missing = [f.name for f in upload.files.all() if f.page_number is None]
    if missing:
        raise UploadError([f"{name}：请先填写版次" for name in missing])
    results = []
    with deferred_index_updates(), transaction.atomic():
        for file in staged_files(upload):
            preview = preview_page_bytes(
                file.data,
                issue_date=upload.issue_date,
                page_number=file.page_number,
                source=file.name,
                dry_run=False,
                banners_checked=banners_checked,
                layout=stored_layout(upload.issue_date, file.page_number, file.layout),
            )
            if preview.result.outcome is Outcome.FAILED:
                # Leaving the atomic block with the error rolls back the pages stored so far.
                message = PARSE_MESSAGES.get(type(preview.error), preview.result.reason)
                raise UploadError([f"{file.name}：{message}；本期没有保存任何内容"])
            results.append(preview.result)
        issue = Issue.objects.get(date=upload.issue_date)
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
        upload.files.update(data=None)
    apply_pending_updates_or_log()
    return results


def cancel_upload(upload: Upload) -> None:
    """Drop the staged files; the record says it was cancelled."""
    with transaction.atomic():
        upload.files.all().delete()
        upload.status = Upload.Status.CANCELLED
        upload.save(update_fields=["status", "updated_at"])


def discard_stale_uploads(now: datetime.datetime | None = None) -> int:
    """Staged uploads nobody confirmed within STALE_AFTER are cancelled (their bytes dropped)."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = list(Upload.objects.filter(status=Upload.Status.STAGED, created_at__lt=cutoff))
    for upload in stale:
        cancel_upload(upload)
    return len(stale)
