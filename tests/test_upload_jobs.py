"""The background parse of an upload's pages: the form answers at once, the preview shows
progress, a dead job is claimed again by one worker only, cancel stops it, confirm waits."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from articles import upload_jobs
from articles.models import Issue, Upload
from articles.upload import cancel_upload, confirm_upload, stage_upload
from articles.upload_files import PageFile, UploadError
from articles.upload_jobs import claim_parse_job, run_parse_job

from .conftest import DATA
from .test_admin_upload import confirm, post_upload, txt
from .test_upload_concurrency import editor_client

DAY = datetime.date(2024, 3, 12)
SEED = (DATA / "seed_page.txt").read_bytes()
OTHER = SEED.replace("研修班".encode(), "培训班".encode())
LONG_AGO = timezone.now() - datetime.timedelta(hours=1)


@pytest.fixture
def editor(client, django_user_model):
    return editor_client(type(client), django_user_model, "editor")


def chief_editor(django_user_model, name: str) -> Client:
    """A logged-in superuser (transactional tests flush the 编辑 group the migrations made)."""
    client = Client()
    client.user = django_user_model.objects.create_superuser(name, f"{name}@example.org", "pw")
    client.force_login(client.user)
    return client


@pytest.fixture
def in_the_background(settings):
    settings.UPLOAD_PARSE_IN_BACKGROUND = True


def staged_in_the_background(client, django_capture_on_commit_callbacks) -> str:
    """Two pages staged through the form, their parse left for after the commit (not run)."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_upload(client, [txt("02.txt", SEED), txt("03.txt", OTHER)])
    assert len(callbacks) == 1  # the job's start, once the staged rows are committed
    return response["Location"]


@pytest.mark.django_db
def test_in_the_background_the_form_answers_before_any_page_is_parsed(
    editor, in_the_background, django_capture_on_commit_callbacks, monkeypatch
):
    parsed = []
    monkeypatch.setattr(upload_jobs, "unreadable_pages", parsed.append)
    url = staged_in_the_background(editor, django_capture_on_commit_callbacks)
    upload = Upload.objects.get()
    assert url.endswith(f"/upload/{upload.pk}/")
    assert (upload.parse_state, upload.pages_parsed, upload.pages_total) == ("pending", 0, 2)
    assert parsed == []


