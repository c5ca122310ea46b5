"""The archive's title-block model: the shipped one (parsing.base_model) plus, per paper, the
title blocks editors taught it through layout corrections (TitleExample rows).

Every parse the archive does goes through `parse_text`, so the next page of a paper parses
with what editors taught on that paper's earlier pages, and only that paper's pages change.
The model is kept in-process and refit lazily: each parse reads every paper's example count
and newest id (one grouped query) and refits only the papers whose examples changed. Fitting
one paper's examples takes about 0.1 s (a few dozen examples; 0.5 s for a thousand:
bench/title_refit.py), so a confirmed upload or a saved correction needs no background job:
the next parse in each process refits the papers whose examples changed.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

from articles import parsing
from articles.layout_corrections import with_layout
from articles.models import Page, TitleExample

_lock = threading.Lock()
# The model as last fitted, and each paper's version (example_versions) it was fitted from.
_fitted: dict = {"model": None, "versions": {}}
# The model without one taught page's own examples, by (page id, its example ids, paper version).
_without_own: dict[tuple, parsing.TitleModel] = {}
_WITHOUT_OWN_KEPT = 32


def learning_paper(printed: str | None) -> str:
    """The paper a page's examples teach: the one its banner prints, else the site's own."""
    return printed or settings.NEWSARCHIVE_NEWSPAPER_NAME


def example_versions() -> dict[str, tuple]:
    """Each paper's (example count, newest id, newest time): a change in any means a refit (the
    time too, as a database may hand a rolled-back row's id out again)."""
    rows = TitleExample.objects.values("paper").annotate(
        n=Count("pk"), newest=Max("pk"), latest=Max("created_at")
    )
    return {row["paper"]: (row["n"], row["newest"], row["latest"]) for row in rows.order_by()}


def examples_of(paper: str) -> list[parsing.TitleExample]:
    rows = TitleExample.objects.filter(paper=paper).order_by("pk")
    return [_to_example(row.example) for row in rows]


def archive_model() -> parsing.TitleModel:
    """The shipped model with an overlay for every paper editors taught, refit where changed."""
    versions = example_versions()
    with _lock:
        model, fitted = _fitted["model"], _fitted["versions"]
        if model is not None and fitted == versions:
            return model
        model = model or parsing.base_model()
        for paper in set(fitted) | set(versions):
            if fitted.get(paper) != versions.get(paper):
                model = _refit(model, paper, examples_of(paper) if paper in versions else [])
        _fitted.update(model=model, versions=versions)
        return model


def refit_all() -> dict[str, int]:
    """Refit every paper's overlay from scratch; how many examples each paper has."""
    with _lock:
        _fitted.update(model=None, versions={})
    archive_model()
    return {paper: version[0] for paper, version in sorted(example_versions().items())}


def model_for(page_id: int | None) -> parsing.TitleModel:
    """The archive's model; for a stored page that taught it, without that page's own examples.
    A page reads as its editor saw it when correcting it, so its corrections keep naming the
    lines they named (a lesson joining two title lines would otherwise hide the line the next
    correction names); its lessons are for the paper's other pages."""
    model = archive_model()
    if page_id is None:
        return model
    own = dict(TitleExample.objects.filter(page_id=page_id).values_list("pk", "paper"))
    if not own:
        return model
    paper = next(iter(own.values()))
    key = (page_id, frozenset(own), _fitted["versions"].get(paper))
    with _lock:
        if key not in _without_own:
            if len(_without_own) >= _WITHOUT_OWN_KEPT:
                _without_own.clear()
            others = TitleExample.objects.filter(paper=paper).exclude(page_id=page_id)
            examples = [_to_example(row.example) for row in others.order_by("pk")]
            _without_own[key] = _refit(model, paper, examples)
        return _without_own[key]


def stored_page_id(issue_date, number: int | None) -> int | None:
    """The id of the archive's page of that date and number, if there is one."""
    found = Page.objects.filter(issue__date=issue_date, number=number)
    return found.values_list("pk", flat=True).first() if number is not None else None


def parse_text(
    text: str, *, paper: str | None = None, page_id: int | None = None
) -> parsing.ParsedPage:
    """parsing.parse_page with the archive's model. `paper`: the paper the page is known to come
    from (default: the one its banner prints). A page whose banner prints none reads with the
    site's own paper's examples, and keeps paper None (the citation then names the site's).
    `page_id`: the stored page the text is (or replaces), read without its own lessons."""
    model = model_for(page_id)
    parsed = parsing.parse_page(text, model=model, paper=paper)
    fallback = learning_paper(None)
    if parsed.paper is None and fallback in model.overlays:
        parsed = parsing.parse_page(text, model=model, paper=fallback)
        parsed = dataclasses.replace(parsed, paper=None)
    return parsed


def learn_from_page(page: Page, *, user=None) -> int:
    """Replace the page's examples with those its layout corrections teach now; how many."""
    examples, paper = [], learning_paper(page.paper or None)
    if page.layout_corrections:
        try:  # parsed before the old examples go, so the model is refit once, not twice
            parsed = parse_text(page.source_text, paper=page.paper or None, page_id=page.pk)
        except parsing.ParseError:
            pass  # a page that no longer parses teaches nothing
        else:
            # Roles as the corrections lay them out: one correction can move two lines (the
            # line below a kicker is its headline), so the raw parse's roles are not enough.
            laid_out = with_layout(parsed, page.layout_corrections)
            examples = parsing.examples_from_corrections(laid_out, page.layout_corrections)
    with transaction.atomic():
        page.title_examples.all().delete()
        TitleExample.objects.bulk_create(
            TitleExample(paper=paper, page=page, example=_to_json(e), taught_by=user)
            for e in examples
        )
    return len(examples)


def _refit(
    model: parsing.TitleModel, paper: str, examples: Iterable[parsing.TitleExample]
) -> parsing.TitleModel:
    """`model` with `paper`'s overlay fitted afresh on `examples` (none: the overlay goes)."""
    overlays = {p: o for p, o in model.overlays.items() if p != paper}
    known = {p: e for p, e in model.examples.items() if p != paper}
    without = parsing.TitleModel(model.weights, overlays, known)
    examples = list(examples)
    return without.with_examples(paper, examples) if examples else without


def _to_json(example: parsing.TitleExample) -> dict:
    return {
        "lines": list(example.lines),
        "roles": list(example.roles),
        "below": example.below,
        "epaper": example.epaper,
    }


def _to_example(data: dict) -> parsing.TitleExample:
    return parsing.TitleExample(
        tuple(data["lines"]), tuple(data["roles"]), data.get("below", ""), data.get("epaper", False)
    )
