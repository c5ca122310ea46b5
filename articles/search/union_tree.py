"""The unions of a search's results as a tree of the authority file's hierarchy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from articles.models import Organization

# Values shown per facet, and unions per level of the tree.
FACET_SIZE = 20
# Beyond this many unions in a facet, reading every union's parent is cheaper than a name IN
# (...) list (2.5 against 11 ms for 4,000 names on SQLite).
MANY_UNIONS = 200


@dataclass(frozen=True)
class UnionNode:
    """A union in the facet tree: its own count, and the count rolled up over its sub-unions."""

    name: str
    count: int
    total: int
    params: dict[str, str]
    children: list[UnionNode]


def node_json(node: UnionNode) -> dict:
    return {
        "name": node.name,
        "count": node.count,
        "total": node.total,
        "children": [node_json(child) for child in node.children],
    }


def union_tree(
    counts: dict[str, int], totals: dict[str, int] | None = None, size: int = FACET_SIZE
) -> list[UnionNode]:
    """The unions of a facet as a tree of their hierarchy, each with its own count (`counts`,
    the organizations facet) and its count rolled up over its sub-unions (`totals`, the
    organization_tree facet: distinct articles in the subtree, so an article under two
    sub-unions counts once). Ancestors with no article of their own have a count of 0.
    Each level shows its `size` largest totals, largest first; only those are built (a broad
    search's facet names thousands of unions)."""
    totals = {name: max(total, counts.get(name, 0)) for name, total in (totals or {}).items()}
    for name, count in counts.items():
        totals.setdefault(name, count)  # a document indexed before organization_tree existed
    unions = Organization.objects.all()
    if len(totals) <= MANY_UNIONS:
        unions = unions.filter(name__in=totals)
    parents = dict(unions.values_list("name", "parent__name"))
    children: dict[str | None, list[str]] = {}
    for name in totals:
        parent = parents.get(name)
        children.setdefault(parent if parent in totals and parent != name else None, []).append(
            name
        )

    def largest(names: Iterable[str]) -> list[str]:
        return sorted(names, key=lambda name: (-totals[name], name))[:size]

    def build(name: str, seen: frozenset[str]) -> UnionNode:
        kids = [
            build(child, seen | {child})
            for child in largest(c for c in children.get(name, []) if c not in seen)
        ]
        params = {"org": name, "sub": "1"} if kids else {"org": name}
        return UnionNode(name, counts.get(name, 0), totals[name], params, kids)

    return [build(name, frozenset([name])) for name in largest(children.get(None, []))]
