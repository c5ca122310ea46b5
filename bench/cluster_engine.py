"""search_bench.py's OpenSearch side (--engine opensearch): the settings, all hits of a query,
the index's size and the nodes' memory, on the cluster deploy/search-cluster runs.

Start it first (`deploy/search-cluster/cluster start`); SEARCH_CLUSTER_HOME names its folder
when it is not var/search-cluster (the nodes' pid files are read there).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENGINE = "articles.search.opensearch.ArticleOpenSearchEngine"


def configure() -> None:
    """Environment for settings.py: the cluster, under an index alias of this run's own."""
    os.environ["HAYSTACK_ENGINE"] = ENGINE
    os.environ.setdefault("OPENSEARCH_INDEX", f"bench-{os.getpid()}")


class ClusterHits:
    """All hits of a query, as the service asks the cluster for them (a page shows 20)."""

    def __call__(self, text: str) -> set[int]:
        from articles.search.engine.query import parse_query
        from articles.search.service import SearchParams, search_queryset

        sqs = search_queryset(parse_query(text), SearchParams(q=text))
        total = sqs.count()
        return {int(result.pk) for result in sqs[:total]} if total else set()

    def close(self) -> None:
        pass


def index_mib() -> float:
    """The aliased index's store on disk, primary and replica."""
    from haystack import connections

    backend = connections["default"].get_backend()
    stats = backend.client.indices.stats(index=backend.alias, metric="store")
    return stats["_all"]["total"]["store"]["size_in_bytes"] / 2**20


def nodes_rss_mib() -> dict[str, float]:
    """Each running node's resident memory now (its JVM heap is capped by SEARCH_CLUSTER_HEAP)."""
    home = Path(os.environ.get("SEARCH_CLUSTER_HOME", REPO / "var" / "search-cluster"))
    sizes = {}
    for pid_file in sorted(home.glob("node-*/pid")):
        status = Path(f"/proc/{pid_file.read_text().strip()}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes[pid_file.parent.name] = int(line.split()[1]) / 1024
    return sizes


def drop_index() -> None:
    from haystack import connections

    backend = connections["default"].get_backend()
    backend.client.indices.delete(index=f"{backend.alias}-*")
