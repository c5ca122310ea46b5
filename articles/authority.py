"""The one place a parsed name becomes a Person or an Organization row.

Names are matched after whitespace normalisation, organizations by canonical name or by any
alias, so the same reporter or union is never stored twice across pages.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from articles import parsing
from articles.index_queue import (
    articles_affected_by,
    index_queue_transaction,
    queue_article_updates,
)
from articles.models import (
    Article,
    Credit,
    Organization,
    OrganizationAlias,
    Person,
    UnionDecision,
)
from articles.names import normalize_name
from articles.parsing.dictionary import dictionary_words


def person_for(name: str) -> tuple[Person, bool]:
    """The reporter called `name`, created if new; returns (person, created)."""
    return Person.objects.get_or_create(name=normalize_name(name))


def find_organization(names: Iterable[str]) -> Organization | None:
    """The organization whose canonical name or alias is one of `names`, preferring canonical."""
    keys = {normalize_name(n) for n in names} - {""}
    if not keys:
        return None
    by_name = Organization.objects.filter(name__in=keys).order_by("pk").first()
    if by_name:
        return by_name
    alias = (
        OrganizationAlias.objects.filter(name__in=keys)
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    return alias.organization if alias else None


def organization_for(
    name: str, aliases: Iterable[str] = (), found_in: Article | None = None
) -> tuple[Organization | None, bool]:
    """The organization known by `name` (else by one of `aliases`), created if new; returns
    (organization, created). Aliases no organization has yet are added to it. A name an editor
    rejected is left out: with none left, (None, False), and the article does not link it.

    A name seen for the first time, in neither the authority file nor the union dictionary
    and not accepted before, is 待核 (needs_review): readers see it once an editor accepts it
    (articles/union_review.py). A new union is stored with the article it was `found_in`.
    """
    names = all_mention_names(name, aliases)
    organization = find_organization(names[:1]) or find_organization(names[1:])
    candidates = [n for n in names if organization is None or n != organization.name]
    taken = set(
        OrganizationAlias.objects.filter(name__in=candidates).values_list("name", flat=True)
    ) | set(Organization.objects.filter(name__in=candidates).values_list("name", flat=True))
    new_names = [n for n in candidates if n not in taken]
    decided = _decisions(new_names)
    new_names = [n for n in new_names if decided.get(n) != UnionDecision.Action.REJECTED]
    created = organization is None
    if created:
        if not new_names:
            return None, False
        canonical, *new_names = new_names
        organization = Organization.objects.create(
            name=canonical, needs_review=_to_check(canonical, decided), found_in=found_in
        )
    added = OrganizationAlias.objects.bulk_create(
        OrganizationAlias(organization=organization, name=n, needs_review=_to_check(n, decided))
        for n in new_names
    )
    if added and not created:  # its articles are found by every name it has
        queue_article_updates(articles_affected_by(added[0]))
    return organization, created


def all_mention_names(name: str, aliases: Iterable[str] = ()) -> list[str]:
    """A union mention's names, normalised, its own name first, each once."""
    return [n for n in dict.fromkeys(normalize_name(n) for n in [name, *aliases]) if n]


def rejected_names(names: Iterable[str]) -> set[str]:
    """Of `names`, those an editor rejected: never linked again."""
    decided = _decisions(names)
    return {n for n, action in decided.items() if action == UnionDecision.Action.REJECTED}


def _decisions(names: Iterable[str]) -> dict[str, str]:
    """Each of `names` an editor decided on, with the decision (UnionDecision.Action). Editors
    decide on 待核 names only, so a shipped name (shipped_union_names) has no decision."""
    names = set(names) - shipped_union_names()
    if not names:
        return {}
    return dict(UnionDecision.objects.filter(name__in=names).values_list("name", "action"))


def _to_check(name: str, decided: dict[str, str]) -> bool:
    """Whether a name stored now is 待核: not shipped, and no editor accepted it before."""
    return name not in shipped_union_names() and name not in decided


@functools.cache
def shipped_union_names() -> frozenset[str]:
    """The names the archive ships with: the authority file's unions and aliases, and the
    union dictionary's words. A parse's union by one of these needs no editor's check."""
    names = {n for union in parsing.authority() for n in (union.name, *union.aliases)}
    return frozenset(names | set(dictionary_words()))


def names_to_check(names: Iterable[str]) -> set[str]:
    """Of `names`, those a parse would bring in as 待核: not shipped, not accepted before."""
    unknown = set(names) - shipped_union_names()
    decided = _decisions(unknown)
    return {n for n in unknown if _to_check(n, decided)}


