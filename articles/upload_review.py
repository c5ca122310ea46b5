"""The upload preview: what storing each staged page would do, shown one screen at a time.

A screen holds up to ARTICLES_PER_SCREEN articles (a whole ordinary issue; a page of a
thousand articles spans several), so a 20 MB upload is never one 70 MB page. Parses are kept
in the cache by the page's SHA-256 (the upload form's check fills it, the preview reads it),
and each page's dry run by what it depends on (the page, its number and layout corrections,
and the stored page it would replace), so a page is not parsed or dry-run again on every
view. Cached results are for showing only: confirm stores from the bytes, afresh.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Max

from articles import parsing
from articles.article_review import ArticleOutcome, article_outcomes, page_layout
from articles.authority import find_organization
from articles.banner_check import banner_mismatches
from articles.corrections import article_values, baseline, parsed_articles
from articles.identity import retirement_at_the_end
from articles.ingest import (
    IngestResult,
    Outcome,
    PagePreview,
    parse_page_bytes,
)
from articles.layout_corrections import blocks, merged_layout, with_layout
from articles.layout_service import stored_layout
from articles.matching import match_articles
from articles.models import Article, Credit, Page, Person
from articles.upload_files import PageFile
from articles.upload_scans import file_scan, file_text, preview_file, scan_problems

PARSE_MESSAGES = {
    parsing.EmptyPageError: "文件是空的",
    parsing.BinaryContentError: "不是文本文件（内容是二进制数据）",
    parsing.UndecodableTextError: "无法识别文字编码：只接受 UTF-8（可带 BOM）或 GB18030",
    parsing.NoArticlesError: "没有找到任何文章",
}
ARTICLES_PER_SCREEN = 100
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class ArticleReview:
    kicker: str
    headline: str
    subheadline: str
    kind: str
    credits: list[tuple[str, str, bool]]  # name, role label, new person
    organizations: list[tuple[str, bool]]  # name as it will be stored, new organization
    paragraph_count: int
    # What storing does to it: new, changed (its diff), moved, the corrections laid over it.
    outcome: ArticleOutcome | None = None


@dataclass(frozen=True)
class PageReview:
    file: PageFile
    preview: PagePreview
    articles: list[ArticleReview] = field(default_factory=list)
    # The archive's page as this preview saw it ("" for none): confirm checks it is still so.
    stored_sha256: str = ""
    # Which of the page's articles this screen shows (all of them outside the preview).
    shown: range = range(0)
    # (id, headline, page number it moves to or None) of each article the page loses.
    leaving: list[tuple[int, str, int | None]] = field(default_factory=list)
    # The layout corrections that touch no article (lines made 版头 or credits, or gone).
    page_layout: list[str] = field(default_factory=list)

    @property
    def result(self) -> IngestResult:
        return self.preview.result

    @property
    def needs_number(self) -> bool:
        return self.file.page_number is None

    @property
    def error(self) -> str:
        if self.preview.error is None:
            return ""
        return PARSE_MESSAGES.get(type(self.preview.error), str(self.preview.error))


@dataclass(frozen=True)
class PageSummary:
    """One staged page in the preview's list of all pages: from its parse, no dry run."""

    file: PageFile
    articles: int
    banner_mismatches: tuple[str, ...]
    stored_sha256: str
    error: str

    @property
    def needs_number(self) -> bool:
        return self.file.page_number is None


@dataclass(frozen=True)
class PreviewScreen:
    summaries: list[PageSummary]
    reviews: list[PageReview]  # the pages (or parts of pages) this screen shows
    page_obj: PaginatorPage  # this screen among all of them

    @property
    def can_confirm(self) -> bool:
        return not any(s.error or s.needs_number for s in self.summaries)

    @property
    def needs_numbers(self) -> bool:
        return any(s.needs_number for s in self.summaries) and not self.has_errors

    @property
    def has_errors(self) -> bool:
        return any(s.error for s in self.summaries)

    @property
    def banner_mismatches(self) -> bool:
        return any(s.banner_mismatches for s in self.summaries)


def parsed_page(file: PageFile) -> PagePreview:
    """The page's parse (no layout corrections, no archive), cached by its bytes."""
    key = f"upload-parse:{_digest(file.name, file.data, file.scan)}"
    preview = cache.get(key)
    if preview is None:
        preview = parse_page_bytes(file_text(file), source=file.name)
        cache.set(key, preview, CACHE_SECONDS)
    return preview


def image_only(file: PageFile) -> bool:
    """A page that comes as a PDF without text layer or an image: no text to parse."""
    return bool(file.scan_name) and not file_text(file)


