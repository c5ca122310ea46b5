"""Links that narrow the current search: the request's parameters with some replaced."""

from django import template

from articles.search_trail import trail_parameter

register = template.Library()


@register.simple_tag(takes_context=True)
def narrowed(context: template.Context, params: dict[str, str]) -> str:
    """`?…` for the current search with `params` set and the result page reset to the first.

    Django 5.2's {% querystring %} takes keyword arguments only; a facet brings a mapping.
    """
    query = context["request"].GET.copy()
    query.pop("page", None)
    for key, value in params.items():
        query[key] = value
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def from_this_search(context: template.Context) -> str:
    """`?search=…` for a result link, so that the article marks the query and links back."""
    return f"?{trail_parameter(context['request'].GET)}"
