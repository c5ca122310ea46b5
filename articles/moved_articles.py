"""Staff work follows its article to another page of the issue when pages are stored one by
one (`manage.py ingest` of a page, a reparse), as retirement_at_the_end does inside an upload.

An editor's work on an article is its admin corrections (fields that differ from its last
parse), its correction note, its 修订记录 and the page's layout corrections that name its lines.
Either page may be stored first:

- the page that loses it first (`lost_work`): the article is retired and its tombstone keeps
  the work; the page of the issue that later has it again brings it back under its id
  (`revive_retired`), with the work laid over its new parse, the layout corrections first
  (`followed_layout`);
- the page that gains it first: a new article stands there meanwhile (its URL answers while
  the old page still has the article); when the old page loses it, the old article takes the
  new one's place (`hand_over`), and the new one's URL answers 301 to it.

Only an article with staff work moves so; one without needs nothing carried and keeps today's
301 from its old URL to its successor.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.dateparse import parse_datetime

from articles.authority import person_for
from articles.corrections import article_values, baseline, corrections
from articles.layout_corrections import blocks, corrections_by_article
from articles.matching import THRESHOLD, match_articles, similarity
from articles.models import Article, Credit, Organization, Page, RetiredArticle, Revision
from articles.parsing import ParsedPage

# Revived articles wait at seq REVIVED_SEQ + n until sync_articles gives them their place.
REVIVED_SEQ = 20000


def layout_of_lost(
    stored: Sequence[Article], parsed: ParsedPage, layout: Iterable[dict]
) -> dict[int, list[dict]]:
    """{id: the layout corrections naming its lines} for the stored articles whose lines the
    new parse (`parsed`, laid out with `layout`) no longer has: what leaves with them."""
    dangling = [c for index, c in corrections_by_article(parsed, layout) if index is None]
    kept_lines = {b.text for b in blocks(parsed)}
    found: dict[int, list[dict]] = {}
    for article in stored:
        lines = [article.kicker, article.headline, article.subheadline, *article.paragraphs]
        for correction in dangling:
            text = correction["text"]
            if text in kept_lines:
                continue
            if text in lines or (correction["op"] == "join" and any(text in p for p in lines)):
                found.setdefault(article.pk, []).append(correction)
    return found


def lost_work(articles: Sequence[Article], layout_of: dict[int, list[dict]]) -> dict[int, dict]:
    """{id: its staff work, JSON-ready} of the articles that carry any, as a tombstone keeps it."""
    revisions: dict[int, list[dict]] = {}
    for revision in Revision.objects.filter(article__in=articles).order_by("created_at", "pk"):
        revisions.setdefault(revision.article_id, []).append(
            {
                "user": revision.user_id,
                "kind": revision.kind,
                "changes": revision.changes,
                "created_at": revision.created_at.isoformat(),
            }
        )
    work = {}
    for article in articles:
        values = article_values(article)
        layout = layout_of.get(article.pk, [])
        if not (revisions.get(article.pk) or corrections(article, values) or layout):
            continue
        work[article.pk] = {
            "parsed": baseline(article, values),
            "values": values,
            "correction": article.correction,
            "corrected_at": article.corrected_at.isoformat() if article.corrected_at else None,
            "revisions": revisions.get(article.pk, []),
            "layout": layout,
        }
    return work


def followed_layout(issue_date: datetime.date, page_number: int, parsed: ParsedPage) -> list[dict]:
    """The layout corrections retired articles of the issue took from their page whose lines
    this page's parse (before its own layout corrections) has: they follow the article here."""
    retired = RetiredArticle.objects.filter(issue_date=issue_date, successor=None).exclude(
        page_number=page_number
    )
    lines = [b.text for b in blocks(parsed)]
    return [
        correction
        for work in retired.exclude(staff_work={}).values_list("staff_work", flat=True)
        for correction in work["layout"]
        if any(correction["text"] in line for line in lines)
    ]


def revive_retired(
    page: Page,
    new: Sequence[dict[str, Any]],
    matches: dict[int, int],
    current: dict[int, dict[str, Any]],
) -> list[tuple[Article, int]]:
    """Articles a page stored alone lost, with staff work, that the new parse of `page` has:
    each comes back under its id with its work (values, correction note, revisions), and
    `matches` and `current` take it in, like adopt_moved; returns (article, its old page)."""
    unmatched = [j for j in range(len(new)) if j not in matches]
    if not unmatched:
        return []
    retired = list(
        RetiredArticle.objects.filter(issue_date=page.issue.date, successor=None)
        .exclude(staff_work={})
        .exclude(page_number=page.number)
    )
    found = match_articles(
        [t.staff_work["parsed"] for t in retired], [new[j] for j in unmatched], by_place=False
    )
    revived = []
    offset = len(current)
    for k, i in sorted(found.items()):
        tombstone = retired[i]
        article = _revive(page, tombstone, REVIVED_SEQ + len(revived))
        revived.append((article, tombstone.page_number))
        current[article.pk] = tombstone.staff_work["values"]
        matches[unmatched[k]] = offset + len(revived) - 1
    return revived


