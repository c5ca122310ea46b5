from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path
from django.views import defaults

admin.site.site_header = "首都工会新闻档案 · 管理"
admin.site.site_title = "新闻档案管理"
admin.site.index_title = "档案管理"

# Too many files for the upload form: the form again, with the limit (not a bare 400).
handler400 = "articles.admin_upload.bad_request"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    # DEBUG shows Django's technical pages instead of ours: the demo previews ours here.
    urlpatterns += [
        path("demo/404/", defaults.page_not_found, {"exception": Http404("演示")}),
        path("demo/500/", defaults.server_error),
    ]
