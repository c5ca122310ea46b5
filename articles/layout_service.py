"""Layout corrections stored with a page (or a staged upload file): add, undo, and the parse
they give. Each change re-reads the row under a lock, so two editors correcting the same page
at once both keep their corrections."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction

from articles import parsing
from articles.layout_corrections import (
    ROLES,
    LayoutCorrectionError,
    check,
    corrected_layout,
    merged_layout,
    same_line,
    with_layout,
)
from articles.models import Page, UploadFile
from articles.page_images import read_scan
from articles.title_learning import learn_from_page, parse_text, stored_page_id


def stored_layout(
    issue_date: datetime.date, page_number: int, extra: Iterable[dict] = ()
) -> list[dict]:
    """The layout corrections the stored page has, then `extra` ones (a staged upload's); a
    line's role set in both is the staged one."""
    found = Page.objects.filter(issue__date=issue_date, number=page_number)
    stored = found.values_list("layout_corrections", flat=True).first() or []
    return merged_layout(stored, extra)


def page_parse(page: Page) -> parsing.ParsedPage:
    """The stored page's text parsed now, with its layout corrections."""
    parsed = parse_text(page.source_text, paper=page.paper or None, page_id=page.pk)
    return with_layout(parsed, page.layout_corrections)


def staged_parse(file: UploadFile, issue_date) -> parsing.ParsedPage:
    """A staged upload file parsed, with the corrections of the page it replaces and its own."""
    parsed = parse_text(_staged_text(file), page_id=stored_page_id(issue_date, file.page_number))
    return with_layout(parsed, staged_layout(file, issue_date))


def staged_layout(file: UploadFile, issue_date) -> list[dict]:
    if file.page_number is None:
        return list(file.layout_corrections)
    return stored_layout(issue_date, file.page_number, file.layout_corrections)


def correction_from_post(post, prefix: str) -> dict | None:
    """The correction a preview's button posted ({"op", "text", "role"}), or None."""
    value = post.get("layout", "")
    op, _, rest = value.partition(":")
    key, _, n = rest.rpartition(":")
    if key != prefix or not n.isdigit():
        return None
    text = post.get(f"text_{key}_{n}", "")
    role = post.get(f"role_{key}_{n}", "") if op == "role" else ""
    return {"op": op, "text": text, "role": role}


def add_page_correction(page: Page, correction: dict, *, user=None) -> None:
    """Check the correction against the page's parse (LayoutCorrectionError), then keep it in
    place of the line's earlier role, and what it teaches the title-block model
    (articles.title_learning)."""
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk)
        parsed = parse_text(page.source_text, paper=page.paper or None, page_id=page.pk)
        page.layout_corrections = corrected_layout(parsed, page.layout_corrections, correction)
        page.save(update_fields=["layout_corrections", "updated_at"])
        learn_from_page(page, user=user)


def undo_page_correction(page: Page, index: int, *, user=None) -> None:
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk)
        page.layout_corrections = [c for i, c in enumerate(page.layout_corrections) if i != index]
        page.save(update_fields=["layout_corrections", "updated_at"])
        learn_from_page(page, user=user)


def _staged_text(file: UploadFile) -> str:
    """A staged file's page text; a PDF that came alone gives its text layer."""
    data = bytes(file.data or b"")
    if not data and file.scan_name:
        data = read_scan(file.scan_name, bytes(file.scan_data)).page_text.encode("utf-8")
    return parsing.decode_page(data)


def add_staged_correction(file: UploadFile, issue_date, correction: dict) -> None:
    correction = check(correction)
    with transaction.atomic():
        file = UploadFile.objects.select_for_update().get(pk=file.pk)
        parsed = parse_text(
            _staged_text(file), page_id=stored_page_id(issue_date, file.page_number)
        )
        layout = corrected_layout(parsed, staged_layout(file, issue_date), correction)
        own = [c for c in file.layout_corrections if not same_line(c, correction)]
        file.layout_corrections = [*own, *([correction] if correction in layout else [])]
        file.save(update_fields=["layout_corrections"])


def remove_staged_correction(file: UploadFile, index: int, text: str) -> None:
    """Undo the staged file's `index`-th own layout correction, if it is still the one on the
    line `text` the editor saw (LayoutCorrectionError otherwise: the list changed meanwhile)."""
    with transaction.atomic():
        file = UploadFile.objects.select_for_update().get(pk=file.pk)
        own = list(file.layout_corrections)
        if not 0 <= index < len(own) or own[index]["text"] != text:
            raise LayoutCorrectionError("这项校正已经改变，请查看最新的预览后再撤销")
        file.layout_corrections = own[:index] + own[index + 1 :]
        file.save(update_fields=["layout_corrections"])


def describe(correction: dict) -> str:
    """A correction as the preview lists it."""
    text = correction["text"][:30]
    if correction["op"] == "join":
        return f"并入上一段：“{text}”"
    if correction["op"] == "split":
        return f"从此拆为新文章：“{text}”"
    return f"设为{ROLES[correction['role']]}：“{text}”"