def _revive(page: Page, tombstone: RetiredArticle, seq: int) -> Article:
    work = tombstone.staff_work
    values = work["values"]
    article = Article.objects.create(
        pk=tombstone.article_id,
        page=page,
        seq=seq,
        kicker=values["kicker"],
        headline=values["headline"],
        subheadline=values["subheadline"],
        kind=values["kind"],
        paragraphs=values["paragraphs"],
        correction=work["correction"],
        corrected_at=parse_datetime(work["corrected_at"]) if work["corrected_at"] else None,
        parsed=work["parsed"],
    )
    credits = {}
    for name, role in values["credits"]:
        credits.setdefault((person_for(name)[0].pk, role), None)
    Credit.objects.bulk_create(
        Credit(article=article, person_id=person, role=role, seq=n)
        for n, (person, role) in enumerate(credits, start=1)
    )
    article.organizations.set(Organization.objects.filter(name__in=values["organizations"]))
    for old in work["revisions"]:
        revision = Revision.objects.create(
            article=article, user_id=old["user"], kind=old["kind"], changes=old["changes"]
        )
        Revision.objects.filter(pk=revision.pk).update(created_at=parse_datetime(old["created_at"]))
    # URLs that led to the tombstone (it had moved before) lead to the article again.
    RetiredArticle.objects.filter(successor=None, pk__in=work.get("predecessors", [])).update(
        successor=article
    )
    tombstone.delete()
    return Article.objects.prefetch_related("credits__person", "organizations").get(pk=article.pk)


def hand_over(
    page: Page, gone: Sequence[Article], layout_of: dict[int, list[dict]]
) -> list[tuple[Article, Article]]:
    """Of the articles `page` loses, those with staff work that another page of the issue has
    (stored there as a new article meanwhile, without staff work of its own): each old article
    takes the new one's place, (old, new) pairs returned; the caller retires the new ones."""
    work = lost_work(gone, layout_of)
    lost = [a for a in gone if a.pk in work]
    if not lost:
        return []
    others = list(
        Article.objects.filter(page__issue_id=page.issue_id)
        .exclude(page=page)
        .select_related("page")
        .prefetch_related("credits__person", "organizations")
    )
    done_by_staff = set(
        Revision.objects.filter(article__in=others).values_list("article", flat=True)
    )
    values = {a.pk: article_values(a) for a in others}
    plain = [a for a in others if a.pk not in done_by_staff and not corrections(a, values[a.pk])]
    found = match_articles(
        [work[a.pk]["parsed"] for a in lost],
        [baseline(a, values[a.pk]) for a in plain],
        by_place=False,
    )
    return [(lost[i], plain[k]) for k, i in sorted(found.items())]


def _best_matches(rows: Sequence, candidates: Sequence) -> dict[int, int]:
    """{index in rows: index in candidates} of the candidate (an article on another page) each
    row is, if any: several tombstones of one article may all lead to it."""

    def as_text(row) -> dict[str, Any]:
        return {"headline": row.headline, "paragraphs": [row.body]}

    found = {}
    texts = [as_text(c) for c in candidates]
    for i, row in enumerate(rows):
        scores = [similarity(as_text(row), text) for text in texts]
        best = max(range(len(scores)), key=scores.__getitem__, default=None)
        if best is not None and scores[best] >= THRESHOLD:
            found[i] = best
    return found


def link_moved(
    page: Page, created: Sequence[Article], retired: Sequence[RetiredArticle]
) -> list[RetiredArticle]:
    """An article that left its page for another page of the issue: its old URL answers 301.

    Either order of a re-upload: a page that loses the article first leaves an orphan that the
    page gaining it claims, or the gaining page came first and the losing page finds it."""
    issue_date: datetime.date = page.issue.date
    linked = []
    if created:
        orphans = list(RetiredArticle.objects.filter(issue_date=issue_date, successor=None))
        for i, j in _best_matches(orphans, created).items():
            orphans[i].successor = created[j]
            linked.append(orphans[i])
    pending = [t for t in retired if t.successor_id is None and t not in linked]
    if pending:
        elsewhere = list(
            Article.objects.filter(page__issue__date=issue_date)
            .exclude(page=page)
            .only("pk", "headline", "body")
        )
        for i, j in _best_matches(pending, elsewhere).items():
            pending[i].successor = elsewhere[j]
            linked.append(pending[i])
    RetiredArticle.objects.bulk_update(linked, ["successor"])
    for tombstone in linked:  # an article that moved twice: its first URL follows it too
        if getattr(tombstone, "predecessors", None):
            RetiredArticle.objects.filter(pk__in=tombstone.predecessors).update(
                successor=tombstone.successor
            )
    return linked
