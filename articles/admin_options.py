"""What the admin's lists and forms share: plain Chinese wording, dates as the site writes
them, wide headline inputs, searches that find what an editor means, and edits that reach
the search index."""

from __future__ import annotations

import datetime

from django import forms
from django.db import models
from django.db.models import QuerySet

from articles.index_queue import (
    articles_affected_by,
    index_queue_transaction,
    queue_article_updates,
)
from articles.search.service import QueryError, SearchParams, all_hits

# The admin's change list narrowed by the public search: its first this many results.
ADMIN_SEARCH_LIMIT = 1000


def chinese_date(day: datetime.date) -> str:
    """2024年3月19日, as the site writes dates (not 2024年03月19日)."""
    return f"{day.year}年{day.month}月{day.day}日"


# Headlines run to 30 characters and more: inputs wide enough to read them whole.
WIDE_TEXT = {models.CharField: {"widget": forms.TextInput(attrs={"size": 80})}}


class ChineseWordingMixin:
    """Titles in plain Chinese: 选择要修改的期, 新增期 (Django's translation: 选择 期 来修改)."""

    def changelist_view(self, request, extra_context=None):
        name = self.model._meta.verbose_name
        return super().changelist_view(
            request, {"title": f"选择要修改的{name}", **(extra_context or {})}
        )

    def add_view(self, request, form_url="", extra_context=None):
        name = self.model._meta.verbose_name
        return super().add_view(
            request, form_url, {"title": f"新增{name}", **(extra_context or {})}
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        name = self.model._meta.verbose_name
        return super().change_view(
            request, object_id, form_url, {"title": f"修改{name}", **(extra_context or {})}
        )


class ReadOnlyMixin:
    """Rows a service writes alone (learned title examples, union decisions): staff read them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class IndexedEditsMixin:
    """An admin edit (inlines included) or deletion queues, in its transaction, the articles
    whose search documents the record reaches before and after it: an issue's articles when
    its date or an inline page changes, a union's subtree when it is renamed or moved."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with index_queue_transaction():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change) -> None:
        form.articles_before = articles_affected_by(obj) if change else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        queue_article_updates(form.articles_before | articles_affected_by(form.instance))

    def delete_model(self, request, obj) -> None:
        with index_queue_transaction():
            queue_article_updates(articles_affected_by(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with index_queue_transaction():
            for record in queryset:
                queue_article_updates(articles_affected_by(record))
            super().delete_queryset(request, queryset)


def pages_by_date(queryset: QuerySet, term: str) -> QuerySet:
    """`2024-03-12` finds that issue's pages, `2024-03-12 2` its second page."""
    words = term.split()
    try:
        day = datetime.date.fromisoformat(words[0]) if words else None
    except ValueError:
        day = None
    if day is None:
        return queryset.none()
    on_day = queryset.filter(issue__date=day)
    if len(words) > 1 and words[1].isdigit():
        on_day = on_day.filter(number=int(words[1]))
    return on_day


def articles_found_by_search(queryset: QuerySet, term: str) -> QuerySet | None:
    """The articles the public search finds for `term` (its first 1,000), or None when the
    term is empty or is no query the search can run."""
    if not term.strip():
        return None
    try:
        _, hits = all_hits(SearchParams(q=term.strip()), ADMIN_SEARCH_LIMIT)
        pks = [hit.article.pk for hit in hits]
    except QueryError:
        return None
    return queryset.filter(pk__in=pks)
