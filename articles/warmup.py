"""Load what the first request would otherwise wait for: the search index's readers and the
search's dictionary, and with WARM_UP_PARSER the parser's jieba with the union dictionary (plain
and part-of-speech). newsarchive/wsgi.py calls it at start-up, in gunicorn's master before it
forks, so every worker shares what it loaded.

What start-up loaded then lives as long as the process, so it is frozen out of the garbage
collector (`gc.freeze`, which Python's documentation suggests before a fork): a full collection,
which a search's garbage triggers now and then, no longer walks the ~100,000 objects of
Django, the dictionaries and the index's readers. On the 100,000-article archive the slowest
1% of searches took 92-118 ms with them walked and 50-78 ms without (500 searches in one
process, four runs each). A collection in a worker no longer writes to the frozen objects'
pages either, so they stay shared with the master. A frozen object in a reference cycle is
never freed, even once a newer reader replaces the one start-up opened: at most that one set
stays, which in a gunicorn worker (it opens readers of its own after the fork) is the master's
memory anyway.
"""

from __future__ import annotations

import gc
import logging

from django.conf import settings

from articles import parsing
from articles.search.service import warm_up as warm_up_search

logger = logging.getLogger(__name__)

_PAGE = (
    "北京市总工会召开全委会\n\n本报讯（记者 刘欣欣）北京市总工会日前召开全委会，职工代表参加。\n"
)


def warm_up() -> None:
    if settings.WARM_UP_PARSER:
        try:
            parsing.parse_page(_PAGE)
        except parsing.ParseError:
            logger.warning("parser warm-up page did not parse", exc_info=True)
    warm_up_search()
    gc.freeze()
