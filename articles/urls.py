from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("search/", views.search, name="search"),
    path("api/search", views.api_search, name="api_search"),
]
