import pytest

from articles.authority import (
    find_organization,
    merge_organizations,
    merge_people,
    organization_for,
    person_for,
)
from articles.models import Credit, Organization, OrganizationAlias, Person
from tests.factories import make_article, make_credit, make_organization


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", ["刘 欣欣", "刘\u3000欣欣", " 刘欣欣\u00a0", "刘欣欣"])
def test_person_for_normalises_whitespace(spelling):
    person_for("刘欣欣")

    person, created = person_for(spelling)

    assert (person.name, created, Person.objects.count()) == ("刘欣欣", False, 1)


@pytest.mark.django_db
def test_organization_for_keeps_aliases_and_finds_by_them():
    created_org, created = organization_for("北京经济技术开发区总工会", ["经开区总工会"])

    found, again = organization_for("经开区总工会")

    assert (created, again, found) == (True, False, created_org)
    assert list(found.aliases.values_list("name", flat=True)) == ["经开区总工会"]


@pytest.mark.django_db
def test_organization_for_adds_aliases_the_archive_did_not_know():
    organization_for("中华全国总工会")

    organization, created = organization_for("全国总工会", ["中华全国总工会", "全总"])

    assert (organization.name, created) == ("中华全国总工会", False)
    assert set(organization.aliases.values_list("name", flat=True)) == {"全国总工会", "全总"}
    assert Organization.objects.count() == 1


@pytest.mark.django_db
def test_organization_for_does_not_steal_another_organizations_alias():
    beijing, _ = organization_for("北京市总工会", ["市总工会"])
    tianjin, _ = organization_for("天津市总工会")

    organization, created = organization_for("天津市总工会", ["市总工会"])

    assert (organization, created) == (tianjin, False)
    assert OrganizationAlias.objects.get(name="市总工会").organization == beijing


@pytest.mark.django_db
def test_organization_for_finds_by_alias_when_the_name_is_unknown():
    short, _ = organization_for("经开区总工会")

    organization, created = organization_for("北京经济技术开发区总工会", ["经开区总工会"])

    assert (organization, created) == (short, False)
    assert list(short.aliases.values_list("name", flat=True)) == ["北京经济技术开发区总工会"]


@pytest.mark.django_db
def test_find_organization_prefers_a_canonical_name():
    org, _ = organization_for("北京市总工会", ["市总"])

    assert find_organization(["市总", "北京市总工会"]) == org
    assert find_organization(["  "]) is None


@pytest.mark.django_db
def test_merge_people_moves_credits_and_drops_duplicates():

    first = make_article()
    second = make_article(first.page, seq=2)
    keep = make_credit(first, "刘欣欣").person
    make_credit(first, "刘欣欣（重复）")
    duplicate = Person.objects.get(name="刘欣欣（重复）")
    make_credit(second, duplicate.name)
    Credit.objects.create(article=first, person=duplicate, role=Credit.Role.CORRESPONDENT)

    assert merge_people(keep, [duplicate]) == 1

    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert sorted(keep.credits.values_list("article__seq", "role")) == [
        (1, "correspondent"),
        (1, "reporter"),
        (2, "reporter"),
    ]


@pytest.mark.django_db
def test_merge_organizations_keeps_every_link_alias_and_child():

    keep = make_organization("北京经济技术开发区总工会")
    other = make_organization("经开区工会", aliases=("开发区总工会",))
    child = make_organization("某公司工会")
    child.parent = other
    child.save()
    both = make_article()
    only_other = make_article(both.page, seq=2)
    both.organizations.add(keep, other)
    only_other.organizations.add(other)

    assert merge_organizations(keep, [other]) == 1

    assert not Organization.objects.filter(pk=other.pk).exists()
    assert set(keep.articles.all()) == {both, only_other}
    assert set(keep.aliases.values_list("name", flat=True)) == {"经开区工会", "开发区总工会"}
    child.refresh_from_db()
    assert child.parent == keep
