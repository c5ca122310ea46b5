"""How much does the index grow under updates, with the merge policy and with Whoosh's own?

    .venv/bin/python bench/update_growth.py --n 3000 --updates 2400
    .venv/bin/python bench/update_growth.py --n 3000 --updates 2400 --whoosh-merge

Builds a throwaway archive of N corpus articles (corpus_archive.py's rows) and its index with
`rebuild_index`, then applies --updates updates of random articles through the index queue in
batches of --batch (one commit each, as the index worker does), and prints the index's size,
segments and deleted documents before and after, and the searches' answers for a few words
before and after. --whoosh-merge commits with Whoosh's default policy (MERGE_SMALL) instead of
readers.merge_grown: the index as it grew before issue 20.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from corpus_archive import create_rows, load_corpus, rebuild_index, setup_django  # noqa: E402
from search_bench import directory_mib  # noqa: E402

WORDS = ["工会", "职工", "经济", "北京", "改革"]


def index_state(folder: Path) -> str:
    from haystack import connections

    from articles.search.engine import whoosh_private

    index = connections["default"].get_backend().index
    segments = whoosh_private.segments(index)
    stored = sum(s.doc_count_all() for s in segments)
    deleted = sum(s.deleted_count() for s in segments)
    return (
        f"{directory_mib(folder):.1f} MiB, {len(segments)} segments, "
        f"{stored:,} documents stored of which {deleted:,} deleted"
    )


def answers() -> dict[str, int]:
    from haystack.query import SearchQuerySet

    from articles.search.service import words_or_exact

    return {word: SearchQuerySet().filter(words_or_exact(word)).count() for word in WORDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3_000, help="articles to index")
    parser.add_argument("--updates", type=int, default=2_400)
    parser.add_argument("--batch", type=int, default=200, help="articles per commit")
    parser.add_argument("--whoosh-merge", action="store_true", help="Whoosh's default policy")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        var_dir = Path(tmp) / "var"
        var_dir.mkdir()
        setup_django(var_dir)
        from django.core.management import call_command

        from articles.models import PendingIndexUpdate
        from articles.search import backend
        from articles.search.indexing import apply_pending_updates

        if args.whoosh_merge:
            backend.merge_grown = None  # commit(mergetype=None): Whoosh's MERGE_SMALL
        call_command("migrate", verbosity=0)
        pks = create_rows(load_corpus(args.shared, Path(tmp) / "corpus"), args.n)
        rebuild_index(None)
        folder = var_dir / "whoosh_index"
        print(f"policy: {'Whoosh MERGE_SMALL' if args.whoosh_merge else 'merge_grown'}")
        print(f"after rebuild_index of {len(pks):,} articles: {index_state(folder)}")
        before = answers()
        rng = random.Random(args.seed)
        started = time.perf_counter()
        for start in range(0, args.updates, args.batch):
            chosen = rng.sample(pks, min(args.batch, args.updates - start))
            PendingIndexUpdate.objects.bulk_create(
                PendingIndexUpdate(article_id=pk) for pk in chosen
            )
            apply_pending_updates(batch_size=args.batch, max_batches=1)
        seconds = time.perf_counter() - started
        print(f"after {args.updates:,} updates in {seconds:.0f} s: {index_state(folder)}")
        after = answers()
        print(f"answers before {before}, after {after}: {'same' if before == after else 'DIFFER'}")


if __name__ == "__main__":
    main()
