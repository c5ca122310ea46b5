import pytest

from articles.authority import find_organization, organization_for, person_for
from articles.models import Organization, OrganizationAlias, Person


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
