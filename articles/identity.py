"""A stored page's articles brought in line with a new parse of it, each keeping its identity.

An article the new parse still has (by headline, text and position: articles.matching) is
updated in place, keeping its id, its URL and its staff corrections (articles.corrections). One
the parse no longer has is retired: its URL answers 410 naming its page, or 301 once the same
article turns up elsewhere in the issue. Runs inside the ingest service's transaction, and
queues every article it creates, changes, moves or retires for the search index.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F

from articles import parsing
from articles.authority import organization_for, person_for
from articles.corrections import (
    TAKE_PARSE,
    Conflict,
    article_values,
    baseline,
    corrections,
    lay_over,
    record_revision,
)
from articles.index_queue import queue_article_updates
from articles.matching import match_articles
from articles.models import Article, Credit, Organization, Page, RetiredArticle, Revision
from articles.moved_articles import hand_over, link_moved, lost_work, revive_retired

# Articles whose position changes step aside to seq + SEQ_SHIFT first (one seq per page).
SEQ_SHIFT = 10000
_TEXT_FIELDS = ("kicker", "headline", "subheadline", "kind", "paragraphs")
# Inside retirement_at_the_end: {id: (page id, seq)} of the articles pages lost.
_set_aside: ContextVar[dict[int, tuple[int, int]] | None] = ContextVar("set_aside", default=None)
# Inside retirement_at_the_end: {page number: the articles it will store}.
_incoming: ContextVar[dict[int, list[dict]] | None] = ContextVar("incoming", default=None)


@dataclass
class SyncReport:
    kept: list[int] = field(default_factory=list)
    retired: list[int] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    people: set[str] = field(default_factory=set)
    organizations: set[str] = field(default_factory=set)
    new_people: int = 0
    new_organizations: int = 0
    moved_in: dict[int, int] = field(default_factory=dict)  # {id: the page it came from}
    moved_out: dict[int, int] = field(default_factory=dict)  # {id: the page it went to}
    changes: list[ArticleChange] = field(default_factory=list)  # one per parsed article


@dataclass(frozen=True)
class ArticleChange:
    """What storing the page does to its `index`th parsed article: `before`, the article as
    stored (None: a new one), `after`, as it will be, with `reapplied`, the staff corrections
    laid over the new parse ({field: corrected value})."""

    index: int
    article_id: int
    before: dict[str, Any] | None
    after: dict[str, Any]
    reapplied: dict[str, Any] = field(default_factory=dict)
    moved_from: int | None = None  # the page of the issue it comes from


def sync_articles(
    page: Page,
    existing: Sequence[Article],
    parsed: Sequence[parsing.ParsedArticle],
    new: Sequence[dict[str, Any]],
    *,
    choices: Mapping[str, str] | None = None,
    user=None,
    layout_of: dict[int, list[dict]] | None = None,
) -> SyncReport:
    """Store `parsed` (with `new`, its `parsed_articles` form) as the articles of `page`.
    `layout_of` ({id: layout corrections}, articles.moved_articles.layout_of_lost): the
    page's layout corrections that leave with the articles it loses."""
    choices = choices or {}
    report = SyncReport()
    current = {a.pk: article_values(a) for a in existing}
    matches = match_articles([baseline(a, current[a.pk]) for a in existing], list(new))
    adopted = adopt_moved(page, new, matches, current)
    if _set_aside.get() is None:  # a page stored alone: no upload hands articles over
        adopted = revive_retired(page, new, matches, current)
    report.moved_in = {a.pk: number for a, number in adopted}
    existing = [*existing, *(a for a, _ in adopted)]
    kept = {existing[i].pk for i in matches.values()}
    unmatched = [a for a in existing if a.pk not in kept]
    by_hand = added_by_hand(unmatched)
    gone = [a for a in unmatched if a.pk not in by_hand]
    if _set_aside.get() is None:
        report.moved_out = take_places(page, gone, layout_of or {})
        gone = [a for a in gone if a.pk not in report.moved_out]
        tombstones = retire_articles(gone, layout_of or {})
    else:
        tombstones = set_aside(gone)
    # Articles staff added by hand stay, after the parsed ones.
    placed = [(a, len(new) + n) for n, a in enumerate(a for a in unmatched if a.pk in by_hand)]
    placed = [(a, seq) for a, seq in placed if a.seq != seq + 1]
    shifting = [existing[i].pk for j, i in matches.items() if existing[i].seq != j + 1]
    shifting += [a.pk for a, _ in placed]
    if shifting:
        Article.objects.filter(pk__in=shifting).update(seq=F("seq") + SEQ_SHIFT)
    changed = set(shifting)
    created = []
    for j, (parsed_article, values_new) in enumerate(zip(parsed, new, strict=True)):
        if j not in matches:
            article = Article(page=page, seq=j + 1, parsed=values_new)
            _write(article, values_new, None, parsed_article, report)
            created.append(article)
            changed.add(article.pk)
            report.changes.append(ArticleChange(j, article.pk, None, values_new))
            continue
        article = existing[matches[j]]
        before = current[article.pk]
        values, conflicts = lay_over(article, before, values_new, choices)
        reapplied = {
            f: v for f, v in corrections(article, before).items() if values[f] == v != values_new[f]
        }
        moved_from = report.moved_in.get(article.pk)
        report.changes.append(ArticleChange(j, article.pk, before, values, reapplied, moved_from))
        report.conflicts += conflicts
        moved = article.seq != j + 1 or article.parsed != values_new
        article.seq, article.parsed = j + 1, values_new
        if _write(article, values, before, parsed_article, report, dirty=moved):
            changed.add(article.pk)
        taken = [c for c in conflicts if choices.get(c.key) == TAKE_PARSE]
        if taken:
            after = {**before, **{c.field: c.parsed for c in taken}}
            record_revision(article, before, after, user=user, kind=Revision.Kind.REPARSE)
        report.kept.append(article.pk)
    for article, index in placed:
        article.seq = index + 1
        article.save(update_fields=["seq", "updated_at"])
    report.kept += sorted(by_hand)
    report.retired = [a.pk for a in gone]
    report.created = [a.pk for a in created]
    link_moved(page, created, tombstones)
    queue_article_updates(changed | set(report.moved_out))
    return report


