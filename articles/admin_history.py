"""The article admin's revision history: each save is recorded, the change page lists them."""

from __future__ import annotations

from articles.corrections import editable_values, history, record_revision
from articles.identity import retire_articles
from articles.models import Article, Revision


def _fresh_article(pk: int) -> Article:
    return Article.objects.prefetch_related("credits__person", "organizations").get(pk=pk)


class RevisionHistoryMixin:
    """For ArticleAdmin: what the article was before a save, what it became (credits inline
    included), as a Revision by the editor; the change form shows the history. A deletion
    retires the article (410), as a reparse does."""

    change_form_template = "admin/articles/article/change_form.html"

    def save_model(self, request, obj, form, change) -> None:
        form.values_before = editable_values(_fresh_article(obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        after = editable_values(_fresh_article(form.instance.pk))
        if form.values_before is not None:
            record_revision(form.instance, form.values_before, after, user=request.user)
        else:  # added by hand: reparses keep it, since no parse has it
            empty = {name: type(value)() for name, value in after.items()}
            record_revision(
                form.instance, empty, after, user=request.user, kind=Revision.Kind.CREATE
            )

    # A deleted article leaves a tombstone: its URL answers 410 naming its page, not 404.
    def delete_model(self, request, obj) -> None:
        retire_articles([obj])

    def delete_queryset(self, request, queryset) -> None:
        retire_articles(list(queryset.select_related("page__issue")))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = Article.objects.filter(pk=object_id).first()
        extra = {**(extra_context or {}), "history": history(article) if article else []}
        return super().change_view(request, object_id, form_url, extra)
