"""The archive: issues (期) have pages (版), pages have articles, articles credit people and
mention organizations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from articles.names import normalize_name


class Issue(models.Model):
    date = models.DateField("出版日期", unique=True)
    number = models.PositiveIntegerField("期号", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "期"
        ordering = ["-date"]
        permissions = [("upload_issue", "可以上传新一期")]

    def __str__(self) -> str:
        if self.number:
            return f"{self.date:%Y-%m-%d}（第{self.number}期）"
        return f"{self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("articles:issue", args=[self.date.isoformat()])


class Page(models.Model):
    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="pages", verbose_name="期"
    )
    number = models.PositiveSmallIntegerField("版次")
    name = models.CharField("版名", max_length=100, blank=True)
    # What the page's banner prints (劳动午报, 第04版：工会), filled at every parse.
    paper = models.CharField("报纸", max_length=100, blank=True)
    section = models.CharField("版面栏目", max_length=100, blank=True)
    banners = models.JSONField(
        "版头",
        default=list,
        blank=True,
        help_text="报名、版名、日期、标语、责任编辑等，不属于任何文章",
    )
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    source_text = models.TextField("原文")
    source_sha256 = models.CharField("原文 SHA-256", max_length=64)
    warnings = models.JSONField("解析提示", default=list, blank=True)
    # Staff decisions on the layout ({"op", "text", "role"}), applied over every parse of the
    # page: see articles/layout_corrections.py.
    layout_corrections = models.JSONField("版面校正", default=list, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "版面"
        ordering = ["issue__date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="page_unique_per_issue"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="page_number_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.issue.date:%Y-%m-%d} 第{self.number}版"

    def get_absolute_url(self) -> str:
        return reverse("articles:page", args=[self.issue.date.isoformat(), self.number])

    @property
    def heading(self) -> str:
        """The page's name as the strip and the page show it: staff's 版名, else the section."""
        return self.name or self.section

    @property
    def newspaper(self) -> str:
        """The paper that printed the page, for citations; the site's own name when unknown."""
        return self.paper or settings.NEWSARCHIVE_NEWSPAPER_NAME