def merge_people(target: Person, others: Iterable[Person]) -> int:
    """Move every credit of `others` to `target`, then delete them; returns how many merged.

    A credit `target` already has on the same article in the same role is dropped, not doubled.
    """
    merged = 0
    with index_queue_transaction():
        for other in others:
            if other.pk == target.pk:
                continue
            queue_article_updates(articles_affected_by(other))
            for credit in other.credits.select_related("article"):
                duplicate = Credit.objects.filter(
                    article=credit.article, person=target, role=credit.role
                ).exists()
                if duplicate:
                    credit.delete()
                else:
                    credit.person = target
                    credit.save(update_fields=["person"])
            other.delete()
            merged += 1
    return merged


def merge_organizations(target: Organization, others: Iterable[Organization]) -> int:
    """Fold `others` into `target`: their articles, aliases, sub-organizations and names move
    to it (each merged name becomes an alias), then they are deleted; returns how many."""
    merged = 0
    with index_queue_transaction():
        for other in others:
            if other.pk == target.pk:
                continue
            target.articles.add(*other.articles.all())
            for child in other.children.exclude(pk=target.pk):
                child.parent = target
                child.save(update_fields=["parent"])
            for alias in other.aliases.all():
                alias.organization = target
                alias.save(update_fields=["organization"])
            if target.parent_id == other.pk:
                target.parent = other.parent
                target.save(update_fields=["parent"])
            name = other.name
            other.delete()
            if name != target.name:
                OrganizationAlias.objects.get_or_create(
                    name=name, defaults={"organization": target}
                )
            merged += 1
        # Their articles and sub-organizations are the target's now, under its names.
        queue_article_updates(articles_affected_by(target))
    return merged


@dataclass(frozen=True)
class AuthorityReport:
    created: list[str]
    updated: list[str]
    unchanged: int
    conflicts: list[str]


def load_authority(unions: Iterable[parsing.Union]) -> AuthorityReport:
    """Merge the union authority file into Organization rows, idempotently.

    A union is matched by an organization named with its canonical name or one of its aliases
    (so a name the parser stored earlier becomes the canonical record, keeping its links and
    adding the old name as an alias); its
    kind, parent and aliases are set from the file, and it no longer needs review. A name that
    another organization already holds is reported as a conflict, not moved: merge the two in
    the admin.
    """
    unions = list(unions)
    created, updated, conflicts = [], [], []
    unchanged = 0
    with index_queue_transaction():
        records: dict[str, Organization] = {}
        for union in unions:
            # By name only: an alias row elsewhere belongs to another union (a conflict below).
            names = [union.name, *union.aliases]
            matches = {o.name: o for o in Organization.objects.filter(name__in=names)}
            organization = next((matches[n] for n in names if n in matches), None)
            if organization is None:
                organization = Organization.objects.create(name=union.name, kind=union.kind)
                created.append(union.name)
            records[union.name] = organization
        for union in unions:
            organization = records[union.name]
            changed = _apply(organization, union, records, conflicts)
            if changed:
                queue_article_updates(articles_affected_by(organization))
            if changed and union.name not in created:
                updated.append(union.name)
            elif not changed and union.name not in created:
                unchanged += 1
    return AuthorityReport(created, updated, unchanged, conflicts)


def _apply(organization: Organization, union, records: dict, conflicts: list[str]) -> bool:
    """Make `organization` what the authority row says; return whether anything changed."""
    changed = False
    if organization.name != union.name:
        if Organization.objects.filter(name=union.name).exclude(pk=organization.pk).exists():
            conflicts.append(f"{union.name}: another organization has this name")
            return False
        OrganizationAlias.objects.get_or_create(
            name=organization.name, defaults={"organization": organization}
        )
        OrganizationAlias.objects.filter(name=union.name, organization=organization).delete()
        organization.name = union.name
        changed = True
    parent = records[union.parent] if union.parent else None
    fields = {"kind": union.kind, "parent": parent, "needs_review": False}
    for field, value in fields.items():
        if getattr(organization, field) != value:
            setattr(organization, field, value)
            changed = True
    if changed:
        organization.save()
    for alias in union.aliases:
        holder = OrganizationAlias.objects.filter(name=alias).select_related("organization").first()
        if holder is None and not Organization.objects.filter(name=alias).exists():
            OrganizationAlias.objects.create(organization=organization, name=alias)
            changed = True
        elif holder is not None and holder.organization_id != organization.pk:
            conflicts.append(f"{alias}: already an alias of {holder.organization.name}")
        elif holder is None and alias != organization.name:
            conflicts.append(f"{alias}: already the name of another organization")
        elif holder is not None and holder.needs_review:  # a parse's 待核 alias, now shipped
            holder.needs_review = False
            holder.save(update_fields=["needs_review"])
            changed = True
    return changed
