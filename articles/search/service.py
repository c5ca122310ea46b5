"""Searching the archive: the one place that turns a reader's query and filters into results.

The HTML search page and the JSON API both call `search_articles`. It speaks haystack's
SearchQuerySet only, so a different haystack engine (Elasticsearch) is a settings change.
Queries name their fields (`words_or_exact`: the jieba field or the bigram field), so each
backend gives the same meaning by configuration. Texts and credits come from the database, in
one query per page of results; the index only finds and ranks.
"""

from __future__ import annotations

import datetime
import functools
import logging
import math
import operator
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.utils.safestring import SafeString
from haystack.inputs import Exact
from haystack.query import SQ, SearchQuerySet

from articles.authority import find_organization
from articles.models import Article, Credit
from articles.search.engine.analysis import index_words, query_words
from articles.search.engine.deadline import Deadline, time_budget
from articles.search.engine.query import ParsedQuery, QueryError, Term, parse_query
from articles.search.facets import FACET_FIELDS, FacetValue, facet_values
from articles.search.highlight import highlight, highlight_terms
from articles.search.inputs import Value
from articles.search.timeline import Decade, decades
from articles.search.union_tree import UnionNode, node_json, union_tree
from articles.union_review import without_unions_to_check

logger = logging.getLogger(__name__)

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
SNIPPET_WIDTH = 120
# Values counted per facet: the union tree needs the count of every union it shows and their
# ancestors. Whoosh counts all values anyway; Elasticsearch's terms aggregation only 10 by default.
FACET_BUCKETS = 1000

# The index's fields of an article's text: jieba words, and character bigrams for exact strings.
TEXT_FIELD = "text"
BIGRAM_FIELD = "text_bigrams"
# The same bigrams of the kicker, headline and subheadline, and of the body: `标题:`, `正文:`.
TITLE_BIGRAM_FIELD = "title_bigrams"
BODY_BIGRAM_FIELD = "body_bigrams"
# Each article's unions and their ancestors: roll-up counts and the sub-union filter.
UNION_TREE_FIELD = "organization_tree"
# What a hit never shows, and costs to read: the page's source text and the parse records.
HIT_DEFERRED = (
    "paragraphs",
    "parsed",
    "page__source_text",
    "page__banners",
    "page__warnings",
    "page__layout_corrections",
)

# The dates a filter can name. haystack writes dates for Whoosh as %Y%m%d%H%M%S, which reads
# back as the same date only with a four-digit year (0099-12-31 raised Whoosh's TimeError).
EARLIEST_DATE = datetime.date(1000, 1, 1)
LATEST_DATE = datetime.date(9999, 12, 31)
DATE_RANGE_MESSAGE = f"日期须在 {EARLIEST_DATE} 至 {LATEST_DATE} 之间。"


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"
    CHOICES = ((RELEVANCE, "相关度"), (NEWEST, "最新在前"), (OLDEST, "最早在前"))


@dataclass(frozen=True)
class SearchParams:
    """What a reader asked for; values are already validated (see articles.search.forms)."""

    q: str = ""
    organization: str = ""
    reporter: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    paper_page: int | None = None
    kind: str = ""
    # A union filter also finds the articles of the unions under it.
    include_sub_unions: bool = False
    sort: str = Sort.RELEVANCE
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def has_filters(self) -> bool:
        return bool(
            self.organization
            or self.reporter
            or self.date_from
            or self.date_to
            or self.paper_page
            or self.kind
        )

    @property
    def has_criteria(self) -> bool:
        return bool(self.q.strip()) or self.has_filters


@dataclass(frozen=True)
class Hit:
    article: Article
    headline: SafeString
    snippet: SafeString
    # The names of the article's unions and other organisations, by name.
    organizations: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchPage:
    params: SearchParams
    query: ParsedQuery
    total: int
    num_pages: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    took_ms: float = 0.0
    union_tree: list[UnionNode] = field(default_factory=list)

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def timeline(self) -> list[Decade]:
        """The results' years by decade, newest first (see articles.search.timeline)."""
        return decades(self.facets.get("year", []))

    def as_json(self) -> dict:
        """The API's shape; `snippet` is HTML: the text escaped, matches in <mark>."""
        return {
            "total": self.total,
            "page": self.page,
            "num_pages": self.num_pages,
            "per_page": self.params.per_page,
            "took_ms": self.took_ms,
            "results": [
                {
                    "id": hit.article.pk,
                    "url": hit.article.get_absolute_url(),
                    "headline": hit.article.headline,
                    "date": hit.article.date.isoformat(),
                    "page": hit.article.page.number,
                    "kind": hit.article.kind,
                    "snippet": str(hit.snippet),
                    "credits": [
                        {"name": credit.person.name, "role": credit.role}
                        for credit in hit.article.credits.all()
                    ],
                    "organizations": list(hit.organizations),
                }
                for hit in self.hits
            ],
            "facets": {
                name: [
                    {"value": value.value, "label": value.label, "count": value.count}
                    for value in values
                ]
                for name, values in self.facets.items()
            },
            "union_tree": [node_json(node) for node in self.union_tree],
        }


