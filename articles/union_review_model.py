"""An editor's decision on a union name a parse brought in (待核): accepted, merged into another
union, or rejected. One row per name, so the decision is remembered (a rejected name never comes
back from a reparse or re-upload) and two editors deciding the same name at once cannot both win.

Its own module, imported by articles.models, so the models file stays readable; the service
that writes and reads these rows is articles.union_review.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class UnionDecision(models.Model):
    class Action(models.TextChoices):
        ACCEPTED = "accepted", "接受"
        MERGED = "merged", "合并"
        REJECTED = "rejected", "驳回"

    # Unique: the one decision on this name; a second editor's insert fails and is told.
    name = models.CharField("名称", max_length=200, unique=True)
    action = models.CharField("决定", max_length=8, choices=Action.choices)
    # The union the name was an alias of ("" for a union's own name).
    alias_of = models.CharField("所属工会", max_length=200, blank=True)
    # The union a merged name became an alias of, by its name then.
    merged_into = models.CharField("并入", max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="union_decisions",
        verbose_name="核定人",
    )
    decided_at = models.DateTimeField("核定时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工会名称核定"
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="uniondecision_name_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}：{self.get_action_display()}"
