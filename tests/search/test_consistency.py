import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from haystack import connections

from articles.models import Article, PendingIndexUpdate
from articles.search.consistency import index_drift
from articles.search.indexing import apply_pending_updates
from tests.factories import make_article, make_page
from tests.search.helpers import DAMAGE, index_seven_articles

pytestmark = pytest.mark.django_db


def check_index(*args) -> str:
    out = io.StringIO()
    call_command("check_index", *args, stdout=out)
    return out.getvalue()


def test_index_and_database_agree_after_the_queue_is_applied():
    page = make_page()
    for seq in range(1, 4):
        make_article(page, seq=seq)
    apply_pending_updates()
    assert index_drift().total == 0
    assert "0 drift" in check_index()


def test_missing_stale_and_orphaned_documents_are_found_and_fixed():
    page = make_page()
    kept, changed, deleted = (make_article(page, seq=seq) for seq in (1, 2, 3))
    apply_pending_updates()
    # Changes that bypassed the queue: a bulk update, a new row, a deleted one.
    later = changed.updated_at + datetime.timedelta(seconds=1)
    Article.objects.filter(pk=changed.pk).update(headline="改过", updated_at=later)
    Article.objects.filter(pk=deleted.pk).delete()
    added = make_article(page, seq=4)
    PendingIndexUpdate.objects.all().delete()  # as if the queue had been lost

    drift = index_drift()
    assert (drift.missing, drift.stale, drift.orphaned) == ([added.pk], [changed.pk], [deleted.pk])
    with pytest.raises(CommandError, match="3 differences"):
        check_index()

    assert "repaired 3 differences: 0 drift" in check_index("--fix")
    assert index_drift().total == 0
    assert kept.pk not in drift.missing + drift.stale + drift.orphaned


@pytest.mark.no_drift_check
@pytest.mark.parametrize("fix", [(), ("--fix",), ("--sample",)], ids=["check", "fix", "sample"])
@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_check_index_reports_a_damaged_index_in_one_line_and_fails(damage, fix):
    index_seven_articles()
    harm, named = DAMAGE[damage]
    harm(connections["default"].get_backend().path)
    with pytest.raises(CommandError) as failed:
        check_index(*fix)
    message = str(failed.value)
    assert message.startswith("the search index is damaged: ")
    assert (named in message, "rebuild_index" in message, "\n" in message) == (True, True, False)


def test_check_index_says_it_read_the_whole_index():
    make_article()
    apply_pending_updates()
    assert "index readable: generation 1, 1 segments, 1 documents" in check_index()
