"""The one place a parsed name becomes a Person or an Organization row.

Names are matched after whitespace normalisation, organizations by canonical name or by any
alias, so the same reporter or union is never stored twice across pages.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from articles.models import Credit, Organization, OrganizationAlias, Person
from articles.names import normalize_name


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


def organization_for(name: str, aliases: Iterable[str] = ()) -> tuple[Organization, bool]:
    """The organization known by `name` (else by one of `aliases`), created if new; returns
    (organization, created). Aliases no organization has yet are added to it."""
    canonical = normalize_name(name)
    others = [a for a in dict.fromkeys(normalize_name(a) for a in aliases) if a and a != canonical]
    organization = find_organization([canonical]) or find_organization(others)
    created = organization is None
    if created:
        organization = Organization.objects.create(name=canonical)
    candidates = [n for n in [canonical, *others] if n != organization.name]
    taken = set(
        OrganizationAlias.objects.filter(name__in=candidates).values_list("name", flat=True)
    ) | set(Organization.objects.filter(name__in=candidates).values_list("name", flat=True))
    OrganizationAlias.objects.bulk_create(
        OrganizationAlias(organization=organization, name=n) for n in candidates if n not in taken
    )
    return organization, created


def merge_people(target: Person, others: Iterable[Person]) -> int:
    """Move every credit of `others` to `target`, then delete them; returns how many merged.

    A credit `target` already has on the same article in the same role is dropped, not doubled.
    """
    merged = 0
    with transaction.atomic():
        for other in others:
            if other.pk == target.pk:
                continue
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
    with transaction.atomic():
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
    return merged