class Person(models.Model):
    name = models.CharField("姓名", max_length=50, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "记者"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = normalize_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:reporter", args=[self.pk])


class Organization(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "全国", "全国总工会"
        CITY = "市", "市总工会"
        DISTRICT = "区", "区总工会"
        INDUSTRY = "产业", "产业工会"
        ENTERPRISE = "企业", "企业工会"
        OTHER = "其他", "其他"

    name = models.CharField("规范名称", max_length=200, unique=True)
    kind = models.CharField("类型", max_length=4, choices=Kind.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级组织",
    )
    # 待核: found by a parse, in neither the authority file nor the union dictionary; readers
    # see it once an editor accepts it (articles/union_review.py).
    needs_review = models.BooleanField("待核", default=False)
    found_in = models.ForeignKey(
        "Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="首次出现的文章",
    )

    class Meta:
        verbose_name = verbose_name_plural = "组织"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="organization_name_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = normalize_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:union", args=[self.pk])


class OrganizationAlias(models.Model):
    """Another name of one organization (简称, 全称); unique across all organizations."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="aliases", verbose_name="组织"
    )
    name = models.CharField("别名", max_length=200, unique=True)
    needs_review = models.BooleanField("待核", default=False)  # as Organization.needs_review

    class Meta:
        verbose_name = verbose_name_plural = "组织别名"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = normalize_name(self.name)
        super().save(*args, **kwargs)


# Here, not at the bottom: the app's model order (an export's rows, its printed counts) stays.
from articles.upload_model import Upload, UploadFile  # noqa: E402, F401 - uploads of issues


class ArticleQuerySet(models.QuerySet):
    def for_listing(self) -> ArticleQuerySet:
        return self.select_related("page__issue").prefetch_related(
            "credits__person", "organizations"
        )


class Article(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", "新闻"
        PHOTO = "photo", "图片新闻"

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="articles", verbose_name="版面"
    )
    seq = models.PositiveSmallIntegerField("版内序号")
    kicker = models.CharField("引题", max_length=300, blank=True)
    headline = models.CharField("标题", max_length=300)
    subheadline = models.CharField("副题", max_length=300, blank=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.NEWS)
    paragraphs = models.JSONField("段落", default=list)
    body = models.TextField("正文", editable=False, help_text="由段落生成，供检索")
    correction = models.TextField("更正说明", blank=True)
    # What the parser last produced for this article (articles.corrections.parsed_articles' shape):
    # a field that differs from it is a staff correction, re-applied on every reparse.
    parsed = models.JSONField("解析结果", default=dict, blank=True, editable=False)
    corrected_at = models.DateTimeField("更正时间", null=True, blank=True, editable=False)
    organizations = models.ManyToManyField(
        Organization, related_name="articles", blank=True, verbose_name="涉及组织"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "文章"
        ordering = ["page__issue__date", "page__number", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["page", "seq"], name="article_unique_seq_per_page"),
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="article_seq_gte_1"),
            models.CheckConstraint(
                condition=~models.Q(headline=""), name="article_headline_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        self.body = "\n\n".join(self.paragraphs)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The canonical URL (feeds, sitemap, citation): the id never changes."""
        return reverse("articles:article", args=[self.pk])

    def get_permalink(self) -> str:
        """The readable URL of where the article stands: /issues/<date>/<page>/<seq>/."""
        return reverse(
            "articles:article_at",
            args=[self.page.issue.date.isoformat(), self.page.number, self.seq],
        )

    @property
    def date(self):
        return self.page.issue.date


class Credit(models.Model):
    class Role(models.TextChoices):
        REPORTER = "reporter", "记者"
        INTERN = "intern", "实习记者"
        CORRESPONDENT = "correspondent", "通讯员"
        PHOTOGRAPHER = "photographer", "摄影"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="credits", verbose_name="文章"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="credits", verbose_name="记者"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    seq = models.PositiveSmallIntegerField("署名顺序", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "署名"
        ordering = ["article", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person", "role"], name="credit_unique_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person.name}"


class PendingIndexUpdate(models.Model):
    """An article whose search document must be rewritten (or removed, once it is gone).

    Written in the same transaction as the change itself, so an index update cannot be lost
    between the commit and the index write; see articles/index_queue.py. Not a foreign key:
    the row must outlive the article it removes from the index.
    """

    article_id = models.BigIntegerField("文章编号")
    queued_at = models.DateTimeField("排队时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "待更新索引"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"文章 {self.article_id}"


class RetiredArticle(models.Model):
    """An article a reparse or re-upload no longer finds: its URL answers 410 with where its
    page is, or 301 to the article it became (`successor`) when it moved."""

    article_id = models.BigIntegerField("原文章编号", unique=True)
    issue_date = models.DateField("出版日期")
    page_number = models.PositiveSmallIntegerField("版次")
    seq = models.PositiveSmallIntegerField("版内序号")
    headline = models.CharField("标题", max_length=300)
    body = models.TextField("正文", blank=True)
    successor = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name="现在的文章",
    )
    retired_at = models.DateTimeField("撤下时间", auto_now_add=True)
    # A page stored alone lost it: the staff work it carried (articles.moved_articles), for the
    # page of the issue that takes it in to bring it back under its id.
    staff_work = models.JSONField("人工更正", default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "已撤下的文章"
        ordering = ["-retired_at"]
        indexes = [
            # The readable permalink of a position no current article holds.
            models.Index(fields=["issue_date", "page_number", "seq"], name="retired_position"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_date:%Y-%m-%d} 第{self.page_number}版 {self.headline}"

    def page_url(self) -> str:
        return reverse("articles:page", args=[self.issue_date.isoformat(), self.page_number])


class Revision(models.Model):
    """One staff change to an article: who, when, and each field's value before and after."""

    class Kind(models.TextChoices):
        CREATE = "create", "新增"  # an article staff added by hand: no parse has it
        EDIT = "edit", "编辑"
        MERGE = "merge", "合并"
        REPARSE = "reparse", "重新解析时选择"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions", verbose_name="文章"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="article_revisions",
        verbose_name="修改人",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.EDIT)
    # {field: {"before": value, "after": value}}, values in parsed_articles' shape.
    changes = models.JSONField("改动", default=dict)
    created_at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "修订记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.article_id} {self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


from articles.scan_model import PageScan  # noqa: E402, F401 - beside Page, defined after it
from articles.title_example_model import TitleExample  # noqa: E402, F401 - beside Page, likewise
from articles.union_review_model import UnionDecision  # noqa: E402, F401 - beside Organization
