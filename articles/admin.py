"""Staff views of the archive; uploads and corrections build on these (ingest service only)."""

from django.contrib import admin
from django.db.models import Count

from articles.forms import ArticleForm
from articles.models import Article, Credit, Issue, Organization, OrganizationAlias, Page, Person


class PageInline(admin.TabularInline):
    model = Page
    fields = ["number", "name", "source_name", "updated_at"]
    readonly_fields = ["source_name", "updated_at"]
    extra = 0
    show_change_link = True


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["date", "number", "page_count", "updated_at"]
    date_hierarchy = "date"
    search_fields = ["note"]
    inlines = [PageInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(page_count=Count("pages"))

    @admin.display(description="版数", ordering="page_count")
    def page_count(self, issue: Issue) -> int:
        return issue.page_count


class ArticleInline(admin.TabularInline):
    model = Article
    fields = ["seq", "kicker", "headline", "subheadline", "kind"]
    extra = 0
    show_change_link = True


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "name", "article_count", "warning_count", "updated_at"]
    list_filter = ["issue__date"]
    list_select_related = ["issue"]
    readonly_fields = ["source_sha256", "source_name", "created_at", "updated_at"]
    inlines = [ArticleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="文章数", ordering="article_count")
    def article_count(self, page: Page) -> int:
        return page.article_count

    @admin.display(description="解析提示")
    def warning_count(self, page: Page) -> int:
        return len(page.warnings)


class CreditInline(admin.TabularInline):
    model = Credit
    fields = ["seq", "person", "role"]
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["headline", "issue_date", "page_number", "seq", "kind"]
    list_filter = ["kind", "page__issue__date"]
    list_select_related = ["page__issue"]
    search_fields = ["headline", "kicker", "subheadline", "credits__person__name"]
    autocomplete_fields = ["organizations"]
    readonly_fields = ["body", "created_at", "updated_at"]
    inlines = [CreditInline]

    @admin.display(description="出版日期", ordering="page__issue__date")
    def issue_date(self, article: Article):
        return article.page.issue.date

    @admin.display(description="版次", ordering="page__number")
    def page_number(self, article: Article) -> int:
        return article.page.number


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(credit_count=Count("credits"))

    @admin.display(description="署名数", ordering="credit_count")
    def credit_count(self, person: Person) -> int:
        return person.credit_count


class OrganizationAliasInline(admin.TabularInline):
    model = OrganizationAlias
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "article_count"]
    list_select_related = ["parent"]
    search_fields = ["name", "aliases__name"]
    autocomplete_fields = ["parent"]
    inlines = [OrganizationAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="文章数", ordering="article_count")
    def article_count(self, organization: Organization) -> int:
        return organization.article_count
