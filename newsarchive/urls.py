from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "首都工会新闻档案 · 管理"
admin.site.site_title = "新闻档案管理"
admin.site.index_title = "档案管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]
