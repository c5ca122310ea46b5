"""A real server on the demo data, and Debian's chromium driven by Playwright.

Run with `make test-browser` (pytest -m browser); `.ci/run` installs chromium and a CJK font
with apt-get when they are missing. Playwright never downloads a browser of its own here:
the launch points at the system chromium. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

ARTIFACTS = Path(os.environ.get("NEWSARCHIVE_ARTIFACTS", REPO / "artifacts")) / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("chromium not found: apt-get install -y chromium fonts-wqy-microhei")
    return {**browser_type_launch_args, "executable_path": chromium}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True, capture_output=True
    )


@pytest.fixture(scope="module")
def live_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`make demo` in a temporary var dir: migrate, load_unions, ingest sample/, a superuser,
    runserver.

    One per test module, so a module that uploads does not change what another one sees.
    """
    env = {
        **os.environ,
        "NEWSARCHIVE_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "DEBUG": "true",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("WHOOSH_PATH", None)
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_unions")
    _manage(env, "ingest", "sample/")
    _manage(env, "demo_superuser")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2)  # noqa: S310 - our own loopback server
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the demo server did not start")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def shot(page) -> callable:
    """shot("name") saves a full-page screenshot of the current page to artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