def search_articles(params: SearchParams) -> SearchPage:
    """Run the search; raise QueryError (a reader-facing message) for a query that cannot run,
    SearchTimeout (a QueryError) for one still running after SEARCH_TIME_BUDGET_SECONDS."""
    started = time.perf_counter()
    query = _runnable_query(params)
    with time_budget(Deadline(settings.SEARCH_TIME_BUDGET_SECONDS)):
        searchqueryset = search_queryset(query, params)
        start = (params.page - 1) * params.per_page
        results = list(searchqueryset[start : start + params.per_page])
        total = searchqueryset.count()
        num_pages = max(1, math.ceil(total / params.per_page))
        if params.page > num_pages:
            if params.page > 1 and not results:
                total = search_queryset(query, params).count()
                num_pages = max(1, math.ceil(total / params.per_page))
            raise QueryError(f"没有第 {params.page} 页：结果共 {num_pages} 页。")
        counts = without_unions_to_check(searchqueryset.facet_counts())
    facets = facet_values(counts)
    fields = counts.get("fields", {}) if counts else {}
    tree = union_tree(_counts(fields, "organizations"), _counts(fields, UNION_TREE_FIELD))
    hits = _hits([int(result.pk) for result in results], query)
    took_ms = (time.perf_counter() - started) * 1000
    return SearchPage(params, query, total, num_pages, hits, facets, round(took_ms, 1), tree)


def _runnable_query(params: SearchParams) -> ParsedQuery:
    query = parse_query(params.q)
    if query.only_excludes and not params.has_filters:
        raise QueryError("只有排除词无法搜索：请再输入至少一个要查找的词，或选择筛选条件。")
    return query


def all_hits(params: SearchParams, limit: int) -> tuple[int, Iterator[Hit]]:
    """(total, the first `limit` hits in order, read MAX_PER_PAGE at a time as iterated): a
    whole result set for an export, with no facets. A query that cannot run raises QueryError
    here; each batch has its own time budget."""
    query = _runnable_query(params)
    with time_budget(Deadline(settings.SEARCH_TIME_BUDGET_SECONDS)):
        matches = _matching(query, params)
        total = matches.count()

    def batches() -> Iterator[Hit]:
        for start in range(0, min(total, limit), MAX_PER_PAGE):
            end = min(start + MAX_PER_PAGE, limit)
            with time_budget(Deadline(settings.SEARCH_TIME_BUDGET_SECONDS)):
                results = list(matches[start:end])
            yield from _hits([int(result.pk) for result in results], query)

    return total, batches()


def warm_up() -> None:
    """Load jieba, the union dictionary, the index's readers, the facet and date columns and
    the facet counts of the whole archive (what browsing with no criteria shows) before the
    first reader comes (they are the process's, shared by its threads). Only the index is
    read: gunicorn calls this before it forks, with no database connection to share."""
    query_words("北京市总工会")
    index_words("北京市总工会")
    try:
        ranked = _faceted(SearchQuerySet().models(Article).filter(words_or_exact("工会")))
        everything = search_queryset(parse_query(""), SearchParams())  # newest first
        for sqs in (ranked, everything):
            list(sqs[:DEFAULT_PER_PAGE])  # first: facet_counts() alone fetches every match
            sqs.facet_counts()
    except Exception:  # no index yet: the first write creates it
        logger.warning("search index not opened at start-up", exc_info=True)


def words_or_exact(text: str) -> SQ:
    """What a typed word means: all its words (the jieba field), or the exact string (the
    bigram field, which finds every substring whatever jieba does with it). The backend scores
    an exact match above any sum of word scores, so exact matches rank first."""
    return SQ(**{TEXT_FIELD: text}) | SQ(**{BIGRAM_FIELD: Exact(text)})


def exact_string(text: str) -> SQ:
    """What a quoted string means: the exact string, ranked by its words."""
    return SQ(**{BIGRAM_FIELD: Exact(text)}) & words_or_exact(text)


