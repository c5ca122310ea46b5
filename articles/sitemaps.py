"""sitemap.xml: every article, issue and page, and the directories."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Issue, Organization, Page, Person
from articles.union_review import shown_to_readers


class ArticleSitemap(Sitemap):
    changefreq = "yearly"
    limit = 5000

    def items(self):
        return Article.objects.order_by("pk").only("pk", "updated_at")

    def lastmod(self, article: Article):
        return article.updated_at


class IssueSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Issue.objects.order_by("date")

    def lastmod(self, issue: Issue):
        return issue.updated_at


class PageSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Page.objects.select_related("issue").order_by("issue__date", "number")

    def lastmod(self, page: Page):
        return page.updated_at


class PersonSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Person.objects.order_by("pk")


class OrganizationSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return shown_to_readers(Organization.objects.order_by("pk"))


class SectionSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["home", "calendar", "reporters", "unions", "stats"]

    def location(self, name: str) -> str:
        return reverse(f"articles:{name}")


SITEMAPS = {
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "issues": IssueSitemap,
    "pages": PageSitemap,
    "reporters": PersonSitemap,
    "unions": OrganizationSitemap,
}
