"""An upload's pages parsed in the background, so the upload form answers at once.

The form checks only what is cheap (sizes, the zip, each text's decoding: `undecodable_pages`)
and stages the bytes; `stage_upload` then starts the parse: after the commit, in a thread of the
web process (UPLOAD_PARSE_IN_BACKGROUND, the default without DEBUG), else at once in the
request. No broker: the job's state is kept on the Upload row (parse state, pages parsed of
pages total, each page's problem, a heartbeat), so any gunicorn worker shows its progress.

Each job run holds a random token (`parse_runner`), written by a conditional UPDATE that only
an unclaimed job (pending, or parsing with a heartbeat older than UPLOAD_PARSE_STALE_SECONDS:
its process died) passes, so two workers never run one job; every report of progress is an
UPDATE on that token, so a runner whose job was cancelled, or claimed again after it stalled,
stops at its next page. The parses land in Django's cache (upload_review.parsed_page), where
the preview reads them.
"""

from __future__ import annotations

import datetime
import logging
import threading
import uuid

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from articles import parsing
from articles.models import Upload, UploadFile
from articles.page_images import is_scan_name
from articles.upload_files import PageFile, staged_page
from articles.upload_review import PARSE_MESSAGES, unreadable_pages

logger = logging.getLogger(__name__)

CRASHED = "解析程序出错（已记入服务器日志），请取消这次上传后重新上传；如仍出错请联系管理员"


def undecodable_pages(files: list[PageFile]) -> list[str]:
    """One message per text that is empty, binary or in an unknown encoding, naming its file:
    cheap enough for the form (no parse)."""
    problems = []
    for file in files:
        if is_scan_name(file.name) and not file.data:
            continue  # a PDF or image: opened by the job
        try:
            parsing.decode_page(file.data)
        except parsing.ParseError as error:
            problems.append(f"{file.name}：{PARSE_MESSAGES.get(type(error), str(error))}")
    return problems


def start_parse_job(upload_id: int, now: datetime.datetime | None = None) -> bool:
    """Claim the upload's parse if nobody runs it, then run it (in a thread, or here); False
    when it is done or another live runner has it."""
    runner = claim_parse_job(upload_id, now)
    if runner is None:
        return False
    if settings.UPLOAD_PARSE_IN_BACKGROUND:
        thread = threading.Thread(
            target=_run_in_thread, args=(upload_id, runner), name=f"upload-parse-{upload_id}"
        )
        thread.daemon = True  # a dying process leaves a stale heartbeat, claimed again
        thread.start()
    else:
        run_parse_job(upload_id, runner)
    return True


def claim_parse_job(upload_id: int, now: datetime.datetime | None = None) -> str | None:
    """The new runner's token, or None: one conditional UPDATE, so of two workers claiming
    the same job at once one gets it."""
    now = now or timezone.now()
    unclaimed = Q(parse_state=Upload.ParseState.PENDING) | Q(
        parse_state=Upload.ParseState.PARSING, parse_heartbeat__lt=_stale(now)
    )
    runner = uuid.uuid4().hex
    claimed = Upload.objects.filter(unclaimed, pk=upload_id, status=Upload.Status.STAGED).update(
        parse_state=Upload.ParseState.PARSING,
        parse_runner=runner,
        parse_heartbeat=now,
        pages_parsed=0,
        pages_total=UploadFile.objects.filter(upload_id=upload_id).count(),
        parse_errors=[],
    )
    return runner if claimed else None


def run_parse_job(upload_id: int, runner: str) -> bool:
    """Parse the staged pages one by one, reporting after each; False when the job was taken
    from this runner (cancelled, or claimed again) and stopped."""
    keys = (
        UploadFile.objects.filter(upload_id=upload_id).order_by("pk").values_list("pk", flat=True)
    )
    problems: list[str] = []
    for done, key in enumerate(list(keys), start=1):
        file = UploadFile.objects.filter(pk=key).first()
        if file is None:  # cancelled: the staged files are gone
            return False
        problems += unreadable_pages([staged_page(file)])
        if not _report(upload_id, runner, pages_parsed=done, parse_errors=problems):
            return False
    return _report(upload_id, runner, parse_state=Upload.ParseState.READY)


def _stale(now: datetime.datetime) -> datetime.datetime:
    """Heartbeats older than this are a dead runner's."""
    return now - datetime.timedelta(seconds=settings.UPLOAD_PARSE_STALE_SECONDS)


def _report(upload_id: int, runner: str, **progress) -> bool:
    """Write progress and a heartbeat, if the job is still this runner's."""
    return bool(
        Upload.objects.filter(
            pk=upload_id,
            status=Upload.Status.STAGED,
            parse_state=Upload.ParseState.PARSING,
            parse_runner=runner,
        ).update(parse_heartbeat=timezone.now(), **progress)
    )


def _run_in_thread(upload_id: int, runner: str) -> None:
    try:
        run_parse_job(upload_id, runner)
    except Exception:
        # Else the thread dies silently and the preview says 正在解析 until the job goes stale,
        # then crashes again: the editor is told, the server log has the traceback.
        logger.exception("upload %s: the background parse failed", upload_id)
        _report(upload_id, runner, parse_state=Upload.ParseState.FAILED, parse_errors=[CRASHED])
    finally:
        connection.close()


def resume_parse_job(upload: Upload, now: datetime.datetime | None = None) -> Upload:
    """The upload with its parse as it stands, after starting it again if nobody runs it (never
    started, or its process died): what each view of the preview calls."""
    now = now or timezone.now()
    unclaimed = upload.parse_state == Upload.ParseState.PENDING or (
        upload.parse_state == Upload.ParseState.PARSING and upload.parse_heartbeat < _stale(now)
    )
    # Polled every few seconds while a job runs: a live job costs a read, not a write.
    if upload.status == Upload.Status.STAGED and unclaimed:
        start_parse_job(upload.pk, now)
        upload.refresh_from_db()
    return upload


def parse_finished(upload: Upload) -> bool:
    return upload.parse_state in (Upload.ParseState.READY, Upload.ParseState.FAILED)


def parse_problems(upload: Upload) -> list[str]:
    """Why the upload cannot be confirmed yet as far as its parse goes ([] when it can)."""
    if not parse_finished(upload):
        return [
            f"版面还在解析中（已解析 {upload.pages_parsed} / {upload.pages_total} 个版面），"
            "解析完成并核对预览后才能确认入库"
        ]
    return [f"{problem}；不能入库，请取消后修正文件再上传" for problem in upload.parse_errors]
