"""glibc's allocator tuned for gunicorn workers, unless the operator's variables say otherwise."""

import os
import subprocess
import sys

import pytest

from newsarchive import malloc
from tests.conftest import REPO


@pytest.fixture
def libc_calls(monkeypatch):
    """mallopt's calls, recorded instead of changing the test process's allocator."""
    calls = []

    class FakeLibc:
        def mallopt(self, parameter, value):
            calls.append((parameter, value))
            return 1

    monkeypatch.setattr(malloc.ctypes, "CDLL", lambda name: FakeLibc())
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    return calls


def test_the_threshold_and_the_arenas_are_set(libc_calls):
    assert malloc.tune_malloc() == {"MALLOC_MMAP_THRESHOLD_": 131072, "MALLOC_ARENA_MAX": 2}
    assert libc_calls == [(malloc.M_MMAP_THRESHOLD, 131072), (malloc.M_ARENA_MAX, 2)]


def test_a_variable_the_operator_set_is_left_to_glibc(libc_calls, monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")
    assert malloc.tune_malloc() == {"MALLOC_MMAP_THRESHOLD_": 131072}
    assert libc_calls == [(malloc.M_MMAP_THRESHOLD, 131072)]


def test_glibc_takes_both_in_a_process_of_its_own():
    """The real mallopt, in a new process (this one's allocator is left as it is)."""
    code = "from newsarchive.malloc import tune_malloc; print(sorted(tune_malloc()))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_']"
