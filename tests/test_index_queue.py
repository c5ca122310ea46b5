"""The index queue lives beside the writers, below them: no import cycle runs through it."""

import ast
import datetime
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.index_queue import articles_affected_by, index_queue_transaction, with_descendants
from articles.ingest import ingest_page_bytes
from articles.models import Article, PendingIndexUpdate
from tests.conftest import DATA
from tests.factories import make_article, make_organization

ROOT = Path(__file__).resolve().parents[1]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_imports() -> dict[str, set[str]]:
    """Each module of `articles` and the project modules it imports, at its top or inside a
    function (a deferred import is still a cycle: only the order of loading changes)."""
    modules = {
        _module_name(path): path
        for path in (ROOT / "articles").rglob("*.py")
        if "migrations" not in path.parts
    }
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(
                        [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                    ).strip(".")
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {module for module in found if module in modules and module != name}
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for module in graph[todo.pop()] - seen:
            seen.add(module)
            todo.append(module)
    return seen


@pytest.mark.parametrize(
    "module", ["articles.index_queue", "articles.authority", "articles.search.indexing"]
)
def test_no_import_cycle_runs_through_the_queue_the_authority_or_the_index_updates(module):
    graph = project_imports()
    assert module not in reachable(graph, module)


def test_the_queue_imports_no_writer():
    writers = {"articles.authority", "articles.ingest", "articles.identity", "articles.upload"}
    assert not reachable(project_imports(), "articles.index_queue") & writers


@pytest.mark.django_db
def test_a_unions_articles_include_those_of_the_unions_under_it():
    city = make_organization(name="北京市总工会")
    district = make_organization(name="东城区总工会", parent=city)
    plant = make_organization(name="某厂工会", parent=district)
    article = make_article()
    article.organizations.add(plant)
    assert {o.pk for o in with_descendants(city)} == {city.pk, district.pk, plant.pk}
    assert articles_affected_by(city) == {article.pk}
    assert articles_affected_by(make_organization(name="别的工会")) == set()


def queue_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith('INSERT INTO "articles_pendingindexupdate"')
    ]


@pytest.mark.django_db
def test_storing_a_page_writes_the_index_queue_once_with_one_callback(
    django_capture_on_commit_callbacks,
):
    data = (DATA / "seed_page.txt").read_bytes()
    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        ingest_page_bytes(data, issue_date=datetime.date(2024, 3, 12), page_number=2, source="02")
    # 7 articles, each with credits and unions: one insert of 7 rows, one after-commit callback.
    assert (len(queue_writes(queries)), len(callbacks)) == (1, 1)
    assert PendingIndexUpdate.objects.count() == 7


@pytest.mark.django_db
def test_a_block_that_fails_queues_nothing_and_stores_nothing():
    with pytest.raises(ZeroDivisionError), index_queue_transaction():
        make_article()
        1 / 0  # noqa: B018 - the failure under test
    assert not Article.objects.exists() and not PendingIndexUpdate.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_block_queues_nothing():
    with index_queue_transaction():
        make_article()
        transaction.set_rollback(True)
    assert not PendingIndexUpdate.objects.exists()
