"""What the search index holds for each article (see articles/search/fields.py for the schema)."""

from __future__ import annotations

from django.db.models import Prefetch
from haystack import indexes

from articles.models import Article, Credit, Organization
from articles.search.fields import BigramField, WholeTextBigrams


def article_title(article: Article) -> str:
    """Kicker, headline and subheadline; one per line, so no exact match spans two."""
    parts = (article.kicker, article.headline, article.subheadline)
    return "\n".join(part for part in parts if part)


def article_text(article: Article) -> str:
    """Reading order; one field per line, so no exact match spans two fields."""
    return "\n".join(part for part in (article_title(article), article.body) if part)


def _credits(article: Article) -> list[Credit]:
    """The article's credits: as index_queryset read them, or from the database (an article
    indexed on its own, after a save)."""
    found = getattr(article, "indexed_credits", None)
    return found if found is not None else list(article.credits.select_related("person"))


def _unions(article: Article) -> list[Organization]:
    found = getattr(article, "indexed_unions", None)
    return found if found is not None else list(article.organizations.all())


def _aliases(organization: Organization) -> list:
    found = getattr(organization, "indexed_aliases", None)
    return found if found is not None else list(organization.aliases.all())


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, stored=False)
    # Character bigrams of the title lines and of the body: `标题:` and `正文:` searches, and
    # together the whole text's exact strings (text_bigrams), each bigram indexed once.
    title_bigrams = BigramField(stored=False)
    body_bigrams = BigramField(stored=False)
    text_bigrams = WholeTextBigrams(parts=("title_bigrams", "body_bigrams"), stored=False)
    # Every credited person, whatever the role (记者, 通讯员, 摄影 ...).
    reporters = indexes.MultiValueField()
    # Canonical names for facets; canonical names and aliases for filters by any name.
    organizations = indexes.MultiValueField()
    organization_names = indexes.MultiValueField(stored=False)
    # Its unions and every union above them, each once: a union's facet count over this field
    # is the number of distinct articles in its subtree, and filtering on it finds them.
    organization_tree = indexes.MultiValueField(stored=False)
    date = indexes.DateField(model_attr="page__issue__date")
    page = indexes.IntegerField(model_attr="page__number")
    kind = indexes.CharField(model_attr="kind")
    year = indexes.CharField()
    year_month = indexes.CharField()
    # The article's updated_at when it was indexed: check_index finds stale documents by it.
    version = indexes.CharField(indexed=False)

    def get_model(self) -> type[Article]:
        return Article

    def index_queryset(self, using: str | None = None):
        # Three levels of parents in the same query cover the authority file's hierarchy;
        # deeper ones are read as prepare_organization_tree walks up. Related rows go into
        # lists (to_attr): `.all()` on a prefetched relation builds a queryset per article and
        # relation, which took 45% of a rebuild's main process at a million articles.
        unions = Organization.objects.select_related("parent__parent__parent").prefetch_related(
            Prefetch("aliases", to_attr="indexed_aliases")
        )
        return (
            self.get_model()
            .objects.select_related("page__issue")
            .prefetch_related(
                Prefetch(
                    "credits",
                    queryset=Credit.objects.select_related("person"),
                    to_attr="indexed_credits",
                ),
                Prefetch("organizations", queryset=unions, to_attr="indexed_unions"),
            )
        )

    def get_updated_field(self) -> str:
        return "updated_at"

    def prepare_text(self, article: Article) -> str:
        return article_text(article)

    def prepare_title_bigrams(self, article: Article) -> str:
        return article_title(article)

    def prepare_body_bigrams(self, article: Article) -> str:
        return article.body

    def prepare_reporters(self, article: Article) -> list[str]:
        return list(dict.fromkeys(credit.person.name for credit in _credits(article)))

    def prepare_organizations(self, article: Article) -> list[str]:
        return [organization.name for organization in _unions(article)]

    def prepare_organization_names(self, article: Article) -> list[str]:
        names = []
        for organization in _unions(article):
            names.append(organization.name)
            names.extend(alias.name for alias in _aliases(organization))
        return names

    def prepare_organization_tree(self, article: Article) -> list[str]:
        names: dict[str, None] = {}
        for organization in _unions(article):
            seen = set()
            while organization is not None and organization.pk not in seen:
                seen.add(organization.pk)
                names[organization.name] = None
                organization = organization.parent
        return list(names)

    def prepare_version(self, article: Article) -> str:
        return article.updated_at.isoformat()

    def prepare_year(self, article: Article) -> str:
        return f"{article.date:%Y}"

    def prepare_year_month(self, article: Article) -> str:
        return f"{article.date:%Y-%m}"
