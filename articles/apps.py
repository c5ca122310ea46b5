from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "报纸档案"

    def ready(self) -> None:
        # Registers the system check of the search cluster's URL (when that engine is set).
        from articles.search import opensearch  # noqa: F401
