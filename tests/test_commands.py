import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from haystack import connections
from haystack.query import SearchQuerySet

from articles.models import Article, Page, PendingIndexUpdate
from articles.search.indexing import IndexWorker, apply_pending_updates

from .conftest import DATA
from .factories import as_if_parsed
from .printed_pages import scan_like_pdf


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def issue_dir(tmp_path):
    """A directory with the seed page in a nested folder, as staff might keep an issue."""
    folder = tmp_path / "2024" / "03"
    folder.mkdir(parents=True)
    shutil.copy(DATA / "seed_page.txt", folder / "2024-03-12_02.txt")
    return tmp_path


def test_parse_page_json_scores_full_on_the_seed(check_parse, seed_expected):
    out, _ = run("parse_page", str(DATA / "seed_page.txt"), "--json")

    failures, total = check_parse.score(seed_expected, json.loads(out))

    assert (failures, total) == ([], 81)


def test_parse_page_summary_lists_every_article():
    out, _ = run("parse_page", str(DATA / "seed_page.txt"))

    assert out.count("[news]") == 5
    assert out.count("[photo]") == 2
    assert "孙丹(correspondent)" in out


def test_parse_page_reads_a_pdf_through_its_text_layer(
    tmp_path, printed_seed, check_parse, seed_expected
):
    path = tmp_path / "2024-03-12_02.pdf"
    path.write_bytes(printed_seed)
    out, _ = run("parse_page", str(path), "--json")
    failures, checks = check_parse.score(seed_expected, json.loads(out))
    assert checks - len(failures) >= 0.95 * checks, failures


def test_parse_page_of_a_pdf_without_text_layer_says_the_text_must_come_as_txt(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan_like_pdf())
    with pytest.raises(CommandError, match=r"本版文字请以 \.txt 上传"):
        run("parse_page", str(path))


def test_parse_page_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run("parse_page", str(tmp_path / "missing.txt"))


@pytest.mark.django_db
def test_ingest_command_walks_directories_and_summarises(issue_dir):
    out, _ = run("ingest", str(issue_dir))

    assert "1 pages (1 new, 0 replaced), 7 articles" in out
    assert "0 failed" in out
    assert Article.objects.count() == 7


def indexed_count() -> int:
    return SearchQuerySet().models(Article).count()


@pytest.mark.django_db
def test_ingest_command_updates_the_search_index_once_at_the_end(issue_dir):
    out, _ = run("ingest", str(issue_dir))

    assert "search index: 7 articles updated" in out
    assert indexed_count() == 7
    assert not PendingIndexUpdate.objects.exists()


@pytest.mark.django_db
def test_ingest_command_keeps_updates_queued_when_the_index_is_locked(issue_dir):
    backend = connections["default"].get_backend()
    backend.setup()
    backend.write_timeout = 0.1
    foreign_writer = backend.index.writer()
    try:
        with pytest.raises(CommandError, match="7 articles stay queued"):
            run("ingest", str(issue_dir))
    finally:
        foreign_writer.cancel()
    assert Article.objects.count() == 7

    out, _ = run("update_index")

    assert "search index: 7 articles updated" in out
    assert indexed_count() == 7


@pytest.mark.django_db
def test_ingest_command_succeeds_when_another_writer_indexed_its_work(issue_dir, monkeypatch):
    """The index worker (or a request) applied the queue while this command waited for the
    index's lock: its wait timed out, but nothing of its work is left unindexed."""
    from whoosh.index import LockError

    from articles.management import search_index

    def another_writer_applies_then_the_lock_times_out():
        apply_pending_updates()
        raise LockError("timed out waiting for the index lock")

    monkeypatch.setattr(
        search_index, "apply_pending_updates", another_writer_applies_then_the_lock_times_out
    )
    out, _ = run("ingest", str(issue_dir))
    assert "search index: 7 articles updated by another writer" in out
    assert indexed_count() == 7


@pytest.mark.django_db
def test_rebuild_index_indexes_every_article(issue_dir):
    run("ingest", str(issue_dir))
    backend = connections["default"].get_backend()
    backend.clear()
    assert indexed_count() == 0

    out, _ = run("rebuild_index", "--noinput")

    assert "Indexing 7" in out
    assert indexed_count() == 7


@pytest.mark.django_db
def test_ingest_command_twice_leaves_counts_unchanged(issue_dir):
    run("ingest", str(issue_dir))

    out, _ = run("ingest", str(issue_dir))

    assert "1 skipped (unchanged)" in out
    assert (Page.objects.count(), Article.objects.count()) == (1, 7)


