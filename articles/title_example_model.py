"""What editors taught the title-block model (TitleExample): one title block of a page, with each
line's role, kept per paper and rebuilt whenever the page's layout corrections change.

Its own module, imported by articles.models, so the models file stays readable; the service
that writes and reads these rows is articles.title_learning.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TitleExample(models.Model):
    # The paper whose pages the example teaches: the page's printed paper, or the site's own.
    paper = models.CharField("报纸", max_length=100)
    page = models.ForeignKey(
        "articles.Page",
        on_delete=models.CASCADE,
        related_name="title_examples",
        verbose_name="版面",
    )
    # parsing.TitleExample's fields: {"lines": [...], "roles": [...], "below": "", "epaper": false}
    example = models.JSONField("标题样例")
    taught_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="title_examples",
        verbose_name="校正人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "标题样例"
        ordering = ["paper", "pk"]
        # The model's version check and refit read one paper's examples (or all, grouped).
        indexes = [models.Index(fields=["paper", "id"], name="titleexample_paper_id")]

    def __str__(self) -> str:
        return f"{self.paper}：{' / '.join(self.example.get('lines', []))}"
