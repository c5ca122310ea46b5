"""Staff upload of an issue through the admin: read the files, preview, then confirm or cancel.

Step 1 reads the uploaded `.txt` files (or one `.zip` of them; articles/upload_files.py), tells
each page's number from its name, stages the bytes in an Upload and starts parsing them
(articles/upload_jobs.py, in the background); once parsed, the preview
(articles/upload_review.py) shows what storing them would do, in a dry run of the ingest
service. Nothing reaches the archive. Step 2 stores the whole issue in one transaction
through the same ingest service, or cancel drops the staged bytes. Messages are for newsroom
staff, in Chinese.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
from collections import Counter
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.identity import retirement_at_the_end
from articles.index_queue import index_queue_transaction
from articles.ingest import IngestResult, Outcome
from articles.layout_service import add_staged_correction, remove_staged_correction
from articles.models import Upload, UploadFile
from articles.row_locks import locked_issue
from articles.upload_files import PageFile, UploadError, staged_page
from articles.upload_jobs import parse_problems, start_parse_job
from articles.upload_review import (
    PARSE_MESSAGES,
    incoming_articles,
    stored_page_digests,
    upload_layouts,
)
from articles.upload_scans import preview_file

STALE_AFTER = datetime.timedelta(days=1)


class StalePreviewError(UploadError):
    """A page changed in the archive after this preview was shown: staff must look again."""


def stage_upload(
    user, issue_date: datetime.date, issue_number: int | None, files: list[PageFile]
) -> Upload:
    """Keep the files for the confirm step and start parsing them (articles/upload_jobs.py:
    in the background, once committed, or here); also drops stale staged uploads."""
    discard_stale_uploads()
    with transaction.atomic():
        upload = Upload.objects.create(
            issue_date=issue_date,
            issue_number=issue_number,
            uploaded_by=user,
            pages_total=len(files),
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
    if settings.UPLOAD_PARSE_IN_BACKGROUND:
        # The thread reads the staged rows on its own connection: only once they are committed.
        transaction.on_commit(functools.partial(start_parse_job, upload.pk))
    else:
        start_parse_job(upload.pk)
    return upload


def staged_files(upload: Upload) -> list[PageFile]:
    return [staged_page(f) for f in upload.files.all()]


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


def correct_staged_file(upload: Upload, user, key: int, correction: dict) -> None:
    """Keep a layout correction on one of the upload's staged files (LayoutCorrectionError when
    it does not fit the page). A change to the upload like confirm: only who may confirm it."""
    with _staged_file(upload, user, key) as file:
        add_staged_correction(file, upload.issue_date, correction)


def undo_staged_correction(upload: Upload, user, key: int, index: int, text: str) -> None:
    """Remove the `index`-th layout correction of one of the upload's staged files, on the line
    `text` (LayoutCorrectionError when the list changed meanwhile); like correcting, only who
    may confirm the upload."""
    with _staged_file(upload, user, key) as file:
        remove_staged_correction(file, index, text)


@contextlib.contextmanager
def _staged_file(upload: Upload, user, key: int) -> Iterator[UploadFile]:
    """One of the upload's staged files, inside a transaction holding the upload's row."""
    _check_may_handle(user, upload)
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.status != Upload.Status.STAGED:
            raise UploadError([f"这次上传{upload.get_status_display()}，不能再校正版面"])
        file = upload.files.filter(pk=key).first()
        if file is None:
            raise UploadError(["无法校正：找不到这一行所在的版面"])
        yield file


def may_handle_upload(user, upload: Upload) -> bool:
    """A staged upload belongs to its uploader; others need the explicit permission."""
    return upload.uploaded_by_id == user.pk or user.has_perm("articles.handle_others_upload")


def _check_may_handle(user, upload: Upload) -> None:
    if not may_handle_upload(user, upload):
        raise PermissionDenied("这次上传属于其他人")


def confirm_upload(
    upload: Upload,
    user,
    previewed: dict[int, str],
    *,
    banners_checked: bool = False,
    choices: dict[str, str] | None = None,
) -> list[IngestResult]:
    """Store every page in one transaction; if any page fails, nothing is stored.

    `previewed` maps each staged file's key to the SHA-256 of the archive's page as the preview
    showed it ("" for no page). Confirms of one date take turns on the issue's row; a page that
    another confirm (or an ingest) changed since the preview raises StalePreviewError, so
    nobody's page is replaced by someone who never saw it. A page whose printed page number
    or date differs from the upload's needs `banners_checked` (staff confirmed it) or nothing
    is stored. `choices` ({Conflict.key: "keep" or "parse"}, from the preview) settles each
    staff correction whose parse the new file changed; a correction is kept by default.
    """
    _check_may_handle(user, upload)
    results = []
    with index_queue_transaction():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.status != Upload.Status.STAGED:
            raise UploadError([f"这次上传{upload.get_status_display()}，不能再确认"])
        if unconfirmable := parse_problems(upload):
            raise UploadError(unconfirmable)
        files = staged_files(upload)
        missing = [f.name for f in files if f.page_number is None]
        if missing:
            raise UploadError([f"{name}：请先填写版次" for name in missing])
        issue = locked_issue(upload.issue_date)
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
        # an article moving to another page of the issue keeps its id
        layouts = upload_layouts(files, upload.issue_date)  # a moved line's correction follows
        with retirement_at_the_end(incoming_articles(files, upload.issue_date, layouts)):
            for file in files:
                preview = preview_file(
                    file,
                    issue_date=upload.issue_date,
                    dry_run=False,
                    banners_checked=banners_checked,
                    layout=layouts.get(file.page_number, file.layout),
                    user=user,  # who confirmed the page's layout corrections
                    choices=choices,
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