def error_message(preview: PagePreview) -> str:
    if preview.error is None:
        return ""
    return PARSE_MESSAGES.get(type(preview.error), str(preview.error))


def unreadable_pages(files: list[PageFile]) -> list[str]:
    """One message per file that does not parse (or PDF or image that does not open), naming
    it; the parses stay cached for the preview that follows."""
    failed = scan_problems(files)
    if failed:
        return failed
    readable = [f for f in files if not image_only(f)]
    return [f"{f.name}：{error_message(p)}" for f in readable if (p := parsed_page(f)).error]


def stored_page_digests(issue_date: datetime.date) -> dict[int, str]:
    """The SHA-256 of each page the archive holds for this date, by page number."""
    pages = Page.objects.filter(issue__date=issue_date)
    return dict(pages.values_list("number", "source_sha256"))


def summarize_pages(files: list[PageFile], issue_date: datetime.date) -> list[PageSummary]:
    stored = stored_page_digests(issue_date)
    summaries = []
    for file in files:
        digest = stored.get(file.page_number, "")
        if image_only(file):
            summaries.append(PageSummary(file, 0, (), digest, ""))
            continue
        preview = parsed_page(file)
        count, mismatches = 0, ()
        if preview.parsed is not None and file.page_number is None:
            count = len(with_layout(preview.parsed, file.layout).articles)
        elif preview.parsed is not None:
            layout = stored_layout(issue_date, file.page_number, file.layout)
            laid_out = with_layout(preview.parsed, layout)
            count = len(laid_out.articles)
            mismatches = banner_mismatches(laid_out, issue_date, file.page_number)
        summaries.append(PageSummary(file, count, mismatches, digest, error_message(preview)))
    return summaries


def page_preview(
    file: PageFile,
    issue_date: datetime.date,
    incoming: dict[int, list[dict]] | None = None,
    layout: list[dict] | None = None,
) -> PagePreview:
    """What storing the page would do (a dry run of the ingest service), with its parse; the
    result is cached by everything the dry run reads. A page without a number is only parsed.
    `incoming` (incoming_articles of the whole upload): the articles it will move, as confirm
    does; `layout` (upload_layouts'), its layout corrections, by default the stored page's and
    the file's own."""
    if image_only(file) and file.page_number is None:
        notice = file_scan(file).notice
        return PagePreview(IngestResult(file.name, Outcome.CREATED, warnings=(notice,)))
    if image_only(file):
        return preview_file(file, issue_date=issue_date)
    parsed = parsed_page(file)
    if file.page_number is None or parsed.parsed is None:
        return parsed
    if layout is None:
        layout = stored_layout(issue_date, file.page_number, file.layout)
    stored = (
        Page.objects.filter(issue__date=issue_date, number=file.page_number)
        .annotate(articles_changed=Max("articles__updated_at"), article_count=Count("articles"))
        .values_list("source_sha256", "updated_at", "articles_changed", "article_count")
        .first()
    )
    depends_on = json.dumps(
        [issue_date, file.page_number, layout, stored, incoming], default=str, ensure_ascii=False
    )
    key = f"upload-dry-run:{_digest(file.name, file.data, file.scan, depends_on.encode())}"
    result = cache.get(key)
    if result is None:
        with retirement_at_the_end(incoming or {}, retire=False):
            result = preview_file(file, issue_date=issue_date, layout=layout).result
        cache.set(key, result, CACHE_SECONDS)
    # The parse is cached once: the dry run's entry keeps only its (small) result.
    return PagePreview(result, with_layout(parsed.parsed, layout))


def review_screen(
    files: list[PageFile], issue_date: datetime.date, number: str | int | None
) -> PreviewScreen:
    """Screen `number` of the preview (a bad number gives the first or last, as get_page does):
    every page listed, and the articles of this screen reviewed."""
    summaries = summarize_pages(files, issue_date)
    # One slot per article, at least one per page (a page that fails still needs showing).
    slots = [(i, k) for i, s in enumerate(summaries) for k in range(max(s.articles, 1))]
    page_obj = Paginator(slots, ARTICLES_PER_SCREEN).get_page(number)
    reviews = []
    layouts = upload_layouts(files, issue_date)
    incoming = incoming_articles(files, issue_date, layouts)
    for i, group in itertools.groupby(page_obj.object_list, key=lambda slot: slot[0]):
        ks = [k for _, k in group]
        summary = summaries[i]
        number = summary.file.page_number
        preview = page_preview(summary.file, issue_date, incoming, layouts.get(number))
        shown = range(ks[0], ks[-1] + 1) if preview.parsed else range(0)
        review = _review(summary.file, preview, shown, summary.stored_sha256)
        review.leaving.extend(leaving(preview.result, summary.file, files, issue_date))
        reviews.append(review)
    return PreviewScreen(summaries, reviews, page_obj)


