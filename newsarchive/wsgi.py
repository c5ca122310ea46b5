"""WSGI entry point (gunicorn newsarchive.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")

application = get_wsgi_application()

# Load jieba and the union dictionary now, once per process (before gunicorn forks its workers
# when it preloads the app), so that no reader waits for them on a first search.
from articles.search.service import warm_up  # noqa: E402

warm_up()
