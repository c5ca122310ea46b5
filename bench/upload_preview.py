"""Time the admin upload of a large issue and measure its preview: print seconds and HTML bytes.

    .venv/bin/python bench/upload_preview.py [--pages 10] [--page-bytes 2000000]

Builds `--pages` page files of about `--page-bytes` each from ../shared/corpus (make_pages.py's
pages, their articles repeated until the size is reached), then, through Django's test client
as a superuser in a temporary database: the upload's POST (read, decode, stage; the parse is
left to the background job, UPLOAD_PARSE_IN_BACKGROUND), the time until the preview is ready
(polling it every POLL_SECONDS as its page reloads itself), the first preview, the same
preview again, and a few further screens of the preview.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
MAKE_PAGES = REPO.parent / "shared" / "corpus" / "make_pages.py"
DATE = "1998-01-05"
POLL_SECONDS = 0.5
PARSING = "正在后台解析版面"
BANNER = re.compile(r"^\s*第\d+版　\d{4}年\d{1,2}月\d{1,2}日\s*$", re.MULTILINE)


def big_pages(count: int, size: int, folder: Path) -> list[tuple[str, bytes]]:
    """`count` pages of about `size` bytes: corpus articles under one banner per page."""
    subprocess.run(
        [sys.executable, str(MAKE_PAGES), "--out", str(folder), "--limit", "300", "--seed", "3"],
        check=True,
        capture_output=True,
    )
    bodies = [BANNER.sub("", p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    pages, source = [], 0
    for number in range(1, count + 1):
        parts = [f"第{number}版　1998年1月5日\n\n"]
        total = len(parts[0].encode())
        while True:
            body = bodies[source % len(bodies)].strip() + "\n\n\n"
            if total + len(body.encode()) > size:
                break
            parts.append(body)
            total += len(body.encode())
            source += 1
        pages.append((f"{number:02d}.txt", "".join(parts).encode()))
    return pages


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--pages", type=int, default=10)
    arguments.add_argument("--page-bytes", type=int, default=2_000_000)
    options = arguments.parse_args()
    var = tempfile.mkdtemp(prefix="newsarchive-upload-")
    os.environ.update(
        NEWSARCHIVE_VAR_DIR=var,
        DJANGO_SETTINGS_MODULE="newsarchive.settings",
        LOG_LEVEL="ERROR",
        UPLOAD_PARSE_IN_BACKGROUND="true",
        NEWSARCHIVE_MAX_UPLOAD_BYTES=str(options.pages * options.page_bytes + 1),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, check=True, capture_output=True
    )
    pages = big_pages(options.pages, options.page_bytes, Path(var) / "pages")

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    user = get_user_model().objects.create_superuser("bench", "b@example.com", "bench-passphrase")
    client = Client()
    client.force_login(user)
    files = [SimpleUploadedFile(name, data, content_type="text/plain") for name, data in pages]
    total = sum(len(data) for _, data in pages)
    print(f"{len(pages)} pages, {total / 1e6:.1f} MB in all")

    started = time.perf_counter()
    response = client.post("/admin/articles/issue/upload/", {"issue_date": DATE, "files": files})
    print(f"upload POST     {time.perf_counter() - started:6.1f} s  status {response.status_code}")
    if response.status_code != 302:
        sys.exit(response.content.decode()[:2000])
    preview = response["Location"]
    polls = 0
    while PARSING in (page := client.get(preview).content.decode()):
        polls += 1
        time.sleep(POLL_SECONDS)
    if "这次上传不能入库" in page:
        sys.exit(page[:2000])
    print(
        f"preview ready   {time.perf_counter() - started:6.1f} s  after the POST began, {polls} polls"
    )
    for label in ("preview", "preview again"):
        started = time.perf_counter()
        response = client.get(preview)
        seconds = time.perf_counter() - started
        print(f"{label:<15} {seconds:6.1f} s  {len(response.content) / 1e6:6.2f} MB HTML")
    screens = [int(n) for n in re.findall(r'href="\?screen=(\d+)"', response.content.decode())]
    last = max(screens, default=1)
    # The next screen (the same page, dry-run already), the tenth (the next page's first
    # dry run when pages hold about a thousand articles), and the last.
    for screen in sorted({2, 10, last} & set(range(2, last + 1))):
        started = time.perf_counter()
        response = client.get(f"{preview}?screen={screen}")
        seconds = time.perf_counter() - started
        label = f"screen {screen}/{last}"
        print(f"{label:<15} {seconds:6.1f} s  {len(response.content) / 1e6:6.2f} MB HTML")


if __name__ == "__main__":
    main()
