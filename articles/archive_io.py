"""The whole archive as JSON lines: a backup, and the way from SQLite to PostgreSQL (or back).

Rows refer to each other by natural keys (an issue by its date, a page by date and number, a
person or an organization by name), never by database ids, so the file loads into any empty
database. The first line counts what follows; loading checks the counts it stored against it.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.db import transaction

from articles.models import Article, Credit, Issue, Organization, OrganizationAlias, Page, Person
from articles.search.indexing import deferred_index_updates

FORMAT = "newsarchive-export/1"
KINDS = ("issue", "page", "person", "organization", "article")


class ArchiveError(Exception):
    pass


def open_archive(path: str | Path, mode: str) -> IO[str]:
    """A text stream; a name ending in .gz is gzip-compressed."""
    if str(path).endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def _records() -> Iterator[dict]:
    for issue in Issue.objects.order_by("date"):
        yield {
            "kind": "issue",
            "date": issue.date.isoformat(),
            "number": issue.number,
            "note": issue.note,
        }
    for page in Page.objects.select_related("issue").order_by("issue__date", "number"):
        yield {
            "kind": "page",
            "date": page.issue.date.isoformat(),
            "number": page.number,
            "name": page.name,
            "banners": page.banners,
            "source_name": page.source_name,
            "source_text": page.source_text,
            "source_sha256": page.source_sha256,
            "warnings": page.warnings,
        }
    for person in Person.objects.order_by("name"):
        yield {"kind": "person", "name": person.name}
    # Parents before children, so that loading can link each to one already made.
    organizations = list(Organization.objects.select_related("parent").prefetch_related("aliases"))
    for organization in sorted(organizations, key=lambda o: (_depth(o), o.name)):
        yield {
            "kind": "organization",
            "name": organization.name,
            "parent": organization.parent.name if organization.parent else None,
            "aliases": sorted(alias.name for alias in organization.aliases.all()),
        }
    articles = Article.objects.select_related("page__issue").prefetch_related(
        "credits__person", "organizations"
    )
    for article in articles.order_by("page__issue__date", "page__number", "seq").iterator(
        chunk_size=500
    ):
        yield {
            "kind": "article",
            "date": article.page.issue.date.isoformat(),
            "page": article.page.number,
            "seq": article.seq,
            "kicker": article.kicker,
            "headline": article.headline,
            "subheadline": article.subheadline,
            "article_kind": article.kind,
            "paragraphs": article.paragraphs,
            "correction": article.correction,
            "credits": [[c.person.name, c.role, c.seq] for c in article.credits.all()],
            "organizations": sorted(o.name for o in article.organizations.all()),
        }


def _depth(organization: Organization) -> int:
    depth, seen = 0, {organization.pk}
    while organization.parent_id and organization.parent_id not in seen:
        seen.add(organization.parent_id)
        organization = organization.parent
        depth += 1
    return depth


def database_counts() -> dict[str, int]:
    return {
        "issue": Issue.objects.count(),
        "page": Page.objects.count(),
        "person": Person.objects.count(),
        "organization": Organization.objects.count(),
        "article": Article.objects.count(),
    }


def export_archive(stream: IO[str]) -> dict[str, int]:
    """Write the archive to `stream`; returns the counts written (also its first line)."""
    with transaction.atomic():  # one consistent snapshot
        counts = database_counts()
        stream.write(json.dumps({"format": FORMAT, "counts": counts}, ensure_ascii=False) + "\n")
        written = Counter()
        for record in _records():
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            written[record["kind"]] += 1
    if dict(written) != {kind: n for kind, n in counts.items() if n}:
        raise ArchiveError(f"wrote {dict(written)}, expected {counts}")
    return counts


def import_archive(stream: IO[str]) -> dict[str, int]:
    """Load an export into an empty archive in one transaction; the counts must match."""
    header = json.loads(stream.readline() or "{}")
    if header.get("format") != FORMAT:
        raise ArchiveError(f"not a {FORMAT} file")
    if any(database_counts().values()):
        raise ArchiveError("the archive is not empty: import into a new database")
    with deferred_index_updates(), transaction.atomic():
        loader = _Loader()
        for number, line in enumerate(stream, start=2):
            try:
                loader.load(json.loads(line))
            except (KeyError, ValueError, TypeError) as error:
                raise ArchiveError(f"line {number}: {error}") from error
        counts = database_counts()
        if counts != header["counts"]:
            raise ArchiveError(f"loaded {counts}, the file says {header['counts']}")
    return counts


class _Loader:
    def __init__(self) -> None:
        self.issues: dict[str, Issue] = {}
        self.pages: dict[tuple[str, int], Page] = {}
        self.people: dict[str, Person] = {}
        self.organizations: dict[str, Organization] = {}

    def load(self, record: dict) -> None:
        getattr(self, f"_{record['kind']}")(record)

    def _issue(self, r: dict) -> None:
        self.issues[r["date"]] = Issue.objects.create(
            date=r["date"], number=r["number"], note=r["note"]
        )

    def _page(self, r: dict) -> None:
        fields = {
            k: r[k]
            for k in (
                "number",
                "name",
                "banners",
                "source_name",
                "source_text",
                "source_sha256",
                "warnings",
            )
        }
        self.pages[(r["date"], r["number"])] = Page.objects.create(
            issue=self.issues[r["date"]], **fields
        )

    def _person(self, r: dict) -> None:
        self.people[r["name"]] = Person.objects.create(name=r["name"])

    def _organization(self, r: dict) -> None:
        parent = self.organizations[r["parent"]] if r["parent"] else None
        organization = Organization.objects.create(name=r["name"], parent=parent)
        OrganizationAlias.objects.bulk_create(
            OrganizationAlias(organization=organization, name=alias) for alias in r["aliases"]
        )
        self.organizations[r["name"]] = organization

    def _article(self, r: dict) -> None:
        article = Article.objects.create(
            page=self.pages[(r["date"], r["page"])],
            seq=r["seq"],
            kicker=r["kicker"],
            headline=r["headline"],
            subheadline=r["subheadline"],
            kind=r["article_kind"],
            paragraphs=r["paragraphs"],
            correction=r["correction"],
        )
        Credit.objects.bulk_create(
            Credit(article=article, person=self.people[name], role=role, seq=seq)
            for name, role, seq in r["credits"]
        )
        article.organizations.add(*(self.organizations[name] for name in r["organizations"]))