def take_places(page: Page, gone: Sequence[Article], layout_of: dict[int, list[dict]]) -> dict:
    """The lost articles with staff work that another page of the issue has meanwhile as a new
    article (moved_articles.hand_over) take its place, id, work and history and all; the new
    one is retired, its URL 301 to the old. Returns {id: the page number it went to}."""
    moved = {}
    for old, new in hand_over(page, gone, layout_of):
        (tombstone,) = retire_articles([new])
        Article.objects.filter(pk=old.pk).update(page=new.page, seq=new.seq)
        RetiredArticle.objects.filter(
            pk__in=[tombstone.pk, *getattr(tombstone, "predecessors", [])]
        ).update(successor=old.pk)
        moved[old.pk] = new.page.number
    return moved


def _write(
    article: Article,
    values: dict[str, Any],
    before: dict[str, Any] | None,
    parsed: parsing.ParsedArticle,
    report: SyncReport,
    dirty: bool = True,
) -> bool:
    """Save the article with `values` if anything changed (`dirty`: its place or its parse);
    credits and unions are rewritten only when they differ. Returns whether anything was."""
    values = dict(values)
    dirty = dirty or any(getattr(article, name) != values[name] for name in _TEXT_FIELDS)
    for name in _TEXT_FIELDS:
        setattr(article, name, values[name])
    if dirty:
        article.save()
    credits_changed = before is None or values["credits"] != before["credits"]
    organizations_changed = before is None or values["organizations"] != before["organizations"]
    if credits_changed:
        if before is not None:
            article.credits.all().delete()
        _write_credits(article, values["credits"], report)
    else:
        report.people.update(name for name, _ in values["credits"])
    if organizations_changed:
        if values["organizations"] == article.parsed["organizations"]:
            linked = _organizations_of_parse(article, parsed, report)
            values["organizations"] = sorted({o.name for o in linked})
            if values["organizations"] != article.parsed["organizations"]:
                # A union an earlier article of the page introduced: the parse is what is linked.
                article.parsed = {**article.parsed, "organizations": values["organizations"]}
                Article.objects.filter(pk=article.pk).update(parsed=article.parsed)
        else:  # a staff correction: link by canonical name
            linked = list(Organization.objects.filter(name__in=values["organizations"]))
        if before is None:
            article.organizations.add(*linked)
        else:
            article.organizations.set(linked)
    report.organizations.update(values["organizations"])
    return dirty or credits_changed or organizations_changed


def _write_credits(article: Article, credits: list[list[str]], report: SyncReport) -> None:
    unique = {}
    for name, role in credits:
        person, created = person_for(name)
        report.new_people += created
        report.people.add(person.name)
        unique.setdefault((person.pk, role), person)
    Credit.objects.bulk_create(
        Credit(article=article, person_id=person_pk, role=role, seq=n)
        for n, (person_pk, role) in enumerate(unique, start=1)
    )


def _organizations_of_parse(
    article: Article, parsed: parsing.ParsedArticle, report: SyncReport
) -> list[Organization]:
    linked = []
    for mention in parsed.organizations:
        organization, created = organization_for(mention.name, mention.aliases, article)
        if organization is None:  # every name of it rejected by an editor: not linked
            continue
        report.new_organizations += created
        linked.append(organization)
    return linked


