"""Staff views of the archive: issues (upload: admin_upload.py), pages, articles, merges.

Every write goes through the services (articles.upload, articles.ingest, articles.authority),
which queue the articles they change for the search index; the admin's own edits and
deletions do so through IndexedEditsMixin.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from articles.admin_history import RevisionHistoryMixin
from articles.admin_layout import PageLayoutMixin
from articles.admin_options import (
    WIDE_TEXT,
    ChineseWordingMixin,
    IndexedEditsMixin,
    ReadOnlyMixin,
    articles_found_by_search,
    pages_by_date,
)
from articles.admin_union_review import UnionReviewMixin
from articles.admin_upload import IssueUploadMixin
from articles.authority import merge_organizations, merge_people
from articles.corrections import merge_with_history
from articles.forms import ArticleForm
from articles.models import (
    Article,
    Credit,
    Issue,
    Organization,
    OrganizationAlias,
    Page,
    Person,
    RetiredArticle,
    TitleExample,
    Upload,
)
from articles.search.indexing import waiting_in


class PageInline(admin.TabularInline):
    model = Page
    fields = ["number", "name", "source_name", "updated_at"]
    readonly_fields = ["source_name", "updated_at"]
    extra = 0
    show_change_link = True


class UploadInline(admin.TabularInline):
    """Who uploaded this issue, and when: the audit trail of admin uploads."""

    model = Upload
    fields = ["created_at", "uploaded_by", "status", "page_count"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="版数")
    def page_count(self, upload: Upload) -> int:
        return len(upload.summary.get("pages", []))


@admin.register(Issue)
class IssueAdmin(ChineseWordingMixin, IndexedEditsMixin, IssueUploadMixin, admin.ModelAdmin):
    list_display = ["date", "number", "page_count", "uploaded", "updated_at"]
    ordering = ["-date"]
    date_hierarchy = "date"
    search_fields = ["note"]
    inlines = [PageInline, UploadInline]
    readonly_fields = ["index_state"]
    change_list_template = "admin/articles/issue/change_list.html"

    @admin.display(description="搜索索引")
    def index_state(self, issue: Issue) -> str:
        if issue.pk is None:
            return "—"
        waiting = waiting_in(Article.objects.filter(page__issue=issue))
        if waiting:
            return f"本期有 {waiting} 篇文章正在后台更新索引，暂时还搜不到；请稍后刷新本页查看"
        return "已是最新：本期所有文章都能搜到"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(page_count=Count("pages", distinct=True))
            .prefetch_related("uploads__uploaded_by")
        )

    @admin.display(description="版数", ordering="page_count")
    def page_count(self, issue: Issue) -> int:
        return issue.page_count

    @admin.display(description="上传")
    def uploaded(self, issue: Issue) -> str:
        confirmed = [u for u in issue.uploads.all() if u.status == Upload.Status.CONFIRMED]
        upload = confirmed[0] if confirmed else None
        if upload is None:
            return "命令行导入"
        return f"{upload.uploaded_by or '已删除用户'} · {upload.created_at:%Y-%m-%d %H:%M}"


class ArticleInline(admin.TabularInline):
    model = Article
    fields = ["seq", "kicker", "headline", "subheadline", "kind"]
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 40})}}
    extra = 0
    show_change_link = True


@admin.register(Page)
class PageAdmin(ChineseWordingMixin, IndexedEditsMixin, PageLayoutMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "name",
        "paper",
        "section",
        "article_count",
        "warning_count",
        "updated_at",
    ]
    list_filter = ["issue__date", "paper"]
    list_select_related = ["issue"]
    ordering = ["-issue__date", "number"]
    # Also what the article form's 版面 autocomplete searches: `2024-03-12`, `2024-03-12 2`, 要闻.
    search_fields = ["name", "source_name"]
    # paper and section are what the banner prints: every reparse sets them again.
    readonly_fields = [
        "paper",
        "section",
        "source_sha256",
        "source_name",
        "created_at",
        "updated_at",
    ]
    inlines = [ArticleInline]
    actions = ["reparse"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return found | pages_by_date(queryset, search_term), may_have_duplicates

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
class ArticleAdmin(ChineseWordingMixin, IndexedEditsMixin, RevisionHistoryMixin, admin.ModelAdmin):
    form = ArticleForm
    formfield_overrides = WIDE_TEXT
    ordering = ["-page__issue__date", "page__number", "seq"]
    list_display = [
        "headline",
        "issue_date",
        "page_number",
        "seq",
        "kind",
        "credit_names",
        "union_names",
    ]
    list_filter = [
        "kind",
        ("organizations", admin.RelatedOnlyFieldListFilter),
        ("credits__person", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "page__issue__date"
    list_select_related = ["page__issue"]
    search_fields = [
        "headline",
        "kicker",
        "subheadline",
        "credits__person__name",
        "organizations__name",
    ]
    search_help_text = "与网站搜索相同：全文、“短语”、记者:姓名、工会:名称"
    autocomplete_fields = ["page", "organizations"]
    # 正文 (body) is derived from the editable 段落, so it is not shown twice.
    readonly_fields = ["created_at", "updated_at"]
    inlines = [CreditInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("credits__person", "organizations")

    def get_search_results(self, request, queryset, search_term):
        """The admin's title search, plus what the public search finds."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        also = articles_found_by_search(queryset, search_term)
        if also is None:
            return found, may_have_duplicates
        return queryset.filter(Q(pk__in=found.values("pk")) | Q(pk__in=also.values("pk"))), False

    @admin.display(description="出版日期", ordering="page__issue__date")
    def issue_date(self, article: Article):
        return article.page.issue.date

    @admin.display(description="版次", ordering="page__number")
    def page_number(self, article: Article) -> int:
        return article.page.number

    @admin.display(description="署名")
    def credit_names(self, article: Article) -> str:
        return "、".join(f"{c.get_role_display()} {c.person.name}" for c in article.credits.all())

    @admin.display(description="工会")
    def union_names(self, article: Article) -> str:
        return "、".join(o.name for o in article.organizations.all())


