"""Reader pages: thin views over QuerySets and services."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles.models import Article, Issue


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    issue = Issue.objects.order_by("-date").first()
    articles = (
        Article.objects.for_listing().filter(page__issue=issue).order_by("page__number", "seq")
        if issue
        else Article.objects.none()
    )
    return render(
        request,
        "articles/home.html",
        {"issue": issue, "articles": articles, "issue_count": Issue.objects.count()},
    )