@pytest.mark.django_db
def test_while_the_pages_are_parsed_the_preview_says_how_far_and_reloads_itself(
    editor, in_the_background, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    url = staged_in_the_background(editor, django_capture_on_commit_callbacks)
    upload = Upload.objects.get()
    claim_parse_job(upload.pk)  # a live runner elsewhere, one page done
    Upload.objects.filter(pk=upload.pk).update(pages_parsed=1)

    with django_assert_max_num_queries(5):  # polled every 2 s: reads only
        html = editor.get(url).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert 'role="status" aria-live="polite"' in html
    assert "正在后台解析版面：已完成 <strong>1 / 2</strong> 个版面" in html
    assert 'value="确认入库"' not in html and 'value="停止解析并丢弃"' in html
    assert Upload.objects.get().pages_parsed == 1  # the view started no second runner


@pytest.mark.django_db
def test_a_confirm_while_the_pages_are_parsed_is_refused_and_stores_nothing(
    editor, in_the_background, django_capture_on_commit_callbacks
):
    url = staged_in_the_background(editor, django_capture_on_commit_callbacks)
    claim_parse_job(Upload.objects.get().pk)
    response = editor.post(url, {"confirm": "1"}, follow=True)
    said = [m.message for m in response.context["messages"]]
    assert said == ["版面还在解析中（已解析 0 / 2 个版面），解析完成并核对预览后才能确认入库"]
    assert response.redirect_chain[-1][0] == url
    assert (Upload.objects.get().status, Issue.objects.count()) == ("staged", 0)


@pytest.mark.django_db
def test_the_service_refuses_to_confirm_an_upload_whose_parse_never_ran(django_user_model):
    user = django_user_model.objects.create_user("editor")
    upload = stage_upload(user, DAY, None, [PageFile("02.txt", SEED, 2)])
    Upload.objects.filter(pk=upload.pk).update(parse_state=Upload.ParseState.PENDING)
    with pytest.raises(UploadError, match="版面还在解析中"):
        confirm_upload(upload, user, {upload.files.get().pk: ""})
    assert not Issue.objects.exists()


@pytest.mark.django_db
def test_cancel_while_parsing_stops_the_job_after_the_page_in_hand(
    editor, in_the_background, django_capture_on_commit_callbacks, monkeypatch
):
    staged_in_the_background(editor, django_capture_on_commit_callbacks)
    upload = Upload.objects.get()
    runner = claim_parse_job(upload.pk)
    parsed = []

    def editor_cancels_during_the_first_page(files):
        parsed.extend(f.name for f in files)
        cancel_upload(upload, upload.uploaded_by)
        return []

    monkeypatch.setattr(upload_jobs, "unreadable_pages", editor_cancels_during_the_first_page)
    assert run_parse_job(upload.pk, runner) is False
    upload.refresh_from_db()
    assert parsed == ["02.txt"]
    assert (upload.status, upload.files.count(), upload.pages_parsed) == ("cancelled", 0, 0)


@pytest.mark.django_db
def test_a_job_whose_process_died_is_run_again_by_the_next_view_and_the_old_runner_stops(
    editor, in_the_background, django_capture_on_commit_callbacks, settings
):
    url = staged_in_the_background(editor, django_capture_on_commit_callbacks)
    upload = Upload.objects.get()
    dead = claim_parse_job(upload.pk, now=LONG_AGO)  # its heartbeat is an hour old
    settings.UPLOAD_PARSE_IN_BACKGROUND = False  # the view's new run, here rather than a thread

    html = editor.get(url).content.decode()
    assert html.count("新版面：将新增 7 篇文章") == 2 and 'value="确认入库"' in html
    upload.refresh_from_db()
    assert (upload.parse_state, upload.pages_parsed) == ("ready", 2)
    assert upload.parse_runner != dead
    assert run_parse_job(upload.pk, dead) is False  # it wakes up: the job is no longer its
    assert confirm(editor, url).status_code == 302 and Issue.objects.count() == 1


@pytest.mark.django_db
def test_a_live_job_is_not_claimed_again(django_user_model):
    user = django_user_model.objects.create_user("editor")
    upload = stage_upload(user, DAY, None, [PageFile("02.txt", SEED, 2)])
    Upload.objects.filter(pk=upload.pk).update(parse_state=Upload.ParseState.PENDING)
    assert claim_parse_job(upload.pk) is not None
    assert claim_parse_job(upload.pk) is None  # its heartbeat is fresh
    later = timezone.now() + datetime.timedelta(minutes=10)
    assert claim_parse_job(upload.pk, now=later) is not None  # stale by then


@pytest.mark.django_db(transaction=True)
def test_two_workers_viewing_a_dead_jobs_preview_at_once_run_it_once(
    django_user_model, monkeypatch
):
    owner, watcher = (
        chief_editor(django_user_model, "chief_a"),
        chief_editor(django_user_model, "chief_b"),
    )
    upload = stage_upload(owner.user, DAY, None, [PageFile("02.txt", SEED, 2)])
    Upload.objects.filter(pk=upload.pk).update(
        parse_state=Upload.ParseState.PARSING, parse_runner="dead", parse_heartbeat=LONG_AGO
    )
    runs = []
    run = upload_jobs.run_parse_job

    def counted(upload_id, runner):
        runs.append(runner)
        return run(upload_id, runner)

    monkeypatch.setattr(upload_jobs, "run_parse_job", counted)
    url = f"/admin/articles/issue/upload/{upload.pk}/"
    start = threading.Barrier(2)
    pages: list[str] = []

    def view(worker) -> None:
        try:
            start.wait()
            pages.append(worker.get(url).content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=view, args=(w,)) for w in (owner, watcher)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(runs) == 1
    assert Upload.objects.get().parse_state == "ready"
    # The other one saw the job running or already done: no page failed.
    assert all("正在后台解析" in p or "新版面" in p for p in pages) and len(pages) == 2


@pytest.mark.django_db(transaction=True)
def test_a_job_that_crashes_in_its_thread_says_so_on_the_preview(django_user_model, monkeypatch):
    owner = chief_editor(django_user_model, "chief")
    upload = stage_upload(owner.user, DAY, None, [PageFile("02.txt", SEED, 2)])
    Upload.objects.filter(pk=upload.pk).update(parse_state=Upload.ParseState.PENDING)
    runner = claim_parse_job(upload.pk)

    def bug(files):
        raise RuntimeError("a bug in the parser")

    monkeypatch.setattr(upload_jobs, "unreadable_pages", bug)
    thread = threading.Thread(target=upload_jobs._run_in_thread, args=(upload.pk, runner))
    thread.start()
    thread.join()

    upload.refresh_from_db()
    assert (upload.parse_state, upload.parse_errors) == ("failed", [upload_jobs.CRASHED])
    html = owner.get(f"/admin/articles/issue/upload/{upload.pk}/").content.decode()
    assert upload_jobs.CRASHED in html and 'value="确认入库"' not in html


def test_the_forms_cheap_check_decodes_texts_and_leaves_pdfs_to_the_job():
    files = [
        PageFile("02.txt", SEED, 2),
        PageFile("03.txt", b"\xff\xfe\x00\x00" * 10, 3),
        PageFile("04.pdf", b"", 4, scan_name="04.pdf", scan=b"not even a pdf"),
    ]
    assert upload_jobs.undecodable_pages(files) == ["03.txt：不是文本文件（内容是二进制数据）"]
