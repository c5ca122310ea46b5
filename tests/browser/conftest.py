"""A real server on the demo data, and Debian's chromium driven by Playwright.

Run with `make test-browser` (pytest -m browser); `.ci/run` installs chromium and a CJK font
with apt-get when they are missing. Playwright never downloads a browser of its own here:
the launch points at the system chromium. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import contextlib
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

from tests.browser.archive import multi_year_pages
from tests.conftest import CORPUS_SCRIPT, REPO

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


@contextlib.contextmanager
def demo_server(var_dir: Path, pages: Path = REPO / "sample") -> Iterator[str]:
    """`make demo` in `var_dir` on the pages under `pages`: migrate, load_unions, ingest, a
    superuser, runserver; yields the server's URL and stops it afterwards."""
    env = {
        **os.environ,
        "NEWSARCHIVE_VAR_DIR": str(var_dir),
        "DEBUG": "true",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("WHOOSH_PATH", None)
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_unions")
    _manage(env, "ingest", str(pages))
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


@pytest.fixture(scope="module")
def live_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo on sample/, one per test module, so that a module that uploads does not change
    what another one sees."""
    with demo_server(tmp_path_factory.mktemp("var")) as url:
        yield url


@pytest.fixture(scope="module")
def archive_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A 30-year archive (1995–2024) of corpus pages with shifted dates, made at test time."""
    if not CORPUS_SCRIPT.exists():
        pytest.skip(f"corpus not found at {CORPUS_SCRIPT.parent} (set NEWSARCHIVE_SHARED)")
    pages = multi_year_pages(tmp_path_factory.mktemp("pages"), months=360, issues=24)
    with demo_server(tmp_path_factory.mktemp("var"), pages) as url:
        yield url


@pytest.fixture
def shot(page) -> callable:
    """shot("name") saves a full-page screenshot of the current page to artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def axe(page) -> callable:
    """axe(label) runs axe-core (npm, `npm ci`) in the page with the WCAG 2.2 AA rules and
    fails on any violation, naming rule, target and what is wrong."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} missing: run `npm ci` in {REPO} (make test-browser does)")

    def check(label: str) -> None:
        # evaluated, not added as a <script>: the site's CSP rightly blocks injected scripts
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
        )
        problems = [
            f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary']}"
            for v in result["violations"]
            for node in v["nodes"]
        ]
        assert not problems, f"axe on {label} ({page.url}):\n" + "\n".join(problems)

    return check
