"""A search's time budget: the engine's loops check a deadline and stop a search past it.

A query that would take minutes (thousands of terms a wildcard expands to, a phrase in every
document) held a worker, and every search queued behind it. The search service sets the
deadline around a search (`time_budget`); the Whoosh backend hands it to the document sets,
which check it between terms, segments, posting blocks and scored documents. Pure Python: no
Django, no haystack.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar

from articles.search.engine.query import QueryError


class SearchTimeout(QueryError):
    """A search stopped at its deadline; str(error) is the reader-facing explanation."""


class Deadline:
    """`seconds` from now by `clock` (a parameter, so tests move time without sleeping)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.ends = clock() + seconds

    def check(self) -> None:
        """Raise SearchTimeout once the deadline has passed."""
        if self.clock() >= self.ends:
            raise SearchTimeout(
                f"搜索超时：这次查询在 {self.seconds:g} 秒内没有完成，已经停止。"
                "请换用更具体的词、减少单字或加上筛选条件后再试。"
            )


NO_DEADLINE = Deadline(math.inf)
_deadline: ContextVar[Deadline] = ContextVar("search_deadline", default=NO_DEADLINE)


@contextlib.contextmanager
def time_budget(deadline: Deadline) -> Iterator[Deadline]:
    """Searches run inside this block (in this thread) stop at `deadline`."""
    token = _deadline.set(deadline)
    try:
        yield deadline
    finally:
        _deadline.reset(token)


def current_deadline() -> Deadline:
    """The deadline of the search this thread is running (none outside time_budget)."""
    return _deadline.get()
