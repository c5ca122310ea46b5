"""Writers of the same issue, page and article at once take turns: neither fails on a deadlock
or a duplicate row. Two actors, each a thread with its own database connection; on PostgreSQL
(DATABASE_URL) the windows are made to overlap, on SQLite write transactions take turns."""

import datetime
import threading

import pytest
from django.db import DatabaseError, IntegrityError, connection
from django.urls import reverse

from articles import ingest
from articles.models import Article, Issue, Page, RetiredArticle
from articles.upload import (
    StalePreviewError,
    confirm_upload,
    stage_upload,
    staged_files,
)
from articles.upload_files import PageFile
from articles.upload_review import summarize_pages

from .conftest import DATA
from .test_corrections import opened, save
from .test_identity import SEED_DATE, split_out

SEED = (DATA / "seed_page.txt").read_text(encoding="utf-8")
GONE = "工余时间"  # the article the re-upload no longer has


def backend_pid() -> int | None:
    """This thread's PostgreSQL backend, to watch for its lock waits; None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def until_waiting_for_a_lock(pid: int | None) -> None:
    """Return once PostgreSQL backend `pid` waits for a row lock (at most ~10 s); on SQLite
    at once, where the other writer waits for the whole database anyway."""
    if pid is None:
        return
    with connection.cursor() as cursor:
        for _ in range(1000):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [pid])
            if cursor.fetchone()[0]:
                return
            cursor.execute("SELECT pg_sleep(0.01)")
    raise AssertionError(f"backend {pid} never waited for a lock")


def told_the_article_is_gone(response) -> bool:
    """The form again with the reason (the article went while the save waited for it), or, when
    it had gone before the admin read it (SQLite: the whole save waited), Django's redirect
    saying it no longer exists."""
    if response.status_code == 200:
        return "已被撤下" in response.content.decode()
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def run_together(*actors) -> list[Exception]:
    """Run each actor in a thread of its own; what they raised, in no particular order."""
    raised: list[Exception] = []

    def run(actor) -> None:
        try:
            actor()
        except (DatabaseError, IntegrityError, AssertionError) as error:
            raised.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return raised


@pytest.mark.django_db(transaction=True)
def test_an_admin_save_during_a_reupload_that_retires_the_article_waits_then_is_told(
    seed_page, editors, monkeypatch
):
    """The re-upload holds the page when the editor saves an article it is about to retire:
    the save waits, then is refused with a reason; neither fails on a deadlock."""
    zhang, _ = editors
    article = Article.objects.get(headline__startswith=GONE)
    credit = article.credits.get()
    form = opened(zhang, article) | {"credits-TOTAL_FORMS": "1", "credits-INITIAL_FORMS": "1"}
    form |= {
        "credits-0-id": credit.pk,
        "credits-0-article": article.pk,
        "credits-0-seq": credit.seq,
        "credits-0-person": credit.person_id,
        "credits-0-role": "correspondent",
    }
    reupload = split_out(SEED, GONE, "经开区总工会")[0]
    reupload_holds_the_page, admin_pid = threading.Event(), []
    admin_started = threading.Event()
    sync_articles = ingest.sync_articles

    def sync_once_the_admin_waits(*args, **kwargs):
        reupload_holds_the_page.set()
        admin_started.wait(10)
        until_waiting_for_a_lock(admin_pid[0] if admin_pid else None)
        return sync_articles(*args, **kwargs)

    monkeypatch.setattr(ingest, "sync_articles", sync_once_the_admin_waits)
    outcomes, pages = [], []

    def reupload_page() -> None:
        result = ingest.ingest_page_bytes(
            reupload.encode(), issue_date=SEED_DATE, page_number=2, source="02.txt"
        )
        outcomes.append(result.outcome)

    def admin_save() -> None:
        reupload_holds_the_page.wait(10)
        admin_pid.append(backend_pid())
        admin_started.set()
        pages.append(save(zhang, article, form, headline="编辑改过的标题"))

    assert run_together(reupload_page, admin_save) == []
    assert outcomes == [ingest.Outcome.REPLACED]
    assert told_the_article_is_gone(pages[0])
    assert RetiredArticle.objects.get(article_id=article.pk).headline.startswith(GONE)
    assert not Article.objects.filter(pk=article.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(4))
def test_an_ingest_and_a_confirm_of_a_new_date_store_the_page_once(django_user_model, round_):
    day = datetime.date(2024, 4, 1) + datetime.timedelta(days=round_)
    editor = django_user_model.objects.create_user("editor")
    upload = stage_upload(editor, day, None, [PageFile("02.txt", SEED.encode(), 2)])
    previewed = {r.file.key: r.stored_sha256 for r in summarize_pages(staged_files(upload), day)}
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm() -> None:
        start.wait()
        try:
            confirm_upload(upload, editor, previewed)
            outcomes.append("confirmed")
        except StalePreviewError:
            outcomes.append("confirm must re-preview")

    def ingest_other() -> None:
        start.wait()
        other = SEED.replace("研修班", "培训班").encode()
        result = ingest.ingest_page_bytes(other, issue_date=day, page_number=2, source="02.txt")
        outcomes.append(f"ingest {result.outcome}")

    assert run_together(confirm, ingest_other) == []
    assert sorted(outcomes) in (
        ["confirmed", "ingest replaced"],  # the confirm first: the ingest replaces its page
        ["confirm must re-preview", "ingest created"],  # the ingest first
    )
    assert (Issue.objects.filter(date=day).count(), Page.objects.count()) == (1, 1)
