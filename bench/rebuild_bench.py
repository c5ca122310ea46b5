"""How fast, how large and how much memory is `rebuild_index` on an archive search_bench kept?

    .venv/bin/python bench/search_bench.py --n 10000 --queries 50 --keep /tmp/k10k
    .venv/bin/python bench/rebuild_bench.py /tmp/k10k

Rebuilds the archive's index into a folder of its own (--out, default a temporary one) and
reports wall time, the CPU of this process and its index workers (the steadier figure on a
shared machine), the index size by kind of file, and the peak memory of this process and of
its largest index worker.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def peak_rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path, help="a folder search_bench.py --keep made")
    parser.add_argument("--out", type=Path, help="index folder to build (default: temporary)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "whoosh_index"
        os.environ["NEWSARCHIVE_VAR_DIR"] = str(args.archive)
        os.environ["DATABASE_URL"] = f"sqlite:///{args.archive / 'db.sqlite3'}"
        os.environ["WHOOSH_PATH"] = str(out)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        import django

        django.setup()
        from django.core.management import call_command

        from articles.models import Article

        articles = Article.objects.count()
        before = peak_rss_mib()
        started, cpu_before = time.perf_counter(), os.times()
        call_command("rebuild_index", interactive=False, verbosity=0)
        seconds, cpu_after = time.perf_counter() - started, os.times()
        cpu = sum(
            getattr(cpu_after, name) - getattr(cpu_before, name)
            for name in ("user", "system", "children_user", "children_system")
        )
        sizes: Counter[str] = Counter()
        for path in out.rglob("*"):
            if path.is_file():
                sizes[path.suffix or path.name] += path.stat().st_size
        worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"{articles} articles: rebuild {seconds:.1f} s, {articles / seconds:.0f} articles/s; "
            f"CPU {cpu:.1f} s ({100 * cpu / seconds:.0f}%), {1000 * cpu / articles:.1f} ms an "
            f"article; index {sum(sizes.values()) / 2**20:.1f} MiB"
        )
        print("  by kind: " + ", ".join(f"{k} {v / 2**20:.1f}" for k, v in sizes.most_common()))
        print(
            f"  peak RSS of this process {before:.0f} MiB before, {peak_rss_mib():.0f} MiB after; "
            f"largest index worker {worker:.0f} MiB"
        )


if __name__ == "__main__":
    main()
