import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from haystack.query import SearchQuerySet

from articles.archive_io import database_counts
from articles.ingest import ingest_page_bytes
from articles.models import Article, Credit, Issue, Organization, OrganizationAlias, Page, Person

from .conftest import DATA

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Everything the export must carry, by natural keys."""
    return {
        "counts": database_counts(),
        "articles": sorted(
            (a.page.issue.date, a.page.number, a.seq, a.headline, tuple(a.paragraphs), a.kind)
            for a in Article.objects.select_related("page__issue")
        ),
        "credits": sorted(
            Credit.objects.values_list("article__headline", "person__name", "role", "seq")
        ),
        "links": sorted(
            Article.organizations.through.objects.values_list(
                "article__headline", "organization__name"
            )
        ),
        "aliases": sorted(OrganizationAlias.objects.values_list("organization__name", "name")),
        "parents": sorted(Organization.objects.values_list("name", "parent__name")),
        "pages": sorted(
            Page.objects.values_list("issue__date", "number", "source_sha256", "banners")
        ),
    }


def test_export_then_import_into_an_empty_database_keeps_everything(tmp_path):
    ingest_page_bytes(
        (DATA / "seed_page.txt").read_bytes(),
        issue_date=datetime.date(2024, 3, 12),
        page_number=2,
        source="02.txt",
    )
    city = Organization.objects.get(name="北京市总工会")
    child = Organization.objects.exclude(pk=city.pk).first()
    child.parent = city
    child.save()
    before = snapshot()
    path = tmp_path / "archive.jsonl.gz"
    out = io.StringIO()
    call_command("export_archive", str(path), stdout=out)
    assert "7 articles" in out.getvalue()

    for model in (Article, Page, Issue, Person, OrganizationAlias):
        model.objects.all().delete()
    Organization.objects.all().delete()
    assert not any(database_counts().values())

    out = io.StringIO()
    call_command("import_archive", str(path), stdout=out)
    assert "imported and verified: 1 issues, 1 pages, 7 persons" in out.getvalue()
    assert snapshot() == before
    assert SearchQuerySet().models(Article).count() == 7


def test_import_refuses_a_non_empty_archive_and_a_count_mismatch(tmp_path):
    ingest_page_bytes(
        (DATA / "seed_page.txt").read_bytes(),
        issue_date=datetime.date(2024, 3, 12),
        page_number=2,
        source="02.txt",
    )
    path = tmp_path / "archive.jsonl"
    call_command("export_archive", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_archive", str(path), stdout=io.StringIO())

    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["counts"]["article"] += 1
    path.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", encoding="utf-8")
    Issue.objects.all().delete()
    Person.objects.all().delete()
    Organization.objects.all().delete()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_archive", str(path), stdout=io.StringIO())
    assert not any(database_counts().values())
