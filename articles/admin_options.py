"""What the admin's lists and forms share: plain Chinese wording, dates as the site writes
them, wide headline inputs, and searches that find what an editor means."""

from __future__ import annotations

import datetime

from django import forms
from django.db import models
from django.db.models import QuerySet

from articles.search.export import export_search
from articles.search.service import QueryError, SearchParams


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
        results = export_search(SearchParams(q=term.strip()))
    except QueryError:
        return None
    return queryset.filter(pk__in=[hit.article.pk for hit in results.hits])
