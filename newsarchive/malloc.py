"""glibc's allocator, tuned for a long-lived gunicorn worker of threads and large arrays.

A search allocates and frees numpy arrays of megabytes (a segment's scores, masks, postings).
glibc raises its mmap threshold as large blocks are freed (up to 32 MiB), after which such
arrays come from the heap, whose freed holes it keeps, and it gives each thread an arena of its
own. A fixed threshold returns every large array to the system when it is freed, and two arenas
serve four threads: one worker after 1,000 searches of a million-article archive held 413 MiB
RSS instead of 529 (`bench/worker_memory.py`). The variables glibc reads at start-up
(`MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`) are left to take effect where they are set.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

# mallopt(3) parameters (malloc.h).
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

MMAP_THRESHOLD = 128 * 1024  # glibc's initial threshold, kept from then on
ARENA_MAX = 2

_SETTINGS = {
    "MALLOC_MMAP_THRESHOLD_": (M_MMAP_THRESHOLD, MMAP_THRESHOLD),
    "MALLOC_ARENA_MAX": (M_ARENA_MAX, ARENA_MAX),
}


def tune_malloc() -> dict[str, int]:
    """Set the threshold and the arenas in this process (and the processes it forks after),
    each unless its variable is set; returns what was set. Nothing where the C library is not
    glibc."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    if libc is None or not hasattr(libc, "mallopt"):
        return {}
    done = {}
    for variable, (parameter, value) in _SETTINGS.items():
        if variable not in os.environ and libc.mallopt(parameter, value) == 1:
            done[variable] = value
    return done