@pytest.mark.django_db
def test_ingest_command_finishes_other_files_then_fails(issue_dir):
    (issue_dir / "2024-03-12_03.txt").write_bytes(b"\x00\x01\x02" * 100)
    (issue_dir / "2024-03-12_04.txt").write_bytes(b"")
    (issue_dir / "scan.txt").write_text("本报讯（记者 边磊）近日。", encoding="utf-8")

    with pytest.raises(CommandError, match="3 of 4 files failed") as excinfo:
        call_command("ingest", str(issue_dir), stdout=io.StringIO(), stderr=(err := io.StringIO()))

    lines = err.getvalue().splitlines()
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in lines] == [
        "2024-03-12_03.txt",
        "2024-03-12_04.txt",
        "scan.txt",
    ]
    assert excinfo.value.returncode == 1
    assert (Page.objects.count(), Article.objects.count()) == (1, 7)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("0001-01-01_02.txt", []),
        ("1949-09-30_02.txt", []),
        ("02.txt", ["--date", "9999-12-31", "--page", "2"]),
    ],
)
def test_ingest_command_refuses_issue_dates_outside_the_archives_range(tmp_path, name, options):
    path = tmp_path / name
    shutil.copy(DATA / "seed_page.txt", path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 files failed"):
        call_command("ingest", str(path), *options, stdout=io.StringIO(), stderr=err)
    assert "is outside 1949-10-01 … " in err.getvalue()
    assert not Page.objects.exists()


@pytest.mark.django_db
def test_ingest_command_dry_run_stores_nothing(issue_dir):
    out, _ = run("ingest", str(issue_dir), "--dry-run")

    assert out.startswith("2024-03-12 第2版: 7 articles would be added")
    assert "dry run, nothing stored" in out
    assert Page.objects.count() == 0


@pytest.mark.django_db
def test_ingest_command_says_when_a_page_is_replaced(issue_dir):
    run("ingest", str(issue_dir))
    page = issue_dir / "2024" / "03" / "2024-03-12_02.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("邮政", "邮储"), encoding="utf-8")

    out, _ = run("ingest", str(issue_dir))

    assert "2024-03-12 第2版: changed, 7 of 7 articles kept (same id), 7 after" in out


@pytest.mark.django_db
def test_ingest_command_rejects_page_option_for_several_files(issue_dir):
    with pytest.raises(CommandError, match="single file"):
        run("ingest", str(issue_dir), str(DATA / "seed_page.txt"), "--page", "3")


@pytest.mark.django_db
def test_ingest_command_with_nothing_to_ingest_fails(tmp_path):
    with pytest.raises(CommandError, match=r"no \.txt page files"):
        run("ingest", str(tmp_path))


@pytest.mark.django_db
def test_reparse_command_reports_changed_pages(issue_dir):
    run("ingest", str(issue_dir))
    as_if_parsed(Article.objects.get(seq=3), paragraphs=["旧解析"])

    out, _ = run("reparse")

    assert "1 pages: 1 changed, 0 unchanged, 0 failed" in out
    assert "7 of 7 articles kept (same id), 7 after" in out
    assert Article.objects.get(seq=3).paragraphs[0].startswith("本报讯（记者 周美玉 通讯员 孙丹）")


def test_index_worker_command_runs_the_worker_with_the_settings(settings, monkeypatch):
    settings.SEARCH_INDEX_BATCH, settings.SEARCH_INDEX_POLL_SECONDS = 50, 0.5
    seen = []

    def run_until_ctrl_c(worker):
        seen.append((worker.batch_size, worker.poll_seconds))
        raise KeyboardInterrupt

    monkeypatch.setattr(IndexWorker, "run", run_until_ctrl_c)
    _, err = run("index_worker")
    assert seen == [(50, 0.5)]
    assert "batches of 50, polling every 0.5 s" in err and "index worker stopped" in err


@pytest.mark.django_db
def test_ingest_dry_run_names_each_article_a_page_would_retire(issue_dir):
    run("ingest", str(issue_dir))
    gone = Article.objects.get(headline="邮政职工学礼仪")
    page = issue_dir / "2024" / "03" / "2024-03-12_02.txt"
    text = page.read_text(encoding="utf-8")
    page.write_text(text[: text.index("邮政职工学礼仪")], encoding="utf-8")

    out, _ = run("ingest", str(issue_dir), "--dry-run")

    assert f"  article {gone.pk} would be retired: 《邮政职工学礼仪》 /articles/{gone.pk}/" in out
    assert Article.objects.filter(pk=gone.pk).exists()


@pytest.mark.django_db
def test_reparse_dry_run_names_each_article_a_page_would_retire(seed_page):
    as_if_parsed(seed_page.articles.get(seq=7), headline="不再有的文章", paragraphs=["无。"])

    out, _ = run("reparse", "--dry-run")

    assert "would be retired: 《不再有的文章》" in out
