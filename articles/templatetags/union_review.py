"""The upload preview's list of the union names a confirm would bring in (articles.union_review)."""

from django import template

from articles.union_review import NewName, new_names_in_preview

register = template.Library()


@register.simple_tag
def new_union_names(reviews) -> list[NewName]:
    return new_names_in_preview(reviews)
