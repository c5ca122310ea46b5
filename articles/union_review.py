"""Unions an editor has looked at: a union or alias a parse brings in for the first time is
待核 (to check), stored and linked to its articles but shown to readers only once an editor
accepts it.

authority.organization_for marks a new name (needs_review) unless the authority file or the
union dictionary ships it or an editor accepted it before. Readers' pages, feeds, the API and
the sitemap show `shown_to_readers(...)` only; search keeps indexing every name (the text is
the text) and leaves 待核 unions out of its facets (`without_unions_to_check`). An editor
accepts a name, merges a union into an existing one (authority.merge_organizations: its
articles move, its names become aliases) or rejects it: the union (or alias) is deleted, and
the name, remembered as a UnionDecision, is never linked again (authority.organization_for).
Each name has one decision, so of two editors deciding it at once one wins and the other is
told what was decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from articles.authority import (
    all_mention_names,
    find_organization,
    merge_organizations,
    names_to_check,
    rejected_names,
)
from articles.corrections import merge_with_history
from articles.index_queue import (
    articles_affected_by,
    index_queue_transaction,
    queue_article_updates,
)
from articles.models import Article, Organization, OrganizationAlias, UnionDecision
from articles.search.union_tree import MANY_UNIONS

Action = UnionDecision.Action


class ReviewError(Exception):
    """A decision that cannot be made; the message is for the editor."""


def shown_to_readers(unions: QuerySet) -> QuerySet:
    """The unions (or aliases) of `unions` that readers see: accepted or shipped, not 待核."""
    return unions.filter(needs_review=False)


def without_unions_to_check(counts: dict) -> dict:
    """Search facet counts (haystack's `facet_counts()`) without the 待核 unions' values."""
    fields = counts.get("fields", {}) if counts else {}
    values = {value for field in fields.values() for value, _ in field}
    to_check = Organization.objects.filter(needs_review=True)
    if len(values) <= MANY_UNIONS:  # else every 待核 name: cheaper than a name IN of thousands
        to_check = to_check.filter(name__in=values)
    hidden = set(to_check.values_list("name", flat=True))
    if not hidden:
        return counts
    kept = {
        field: [(value, count) for value, count in pairs if value not in hidden]
        for field, pairs in fields.items()
    }
    return {**counts, "fields": kept}


@dataclass(frozen=True)
class NameToCheck:
    """A 待核 union, or a 待核 alias of a union (`alias_of`), with the articles naming it."""

    name: str
    alias_of: str
    article_count: int
    found_in: Article | None


def review_list() -> list[NameToCheck]:
    """Every 待核 union and alias, most named first: the editors' list."""
    unions = (
        Organization.objects.filter(needs_review=True)
        .annotate(article_count=Count("articles", distinct=True))
        .select_related("found_in")
    )
    aliases = (
        OrganizationAlias.objects.filter(needs_review=True, organization__needs_review=False)
        .annotate(article_count=Count("organization__articles", distinct=True))
        .select_related("organization")
    )
    found = [NameToCheck(u.name, "", u.article_count, u.found_in) for u in unions]
    found += [NameToCheck(a.name, a.organization.name, a.article_count, None) for a in aliases]
    return sorted(found, key=lambda n: (-n.article_count, n.name))


def recent_decisions(limit: int = 20) -> list[UnionDecision]:
    """The latest decisions, newest first: who decided what, and when."""
    return list(UnionDecision.objects.select_related("decided_by")[:limit])


def accept(name: str, user=None) -> UnionDecision:
    """Show the 待核 union `name` (and its 待核 aliases), or the 待核 alias `name`, to readers."""
    return _decide(name, Action.ACCEPTED, user)


def reject(name: str, user=None) -> UnionDecision:
    """Delete the 待核 union `name` (unlinking its articles) or the 待核 alias `name`, and
    remember its names: no reparse or upload links them again."""
    return _decide(name, Action.REJECTED, user)


def merge_into(name: str, target: str, user=None) -> UnionDecision:
    """Fold the 待核 union `name` into the union called `target` (by any name readers see):
    its articles move there, and its names become the target's aliases."""
    return _decide(name, Action.MERGED, user, target)


def _decide(name: str, action: str, user, target: str = "") -> UnionDecision:
    try:
        with transaction.atomic():
            return _decide_locked(name, action, user, target)
    except IntegrityError:  # another editor's decision on this name was stored first
        pass
    raise ReviewError(_already_decided(name))


def _decide_locked(name: str, action: str, user, target: str) -> UnionDecision:
    union = (
        Organization.objects.select_for_update(of=("self",))
        .filter(name=name, needs_review=True)
        .first()
    )
    alias = None
    if union is None:
        alias = (
            OrganizationAlias.objects.select_for_update(of=("self",))
            .filter(name=name, needs_review=True)
            .select_related("organization")
            .first()
        )
    if union is None and alias is None:
        raise ReviewError(_already_decided(name))
    if alias is not None:
        return _decide_alias(alias, action, user)
    if action == Action.ACCEPTED:
        pending = list(union.aliases.filter(needs_review=True).values_list("name", flat=True))
        union.aliases.filter(needs_review=True).update(needs_review=False)
        union.needs_review = False
        union.save(update_fields=["needs_review"])
        return _record([union.name, *pending], action, user, alias_of="")
    names = [union.name, *union.aliases.values_list("name", flat=True)]
    if action == Action.MERGED:
        into = _merge_target(target, union)
        union.aliases.update(needs_review=False)  # the target's aliases now, as accepted
        merge_with_history(merge_organizations, into, [union], user=user)
        return _record(names, action, user, merged_into=into.name)
    _unlink(union)
    return _record(names, action, user)


def _decide_alias(alias: OrganizationAlias, action: str, user) -> UnionDecision:
    union = alias.organization.name
    if action == Action.MERGED:
        raise ReviewError(f"“{alias.name}”是“{union}”的别名：别名只能接受或驳回。")
    if action == Action.ACCEPTED:
        alias.needs_review = False
        alias.save(update_fields=["needs_review"])
    else:
        with index_queue_transaction():  # its union's articles are no longer found by it
            queue_article_updates(articles_affected_by(alias))
            alias.delete()
    return _record([alias.name], action, user, alias_of=union)


def _merge_target(target: str, union: Organization) -> Organization:
    into = find_organization([target]) if target.strip() else None
    if into is None or into.needs_review:
        raise ReviewError(f"没有名为“{target.strip()}”的已核工会，无法合并。")
    if into.pk == union.pk:
        raise ReviewError(f"不能把“{union.name}”合并到它自己。")
    return into


def _unlink(union: Organization) -> None:
    """Delete a rejected union; its articles' parse record forgets it, as a reparse would."""
    with index_queue_transaction():
        queue_article_updates(articles_affected_by(union))
        for article in union.articles.only("pk", "parsed"):
            if union.name in article.parsed.get("organizations", []):
                names = [n for n in article.parsed["organizations"] if n != union.name]
                article.parsed = {**article.parsed, "organizations": names}
                Article.objects.filter(pk=article.pk).update(parsed=article.parsed)
        union.delete()


def _record(
    names: list[str], action: str, user, alias_of: str = "", merged_into: str = ""
) -> UnionDecision:
    """One decision per name, the first returned; a union's other names are recorded as its
    aliases. A name decided already raises IntegrityError, rolling the decision back."""
    first, *others = names
    decision = UnionDecision.objects.create(
        name=first, action=action, alias_of=alias_of, merged_into=merged_into, decided_by=user
    )
    for name in others:
        UnionDecision.objects.create(
            name=name, action=action, alias_of=first, merged_into=merged_into, decided_by=user
        )
    return decision


def _already_decided(name: str) -> str:
    decision = UnionDecision.objects.filter(name=name).select_related("decided_by").first()
    if decision is None:
        return f"“{name}”不在待核列表中：可能已被其他编辑处理，或已随重新解析消失。"
    who = decision.decided_by or "其他编辑"
    when = timezone.localtime(decision.decided_at)
    what = decision.get_action_display()
    if decision.merged_into:
        what += f"到“{decision.merged_into}”"
    return f"“{name}”已由 {who} 于 {when:%Y-%m-%d %H:%M} {what}，您的操作未执行。"


def mark_single_article_unions(dry_run: bool = False) -> list[str]:
    """For an archive stored before editors checked unions: mark 待核 every union only one
    article names that is not shipped nor accepted before; returns their names (the same
    ones with `dry_run`, which changes nothing)."""
    single = (
        Organization.objects.filter(needs_review=False)
        .annotate(article_count=Count("articles"))
        .filter(article_count=1)
    )
    names = sorted(names_to_check(single.values_list("name", flat=True)))
    if not dry_run:
        Organization.objects.filter(name__in=names).update(needs_review=True)
    return names


@dataclass(frozen=True)
class NewName:
    """A union name an upload's confirm would bring in, with the headlines naming it."""

    name: str
    alias_of: str  # the known union it would become an alias of ("" for a new union)
    headlines: tuple[str, ...]
    rejected: bool  # an editor rejected it: the confirm will not link it


def new_names_in(articles: Iterable) -> list[NewName]:
    """The union names parsed articles (parsing.ParsedArticle) bring in: each union or alias
    that a confirm would store as 待核, and each name an editor rejected, which stays out."""
    found: dict[tuple[str, str, bool], list[str]] = {}
    for article in articles:
        for mention in article.organizations:
            every = all_mention_names(mention.name, mention.aliases)
            rejected = rejected_names(every)
            names = [n for n in every if n not in rejected]
            for name in every:
                if name in rejected:
                    found.setdefault((name, "", True), []).append(article.headline)
            if not names:
                continue
            known = find_organization(names)
            owner = known.name if known else names[0]
            for name in names_to_check(set(names) - _held_names(names)):
                key = (name, "" if name == owner else owner, False)
                found.setdefault(key, []).append(article.headline)
    return [
        NewName(name, alias_of, tuple(dict.fromkeys(headlines)), rejected)
        for (name, alias_of, rejected), headlines in sorted(found.items())
    ]


def _held_names(names: list[str]) -> set[str]:
    held = set(Organization.objects.filter(name__in=names).values_list("name", flat=True))
    aliases = OrganizationAlias.objects.filter(name__in=names).values_list("name", flat=True)
    return held | set(aliases)


def new_names_in_preview(reviews: Iterable) -> list[NewName]:
    """new_names_in for the articles an upload preview's screen shows (upload_review.PageReview)."""
    return new_names_in(
        article
        for review in reviews
        if review.preview.parsed is not None
        for article in review.preview.parsed.articles[review.shown.start : review.shown.stop]
    )
