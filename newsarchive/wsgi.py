"""WSGI entry point (gunicorn newsarchive.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")

application = get_wsgi_application()

# Load jieba, the union dictionary and the index now, once per process (before gunicorn forks its
# workers when it preloads the app), so that no reader or uploader waits for them.
from articles.warmup import warm_up  # noqa: E402

warm_up()
