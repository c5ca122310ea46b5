"""What storing a page does to each of its articles, as the previews (upload, 重新解析) and the
commands' --dry-run say it before anything is stored: new, unchanged, changed (with a word
diff of titles and text), moved in from another page, and the corrections laid over each (an
editor's admin edits and the page's layout corrections), with those that conflict."""

from __future__ import annotations

from dataclasses import dataclass

from articles.corrections import LABELS, Conflict, display
from articles.identity import ArticleChange
from articles.ingest import IngestResult
from articles.layout_service import describe
from articles.word_diff import ArticleDiff, article_diff

STATUS_LABELS = {"new": "新增", "unchanged": "不变", "changed": "有改动", "moved": "移来"}


@dataclass(frozen=True)
class ArticleOutcome:
    change: ArticleChange
    diff: ArticleDiff
    reapplied: tuple[tuple[str, str], ...]  # (field label, corrected value) laid over the parse
    layout: tuple[str, ...]  # the layout corrections that touch it, as listed
    conflicts: tuple[Conflict, ...]  # corrections whose parse changed under them

    @property
    def article_id(self) -> int:
        return self.change.article_id

    @property
    def status(self) -> str:
        if self.change.before is None:
            return "new"
        if self.change.moved_from is not None:
            return "moved"
        return "changed" if self.change.before != self.change.after else "unchanged"

    @property
    def status_label(self) -> str:
        if self.status == "moved":
            return f"从第{self.change.moved_from}版移来"
        return STATUS_LABELS[self.status]

    @property
    def has_corrections(self) -> bool:
        return bool(self.reapplied or self.layout or self.conflicts)


def article_outcomes(result: IngestResult) -> list[ArticleOutcome]:
    """One outcome per parsed article of the page, in its order (empty for a page stored
    unchanged or failed)."""
    layout: dict[int, list[str]] = {}
    for index, correction in result.layout_applied:
        if index is not None:
            layout.setdefault(index, []).append(describe(correction))
    conflicts: dict[int, list[Conflict]] = {}
    for conflict in result.conflicts:
        conflicts.setdefault(conflict.article_id, []).append(conflict)
    return [
        ArticleOutcome(
            change,
            article_diff(change.before, change.after) if change.before else ArticleDiff((), ()),
            tuple((LABELS[f], display(v)) for f, v in change.reapplied.items()),
            tuple(layout.get(change.index, ())),
            tuple(conflicts.get(change.article_id, ())),
        )
        for change in result.changes
    ]


def page_layout(result: IngestResult) -> list[str]:
    """The layout corrections that touch no article: lines made 版头 or credits, or gone."""
    return [describe(c) for index, c in result.layout_applied if index is None]