def word_query(word: str) -> SQ:
    """A typed word; a union's name or alias (全总) also finds the articles filed under it."""
    union = find_organization([word]) if len(word) >= 2 else None
    if union is None:
        return words_or_exact(word)
    return words_or_exact(word) | SQ(organizations=Value(union.name))


def term_query(term: Term) -> SQ:
    """What one term of the reader's query matches (see articles.search.engine.query)."""
    if term.kind == "words":
        return word_query(term.text)
    if term.kind == "phrases":
        return exact_string(term.text)
    if term.kind == "titles":
        return SQ(**{TITLE_BIGRAM_FIELD: Exact(term.text)})
    if term.kind == "bodies":
        return SQ(**{BODY_BIGRAM_FIELD: Exact(term.text)})
    if term.kind == "reporters":
        return SQ(reporters=Value(term.text))
    if term.kind == "organizations":
        return SQ(organization_names=Value(term.text))
    raise ValueError(f"no query for a term of kind {term.kind!r}")


def search_queryset(query: ParsedQuery, params: SearchParams) -> SearchQuerySet:
    """The search, sorted, with every facet a results page shows."""
    return _faceted(_matching(query, params))


def _matching(query: ParsedQuery, params: SearchParams) -> SearchQuerySet:
    """The articles the query and filters match, sorted."""
    sqs = SearchQuerySet().models(Article)
    for kind in ("words", "phrases", "titles", "bodies", "reporters"):
        for text in getattr(query, kind):
            sqs = sqs.filter(term_query(Term(kind, text)))
    for group in query.any_of:
        sqs = sqs.filter(functools.reduce(operator.or_, map(term_query, group)))
    for text in query.excluded:
        sqs = sqs.exclude(**{BIGRAM_FIELD: Exact(text)})
    if params.reporter:
        sqs = sqs.filter(reporters=Value(params.reporter))
    for name in (*query.organizations, *filter(None, [params.organization])):
        union = find_organization([name]) if params.include_sub_unions else None
        if union is None:
            sqs = sqs.filter(organization_names=Value(name))
        else:
            sqs = sqs.filter(**{UNION_TREE_FIELD: Value(union.name)})
    for date in filter(None, [params.date_from, params.date_to]):
        if not EARLIEST_DATE <= date <= LATEST_DATE:
            raise QueryError(DATE_RANGE_MESSAGE)
    if params.date_from:
        sqs = sqs.filter(date__gte=params.date_from)
    if params.date_to:
        sqs = sqs.filter(date__lte=params.date_to)
    if params.paper_page:
        sqs = sqs.filter(page=params.paper_page)
    if params.kind:
        sqs = sqs.filter(kind=Value(params.kind))
    if params.sort == Sort.OLDEST:
        sqs = sqs.order_by("date")
    elif params.sort == Sort.NEWEST or not query.has_text:
        sqs = sqs.order_by("-date")
    return sqs


def _faceted(sqs: SearchQuerySet) -> SearchQuerySet:
    """The search with every facet a results page shows."""
    for index_field in (*FACET_FIELDS, UNION_TREE_FIELD):
        sqs = sqs.facet(index_field, size=FACET_BUCKETS)
    return sqs


def _counts(fields: dict, index_field: str) -> dict[str, int]:
    return {value: count for value, count in fields.get(index_field, []) if value}


def _hits(pks: list[int], query: ParsedQuery) -> list[Hit]:
    """The articles in result order, with their headline and a snippet marked up.

    Only what a hit shows is read: not the page's source text nor the article's parse record,
    and the organisations' names without their rows (an article may name 190 of them).
    """
    articles = (
        Article.objects.select_related("page__issue")
        .defer(*HIT_DEFERRED)
        .prefetch_related(
            Prefetch("credits", Credit.objects.select_related("person").order_by("seq"))
        )
        .in_bulk(pks)
    )
    names: dict[int, list[str]] = {}
    links = Article.organizations.through.objects.filter(
        article_id__in=pks,
        organization__needs_review=False,  # 待核: see articles.union_review
    )
    for article_id, name in links.values_list("article_id", "organization__name").order_by(
        "organization__name"
    ):
        names.setdefault(article_id, []).append(name)
    terms = highlight_terms(query)
    hits = []
    # An article deleted since it was indexed is left out until the index catches up.
    for article in filter(None, map(articles.get, pks)):
        hits.append(
            Hit(
                article,
                highlight(article.headline, terms),
                highlight(article.body, terms, width=SNIPPET_WIDTH),
                tuple(names.get(article.pk, ())),
            )
        )
    return hits


__all__ = [
    "QueryError",
    "SearchPage",
    "SearchParams",
    "Sort",
    "search_articles",
    "union_tree",
    "warm_up",
]