def adopt_moved(
    page: Page,
    new: Sequence[dict[str, Any]],
    matches: dict[int, int],
    current: dict[int, dict[str, Any]],
) -> list[tuple[Article, int]]:
    """Inside retirement_at_the_end: articles that other pages of the upload lose and the new
    parse of `page` has (the article moved page) move here keeping their id, their staff
    corrections and their revisions; `matches` and `current` take them in. They step aside
    to seq + SEQ_SHIFT on arrival, and sync_articles gives them their place."""
    unmatched = [j for j in range(len(new)) if j not in matches]
    aside, incoming = _set_aside.get(), _incoming.get() or {}
    if not unmatched or aside is None:
        return []
    candidates = (
        Article.objects.filter(page__issue_id=page.issue_id)
        .exclude(page=page)
        .exclude(pk__in=current)
        .select_related("page")
        .prefetch_related("credits__person", "organizations")
    )
    values = {a.pk: article_values(a) for a in candidates}
    elsewhere = [a for a in candidates if a.pk in aside or _will_lose(a, values[a.pk], incoming)]
    found = match_articles(
        [baseline(a, values[a.pk]) for a in elsewhere],
        [new[j] for j in unmatched],
        by_place=False,
    )
    adopted = []
    offset = len(current)
    for k, i in found.items():
        article = elsewhere[i]
        adopted.append((article, article.page.number))
        Article.objects.filter(pk=article.pk).update(page=page, seq=F("seq") + SEQ_SHIFT)
        article.page, article.seq = page, 0  # not its place yet: sync_articles moves it
        current[article.pk] = values[article.pk]
        matches[unmatched[k]] = offset + len(adopted) - 1
    return adopted


def _will_lose(article: Article, values: dict[str, Any], incoming: dict[int, list]) -> bool:
    """Whether the article's own page is in the upload and will not store it again."""
    number = article.page.number
    if number not in incoming:
        return False
    return not match_articles([baseline(article, values)], incoming[number], by_place=False)


@contextlib.contextmanager
def retirement_at_the_end(incoming: dict[int, list[dict]], retire: bool = True) -> Iterator[None]:
    """Around storing several pages of one issue in one transaction (an upload's confirm;
    `incoming`: {page number: the articles it will store}): a page that has an article another
    page of the upload loses adopts it (adopt_moved), id, corrections and history and all,
    whichever page is stored first. A lost article is set aside, not retired, until then;
    those no page took are retired on leaving, each 301 to its successor if one turned up
    (not when a dry run, `retire=False`, rolled everything back)."""
    aside: dict[int, tuple[int, int]] = {}
    tokens = _set_aside.set(aside), _incoming.set(incoming)
    try:
        yield
    finally:
        _set_aside.reset(tokens[0])
        _incoming.reset(tokens[1])
    if not retire:
        return
    left = Article.objects.filter(pk__in=aside).select_related("page__issue")
    by_page: dict[int, list[Article]] = {}
    for article in left:
        page_id, seq = aside[article.pk]
        if article.page_id == page_id:  # no page adopted it
            article.seq = seq
            by_page.setdefault(page_id, []).append(article)
    for articles in by_page.values():
        link_moved(articles[0].page, [], retire_articles(articles, {}))


def storing_an_upload() -> bool:
    """Inside retirement_at_the_end: the upload moves layout corrections with their lines
    (upload_review.upload_layouts), a lost article's stay on its page."""
    return _set_aside.get() is not None


def set_aside(articles: Sequence[Article]) -> list[RetiredArticle]:
    """Lost articles stepped out of their page's places, until retirement_at_the_end."""
    aside = _set_aside.get()
    for article in articles:
        aside[article.pk] = (article.page_id, article.seq)
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(seq=F("seq") + SEQ_SHIFT)
    return []


def added_by_hand(articles: Sequence[Article]) -> set[int]:
    """The ones staff added in the admin (a 新增 revision): no parse has them."""
    if not articles:
        return set()
    revisions = Revision.objects.filter(article__in=articles, kind=Revision.Kind.CREATE)
    return set(revisions.values_list("article_id", flat=True))


def retire_articles(
    articles: Sequence[Article], layout_of: dict[int, list[dict]] | None = None
) -> list[RetiredArticle]:
    """Delete the articles (and their search documents), leaving each a tombstone: its URL
    answers 410 naming its page (or 301, once a successor is known). URLs that led to them
    follow them: see `link_moved`. With `layout_of` (a parse lost them, not staff), each
    tombstone keeps its article's staff work, for the page that has it again
    (moved_articles.revive_retired)."""
    if not articles:
        return []
    ids = [a.pk for a in articles]
    predecessors: dict[int, list[int]] = {}
    for pk, successor in RetiredArticle.objects.filter(successor__in=ids).values_list(
        "pk", "successor_id"
    ):
        predecessors.setdefault(successor, []).append(pk)
    work = lost_work(articles, layout_of) if layout_of is not None else {}
    for pk, kept in work.items():
        kept["predecessors"] = predecessors.get(pk, [])  # tombstones whose URLs led to it
    tombstones = RetiredArticle.objects.bulk_create(
        RetiredArticle(
            article_id=a.pk,
            issue_date=a.page.issue.date,
            page_number=a.page.number,
            seq=a.seq,
            headline=a.headline,
            body=a.body,
            staff_work=work.get(a.pk, {}),
        )
        for a in articles
    )
    for tombstone in tombstones:
        tombstone.predecessors = predecessors.get(tombstone.article_id, [])
    Article.objects.filter(pk__in=ids).delete()
    queue_article_updates(ids)
    return tombstones
