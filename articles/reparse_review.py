"""The 重新解析 preview: what reparsing a stored page would change, page by page and article
by article (articles.article_review), before the editor applies it."""

from __future__ import annotations

from dataclasses import dataclass

from articles.article_review import ArticleOutcome, article_outcomes, page_layout
from articles.corrections import Conflict, stored_parse
from articles.ingest import IngestResult, Outcome, reparse_page
from articles.models import Page


@dataclass(frozen=True)
class ReparsePreview:
    """What reparsing a page would change: its articles before and after, one line each, and
    per article its diff and the corrections laid over it."""

    result: IngestResult
    before: list[str]
    after: list[str]

    @property
    def changed(self) -> bool:
        return self.result.outcome is Outcome.REPLACED

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return self.result.conflicts

    @property
    def created(self) -> int:
        return self.result.articles - self.result.kept_articles

    @property
    def retired(self) -> int:
        return self.result.replaced_articles - self.result.kept_articles

    @property
    def articles(self) -> list[ArticleOutcome]:
        """The articles the reparse changes, moves in, adds, or lays corrections over."""
        outcomes = article_outcomes(self.result)
        return [o for o in outcomes if o.status != "unchanged" or o.has_corrections]

    @property
    def page_layout(self) -> list[str]:
        return page_layout(self.result)


def preview_reparse(page: Page) -> ReparsePreview:
    before = [_summary_line(article) for article in stored_parse(page)]
    result = reparse_page(page, dry_run=True)
    return ReparsePreview(result, before, [_summary_line(a) for a in result.stored])


def _summary_line(article: dict) -> str:
    """An article as staff compare it: title, credits, unions, paragraph count."""
    credits = "、".join(name for name, _ in article["credits"]) or "无署名"
    unions = "、".join(article["organizations"]) or "无组织"
    title = "／".join(
        filter(None, [article["kicker"], article["headline"], article["subheadline"]])
    )
    return f"{title}｜{credits}｜{unions}｜{len(article['paragraphs'])}段"
