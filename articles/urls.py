from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from articles import api, api_records, feeds, scan_views, views
from articles.sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("issues/", views.issue_calendar, name="calendar"),
    path("issues/<str:date>/", views.issue, name="issue"),
    path("issues/<str:date>/<int:number>/", views.page, name="page"),
    path("issues/<str:date>/<int:number>/<int:seq>/", views.article_at, name="article_at"),
    re_path(
        r"^issues/(?P<date>[^/]+)/(?P<number>[0-9]+)/(?P<size>page|thumb)\.jpg$",
        scan_views.page_image,
        name="page_image",
    ),
    path(
        "uploads/files/<int:key>/page.jpg", scan_views.upload_page_image, name="upload_page_image"
    ),
    path("articles/<int:pk>/", views.article, name="article"),
    path("articles/<int:pk>/clipping.jpg", scan_views.article_clipping, name="article_clipping"),
    re_path(r"^articles/(?P<pk>[0-9]+)/cite\.(?P<fmt>ris|bib)$", views.article_cite, name="cite"),
    path("reporters/", views.reporters, name="reporters"),
    path("reporters/<int:pk>/", views.reporter, name="reporter"),
    path("unions/", views.unions, name="unions"),
    path("unions/<int:pk>/", views.union, name="union"),
    path("stats/", views.stats, name="stats"),
    path("search/", views.search, name="search"),
    re_path(
        r"^search/export\.(?P<fmt>csv|jsonl|json|ris)$", views.search_export, name="search_export"
    ),
    path("api/search", api.search, name="api_search"),
    path("api/openapi.json", api.openapi, name="api_openapi"),
    path("api/suggest", api.suggest, name="api_suggest"),
    # Any text after the prefix reaches the view, so that a bad id or date is a JSON 404 too.
    re_path(r"^api/articles/(?P<pk>[\s\S]*)$", api_records.article, name="api_article"),
    re_path(r"^api/issues/(?P<date>[\s\S]*)$", api_records.issue, name="api_issue"),
    path("health", views.health_check, name="health"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
    path("feeds/latest/", feeds.LatestArticlesFeed(), name="feed_latest"),
    path("feeds/unions/<int:pk>/", feeds.UnionFeed(), name="feed_union"),
    path("feeds/reporters/<int:pk>/", feeds.ReporterFeed(), name="feed_reporter"),
    path("feeds/search/", feeds.SearchFeed(), name="feed_search"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
