"""Loading files of the first export format (newsarchive-export/1, before ids and every field
went out): backups made by earlier versions still come back, with what they carried."""

from __future__ import annotations

from collections.abc import Iterable

from articles.models import Article, Credit, Issue, Organization, OrganizationAlias, Page, Person

FORMAT = "newsarchive-export/1"


def v1_counts() -> dict[str, int]:
    return {
        "issue": Issue.objects.count(),
        "page": Page.objects.count(),
        "person": Person.objects.count(),
        "organization": Organization.objects.count(),
        "article": Article.objects.count(),
    }


def load_v1(records: Iterable[dict]) -> dict[str, int]:
    """Create the rows of `records` (inside the caller's transaction); returns the counts."""
    loader = _Loader()
    for record in records:
        loader.load(record)
    return v1_counts()


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
