"""gunicorn settings: `gunicorn -c gunicorn.conf.py` (see `make serve`).

The app is loaded before the workers fork (preload_app), so the search index readers and the
search's dictionary (and with WARM_UP_PARSER the parser's jieba), which newsarchive/wsgi.py
warms, are loaded once and shared. Each worker
then starts its index worker thread (SEARCH_INDEX_WORKER): requests only queue index updates.
glibc's allocator is tuned first (newsarchive/malloc.py).
"""

import multiprocessing
import os

from newsarchive.malloc import tune_malloc
from newsarchive.settings import env_number

tune_malloc()  # in the master, before the app loads and the workers fork

wsgi_app = "newsarchive.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = env_number("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count() * 2), minimum=1)
preload_app = True
# Threads, so that a worker busy storing an upload (parsing, an index commit: seconds of CPU)
# still answers searches in its other threads instead of queueing them behind the upload.
worker_class = "gthread"
threads = env_number("GUNICORN_THREADS", 4, minimum=1)
timeout = env_number("GUNICORN_TIMEOUT", 60, minimum=1)
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then; jitter keeps them from restarting together
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"


def post_worker_init(worker):
    # After the fork: a thread started in the master would not survive it.
    from django.conf import settings

    from articles.search.indexing import start_index_worker

    if settings.SEARCH_INDEX_WORKER:
        start_index_worker()


def worker_exit(server, worker):
    from articles.search.indexing import stop_index_worker

    stop_index_worker()