def _review(file: PageFile, preview: PagePreview, shown: range, digest: str) -> PageReview:
    articles = preview.parsed.articles[shown.start : shown.stop] if preview.parsed else []
    outcomes = {o.change.index: o for o in article_outcomes(preview.result)}
    reviewed = [
        _review_article(a, outcomes.get(n)) for n, a in enumerate(articles, start=shown.start)
    ]
    return PageReview(
        file,
        preview,
        reviewed,
        stored_sha256=digest,
        shown=shown,
        page_layout=page_layout(preview.result),
    )


def incoming_articles(
    files: list[PageFile],
    issue_date: datetime.date,
    layouts: dict[int, list[dict]] | None = None,
) -> dict[int, list[dict]]:
    """{page number: the articles its staged file will store} (parse and layout corrections,
    those of `layouts`, by default upload_layouts')."""
    if layouts is None:
        layouts = upload_layouts(files, issue_date)
    return {
        number: parsed_articles(with_layout(parsed_page(file).parsed, layouts[number]))
        for file in files
        if (number := file.page_number) in layouts
    }


def upload_layouts(files: list[PageFile], issue_date: datetime.date) -> dict[int, list[dict]]:
    """{page number: the layout corrections to lay over its staged file}: the stored page's and
    the file's own, but a correction whose line the file no longer has and another file of the
    upload has goes with its line (the article moved there, articles.identity.adopt_moved)."""
    parses = {
        f.page_number: parsed
        for f in files
        if f.page_number is not None and (parsed := parsed_page(f).parsed) is not None
    }
    own = {f.page_number: stored_layout(issue_date, f.page_number, f.layout) for f in files}
    layouts = {number: list(own[number]) for number in parses}
    lines = {number: [b.text for b in blocks(parsed)] for number, parsed in parses.items()}
    for number in parses:
        for correction in own[number]:
            if _has_line(lines[number], correction):
                continue
            to = next((n for n in parses if n != number and _has_line(lines[n], correction)), None)
            if to is not None:
                layouts[number].remove(correction)
                layouts[to] = merged_layout(layouts[to], [correction])
    return layouts


def _has_line(lines: list[str], correction: dict) -> bool:
    return any(correction["text"] in line for line in lines)


def leaving(
    result: IngestResult, file: PageFile, files: list[PageFile], issue_date: datetime.date
) -> list[tuple[int, str, int | None]]:
    """The articles the page loses, each with the page of this upload that will take it
    (the confirm moves it there, id, corrections and history and all), or None: retired."""
    if not result.retired:
        return []
    lost = list(
        Article.objects.filter(pk__in=[pk for pk, _ in result.retired])
        .order_by("seq")
        .prefetch_related("credits__person", "organizations")
    )
    olds = [baseline(a, article_values(a)) for a in lost]
    going: dict[int, int] = {}
    for number, news in incoming_articles(files, issue_date).items():
        if number == file.page_number:
            continue
        for i in match_articles(olds, news, by_place=False).values():
            going.setdefault(lost[i].pk, number)
    return [(a.pk, a.headline, going.get(a.pk)) for a in lost]


def _digest(*parts: str | bytes) -> str:
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big") + data)
    return sha.hexdigest()


def _review_article(
    article: parsing.ParsedArticle, outcome: ArticleOutcome | None
) -> ArticleReview:
    roles = dict(Credit.Role.choices)
    known_people = set(
        Person.objects.filter(name__in=[c.name for c in article.credits]).values_list(
            "name", flat=True
        )
    )
    organizations = []
    for mention in article.organizations:
        known = find_organization([mention.name, *mention.aliases])
        organizations.append((known.name if known else mention.name, known is None))
    return ArticleReview(
        kicker=article.kicker or "",
        headline=article.headline,
        subheadline=article.subheadline or "",
        kind=dict(Article.Kind.choices).get(str(article.kind), str(article.kind)),
        credits=[
            (c.name, roles.get(str(c.role), str(c.role)), c.name not in known_people)
            for c in article.credits
        ],
        organizations=organizations,
        paragraph_count=len(article.paragraphs),
        outcome=outcome,
    )