class MergeAdmin(admin.ModelAdmin):
    """The 合并 action: pick the record to keep among the selected ones."""

    actions = ["merge"]
    merge_function = None

    def has_merge_permission(self, request: HttpRequest) -> bool:
        opts = self.model._meta
        return request.user.has_perms(
            [
                f"{opts.app_label}.change_{opts.model_name}",
                f"{opts.app_label}.delete_{opts.model_name}",
            ]
        )

    @admin.action(description="合并所选记录", permissions=["merge"])
    def merge(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        records = list(queryset.order_by("pk"))
        if len(records) < 2:
            self.message_user(request, "请至少选择两条记录再合并。", messages.WARNING)
            return None
        target_pk = request.POST.get("target")
        if target_pk is None:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"合并{self.model._meta.verbose_name}",
                "records": records,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            }
            return TemplateResponse(request, "admin/articles/merge.html", context)
        target = next((r for r in records if str(r.pk) == target_pk), None)
        if target is None:
            self.message_user(request, "要保留的记录不在所选之中。", messages.ERROR)
            return None
        merged = merge_with_history(
            type(self).merge_function,
            target,
            [r for r in records if r.pk != target.pk],
            user=request.user,
        )
        self.message_user(request, f"已将 {merged} 条记录合并到“{target}”。")
        return None


@admin.register(Person)
class PersonAdmin(ChineseWordingMixin, IndexedEditsMixin, MergeAdmin):
    list_display = ["name", "credit_count"]
    search_fields = ["name"]
    merge_function = staticmethod(merge_people)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(credit_count=Count("credits"))

    @admin.display(description="署名数", ordering="credit_count")
    def credit_count(self, person: Person) -> int:
        return person.credit_count


class OrganizationAliasInline(admin.TabularInline):
    model = OrganizationAlias
    extra = 1
    readonly_fields = ["needs_review"]  # decided in 待核工会, where it is recorded


@admin.register(Organization)
class OrganizationAdmin(ChineseWordingMixin, IndexedEditsMixin, UnionReviewMixin, MergeAdmin):
    list_display = ["name", "kind", "parent", "article_count", "alias_names", "needs_review"]
    list_filter = ["needs_review", "kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "aliases__name"]
    autocomplete_fields = ["parent"]
    raw_id_fields = ["found_in"]
    readonly_fields = ["needs_review"]  # decided in 待核工会 (articles.union_review), recorded
    inlines = [OrganizationAliasInline]
    actions = ["merge", "accept_selected"]
    merge_function = staticmethod(merge_organizations)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        to_check = Organization.objects.filter(needs_review=True).count()
        to_check += OrganizationAlias.objects.filter(needs_review=True).count()
        return super().changelist_view(request, {**(extra_context or {}), "to_check": to_check})

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("articles", distinct=True))
            .prefetch_related("aliases")
        )

    @admin.display(description="文章数", ordering="article_count")
    def article_count(self, organization: Organization) -> int:
        return organization.article_count

    @admin.display(description="别名")
    def alias_names(self, organization: Organization) -> str:
        return "、".join(alias.name for alias in organization.aliases.all())


@admin.register(RetiredArticle)
class RetiredArticleAdmin(admin.ModelAdmin):
    """Articles a reparse, re-upload or deletion took away: their URLs answer 410, or 301 once
    staff (or a later upload) name the article each became."""

    list_display = ["headline", "issue_date", "page_number", "seq", "successor", "retired_at"]
    list_filter = ["issue_date"]
    search_fields = ["headline"]
    raw_id_fields = ["successor"]
    readonly_fields = ["article_id", "issue_date", "page_number", "seq", "headline", "body"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(TitleExample)
class TitleExampleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """What editors' layout corrections taught the title-block model, per paper; written only by
    articles.title_learning (a page's rows follow its corrections), so staff read them here."""

    list_display = ["paper", "lines", "roles", "page", "taught_by", "created_at"]
    list_filter = ["paper"]
    list_select_related = ["page__issue", "taught_by"]

    @admin.display(description="标题各行")
    def lines(self, example: TitleExample) -> str:
        return " / ".join(example.example.get("lines", []))

    @admin.display(description="角色")
    def roles(self, example: TitleExample) -> str:
        names = {"kicker": "引题", "headline": "主题", "subheadline": "副题", "caption": "图片说明"}
        return " / ".join(names.get(role, role) for role in example.example.get("roles", []))
