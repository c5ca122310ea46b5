"""Small helpers the search tests share."""

import threading

from haystack.query import SearchQuerySet

from articles.search.service import words_or_exact

# The vocabulary of the shuffled test documents.
WORDS = [
    "工会",
    "职工",
    "技能",
    "大赛",
    "北京",
    "劳动",
    "模范",
    "文化",
    "之家",
    "春运",
    "服务",
    "困难",
    "帮扶",
]


def count(word: str = "工会") -> int:
    """Documents the index finds for `word`, as the search service asks for it."""
    return SearchQuerySet().filter(words_or_exact(word)).count()


def in_thread(function):
    """What `function` returns when run by another thread (with its own haystack backend): a
    second reader or writer."""
    results = []
    thread = threading.Thread(target=lambda: results.append(function()))
    thread.start()
    thread.join()
    return results[0]
