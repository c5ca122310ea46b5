"""Staff corrections of articles: recorded as revisions, and re-applied over every reparse.

An article keeps what the parser last produced (`Article.parsed`); a field whose value differs
from it is a correction. A reparse stores the new parse with each correction laid over it where
the parser still says what it said under the correction; where the parser now says something
else, the two disagree (a Conflict) and the editor chooses, the correction winning until then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from articles import parsing
from articles.authority import all_mention_names, find_organization, rejected_names
from articles.models import Article, Credit, Page, Person, Revision
from articles.names import normalize_name

FIELDS = ("kicker", "headline", "subheadline", "kind", "paragraphs", "credits", "organizations")
LABELS = {
    "kicker": "引题",
    "headline": "标题",
    "subheadline": "副题",
    "kind": "类型",
    "paragraphs": "段落",
    "credits": "署名",
    "organizations": "涉及组织",
    "correction": "更正说明",
}
TAKE_PARSE = "parse"
KEEP_CORRECTION = "keep"


def article_values(article: Article) -> dict[str, Any]:
    """The article as stored, in the shape of `parsed_articles` (JSON-ready)."""
    return {
        "kicker": article.kicker,
        "headline": article.headline,
        "subheadline": article.subheadline,
        "kind": article.kind,
        "credits": [[c.person.name, c.role] for c in article.credits.all()],
        "paragraphs": list(article.paragraphs),
        "organizations": sorted(o.name for o in article.organizations.all()),
    }


def baseline(article: Article, current: dict[str, Any]) -> dict[str, Any]:
    """What the parser last said; an article stored before parses were kept counts as parsed."""
    return article.parsed or current


def corrections(article: Article, current: dict[str, Any]) -> dict[str, Any]:
    """{field: corrected value} for each field staff changed since the last parse."""
    parsed = baseline(article, current)
    return {f: current[f] for f in FIELDS if f in parsed and current[f] != parsed[f]}


def display(value: Any) -> str:
    """A field value as an editor reads it."""
    if isinstance(value, list) and value and isinstance(value[0], list):
        roles = dict(Credit.Role.choices)
        return "、".join(f"{roles.get(role, role)} {name}" for name, role in value)
    if isinstance(value, list):
        return " / ".join(value) if value else "（空）"
    return str(value) if value else "（空）"


@dataclass(frozen=True)
class Conflict:
    """A correction whose parsed text changed under it: keep the correction or take the parse."""

    article_id: int
    headline: str
    field: str
    corrected: Any
    parsed: Any

    @property
    def key(self) -> str:
        return f"{self.article_id}:{self.field}"

    @property
    def label(self) -> str:
        return LABELS[self.field]

    @property
    def corrected_text(self) -> str:
        return display(self.corrected)

    @property
    def parsed_text(self) -> str:
        return display(self.parsed)


def lay_over(
    article: Article,
    current: dict[str, Any],
    new: dict[str, Any],
    choices: Mapping[str, str],
) -> tuple[dict[str, Any], list[Conflict]]:
    """The values to store for `article` given its new parse, and the conflicts found."""
    parsed = baseline(article, current)
    values, conflicts = dict(new), []
    for field, corrected in corrections(article, current).items():
        if new[field] in (parsed[field], corrected):
            values[field] = corrected
            continue
        conflict = Conflict(article.pk, current["headline"], field, corrected, new[field])
        conflicts.append(conflict)
        if choices.get(conflict.key) != TAKE_PARSE:
            values[field] = corrected
    return values, conflicts


def conflict_choices(post: Mapping[str, str]) -> dict[str, str]:
    """The editor's choice for each conflict a preview listed ({Conflict.key: "keep" or
    "parse"}), from its radio buttons `conflict_<key>`."""
    return {
        key.removeprefix("conflict_"): value
        for key, value in post.items()
        if key.startswith("conflict_") and value in (KEEP_CORRECTION, TAKE_PARSE)
    }


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict]:
    return {
        field: {"before": before[field], "after": after[field]}
        for field in before
        if before[field] != after.get(field)
    }


def record_revision(
    article: Article,
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    user=None,
    kind: str = Revision.Kind.EDIT,
) -> Revision | None:
    """Store what changed (nothing changed: no revision) and mark the article corrected."""
    changes = changes_between(before, after)
    if not changes:
        return None
    revision = Revision.objects.create(article=article, user=user, kind=kind, changes=changes)
    if not article.parsed:
        # Stored before parses were kept: what it was before this first change stands for it.
        article.parsed = {name: before[name] for name in FIELDS}
    if kind != Revision.Kind.CREATE:  # readers see 本文已更正 from the first change on
        article.corrected_at = revision.created_at
    Article.objects.filter(pk=article.pk).update(
        corrected_at=article.corrected_at, parsed=article.parsed
    )
    return revision


def editable_values(article: Article) -> dict[str, Any]:
    """`article_values` plus the correction note: everything an admin edit can change."""
    return {**article_values(article), "correction": article.correction}


def fresh(article_ids: Iterable[int]) -> dict[int, Article]:
    articles = Article.objects.filter(pk__in=list(article_ids)).prefetch_related(
        "credits__person", "organizations"
    )
    return {a.pk: a for a in articles}


def record_merge(before: dict[int, dict[str, Any]], user=None) -> int:
    """After a merge of people or organizations: one revision per article it changed."""
    recorded = 0
    for pk, article in fresh(before).items():
        recorded += bool(
            record_revision(
                article, before[pk], article_values(article), user=user, kind=Revision.Kind.MERGE
            )
        )
    return recorded


@dataclass(frozen=True)
class HistoryEntry:
    revision: Revision
    changes: list[tuple[str, str, str]]  # field label, before, after


def history(article: Article) -> list[HistoryEntry]:
    """The article's revisions, newest first, as an editor reads them."""
    return [
        HistoryEntry(
            revision,
            [
                (LABELS.get(name, name), display(change["before"]), display(change["after"]))
                for name, change in revision.changes.items()
            ],
        )
        for revision in article.revisions.select_related("user")
    ]


