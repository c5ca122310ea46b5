"""How many organizations do the sample and corpus pages yield? (the union authority's effect)

    .venv/bin/python bench/union_counts.py [--no-authority] [--corpus-seed 7]

Ingests sample/ and every corpus page (../shared/corpus/make_pages.py --breaks) into a fresh
temporary database, after `load_unions` unless --no-authority, and prints how many
organizations the articles are linked to, how many of those are flagged for review, and how
many names (canonical names plus aliases) point at them. Run it on a checkout from before the
authority file to compare.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--no-authority", action="store_true")
    arguments.add_argument("--corpus-seed", default="7")
    arguments.add_argument("--shared", default=str(REPO.parent / "shared"))
    options = arguments.parse_args()
    var = Path(tempfile.mkdtemp(prefix="newsarchive-unions-"))
    pages = var / "corpus"
    subprocess.run(
        [
            sys.executable,
            str(Path(options.shared) / "corpus" / "make_pages.py"),
            "--out",
            str(pages),
            "--breaks",
            "--seed",
            options.corpus_seed,
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "NEWSARCHIVE_VAR_DIR": str(var), "LOG_LEVEL": "WARNING"}
    for key in ("DATABASE_URL", "WHOOSH_PATH"):
        env.pop(key, None)

    def manage(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
        )
        return result.stdout

    manage("migrate", "--noinput")
    if not options.no_authority:
        print("load_unions:", manage("load_unions").strip())
    for source in ("sample", str(pages)):
        print(f"ingest {Path(source).name}:", manage("ingest", source).strip().splitlines()[-2])
    script = (
        "from django.db.models import Count\n"
        "from articles.models import Organization, OrganizationAlias\n"
        "linked = Organization.objects.annotate(n=Count('articles')).filter(n__gt=0)\n"
        "fields = {f.name for f in Organization._meta.fields}\n"
        "review = linked.filter(needs_review=True).count() if 'needs_review' in fields else 'n/a'\n"
        "names = linked.count() + OrganizationAlias.objects.filter(organization__in=linked).count()\n"
        "print(f'organizations linked to articles: {linked.count()}; flagged for review: {review}; '\n"
        "      f'names pointing at them: {names}')\n"
    )
    print(manage("shell", "-v", "0", "-c", script).strip())


if __name__ == "__main__":
    main()
