"""Atom feeds: the latest articles, a union's, a reporter's, and a saved search's."""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from articles import browse
from articles.models import Article, Organization, Person
from articles.search.forms import SearchForm
from articles.search.service import QueryError, Sort, search_articles
from articles.search_trail import quoted_query
from articles.union_review import shown_to_readers

FEED_SIZE = 30


class ArticleFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, article: Article) -> str:
        return article.headline

    def item_description(self, article: Article) -> str:
        return article.body[:300]

    def item_pubdate(self, article: Article) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(article.date, datetime.time(6)))

    def item_updateddate(self, article: Article) -> datetime.datetime:
        return article.updated_at

    def item_author_name(self, article: Article) -> str:
        return "、".join(credit.person.name for credit in article.credits.all())

    def item_categories(self, article: Article) -> list[str]:
        # Prefetched (for_listing): a 待核 union (articles.union_review) is left out here.
        return [o.name for o in article.organizations.all() if not o.needs_review]


class LatestArticlesFeed(ArticleFeed):
    title = f"{settings.NEWSARCHIVE_NEWSPAPER_NAME} · 最新文章"
    subtitle = "首都工会新闻档案最新收录的文章"

    def link(self) -> str:
        return reverse("articles:home")

    def items(self):
        return Article.objects.for_listing().order_by("-page__issue__date", "page__number", "seq")[
            :FEED_SIZE
        ]


class UnionFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, pk: int) -> Organization:
        return get_object_or_404(shown_to_readers(Organization.objects.all()), pk=pk)

    def title(self, organization: Organization) -> str:
        return f"{organization.name} · 相关报道"

    def link(self, organization: Organization) -> str:
        return organization.get_absolute_url()

    def items(self, organization: Organization):
        return browse.articles_about(organization)[:FEED_SIZE]


class ReporterFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, pk: int) -> Person:
        return get_object_or_404(Person, pk=pk)

    def title(self, person: Person) -> str:
        return f"{person.name} · 署名文章"

    def link(self, person: Person) -> str:
        return person.get_absolute_url()

    def items(self, person: Person):
        return browse.articles_by(person)[:FEED_SIZE]


class SearchFeed(ArticleFeed):
    """The newest articles of any search page's query: subscribe to a topic."""

    def get_object(self, request: HttpRequest):
        form = SearchForm(request.GET)
        if not form.is_valid() or not form.params().has_criteria:
            raise Http404("搜索条件有误")
        params = form.params()
        try:
            newest = dataclasses.replace(params, sort=Sort.NEWEST, page=1, per_page=FEED_SIZE)
            results = search_articles(newest)
        except QueryError as error:
            raise Http404(str(error)) from error
        return request.GET.urlencode(), params, results

    def title(self, obj) -> str:
        _, params, _ = obj
        return f"搜索{quoted_query(params.q) or '全部'} · 首都工会新闻档案"

    def link(self, obj) -> str:
        query, _, _ = obj
        return f"{reverse('articles:search')}?{query}"

    def items(self, obj) -> list[Article]:
        _, _, results = obj
        # A hit holds what a result list shows; an entry also names the article's unions.
        pks = [hit.article.pk for hit in results.hits]
        articles = Article.objects.for_listing().in_bulk(pks)
        return [articles[pk] for pk in pks if pk in articles]