def articles_of(records: Iterable) -> list[int]:
    """The articles crediting these people or mentioning these organizations (a merge's)."""
    records = list(records)
    if not records:
        return []
    if isinstance(records[0], Person):
        found = Article.objects.filter(credits__person__in=records)
    else:
        found = Article.objects.filter(organizations__in=records)
    return list(found.values_list("pk", flat=True).distinct())


def merge_with_history(merge, target, others: list, user=None) -> int:
    """Run `merge` (authority.merge_people or merge_organizations) and record on every article
    it changes a revision by `user`; returns what `merge` returns."""
    with transaction.atomic():
        before = {pk: article_values(a) for pk, a in fresh(articles_of(others)).items()}
        merged = merge(target, others)
        record_merge(before, user)
    return merged


def articles_of_page(page: Page):
    return page.articles.order_by("seq").prefetch_related("credits__person", "organizations")


def stored_parse(page: Page) -> list[dict]:
    """The page's stored articles in the shape of `parsed_articles`, to tell if a reparse changes them."""
    return [article_values(a) for a in articles_of_page(page)]


def parsed_articles(parsed: parsing.ParsedPage) -> list[dict]:
    """The parse as it would be stored: names normalised, organizations by canonical name."""

    def names_of(mention: parsing.OrganizationMention) -> list[str]:
        return all_mention_names(mention.name, mention.aliases)

    every = {n for a in parsed.articles for o in a.organizations for n in names_of(o)}
    rejected = rejected_names(every)  # never linked (articles.union_review)

    def canonical(mention: parsing.OrganizationMention) -> str | None:
        names = [n for n in names_of(mention) if n not in rejected]  # None: all rejected
        known = find_organization(names)
        return known.name if known else next(iter(names), None)

    return [
        {
            "kicker": a.kicker or "",
            "headline": a.headline,
            "subheadline": a.subheadline or "",
            "kind": str(a.kind),
            "credits": [
                list(c)
                for c in dict.fromkeys((normalize_name(c.name), str(c.role)) for c in a.credits)
            ],
            "paragraphs": list(a.paragraphs),
            "organizations": sorted({canonical(o) for o in a.organizations} - {None}),
        }
        for a in parsed.articles
    ]
