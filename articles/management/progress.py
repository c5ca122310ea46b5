"""A one-line progress bar for commands, drawn only when the stream is a terminal."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from django.core.management.base import OutputWrapper

T = TypeVar("T")


def progress(items: Sequence[T], stream: OutputWrapper, width: int = 30) -> Iterator[T]:
    """Yield `items`, redrawing `[#####     ] 12/274` on `stream` when it is a tty."""
    show = stream.isatty() and len(items) > 1
    total = len(items)
    for done, item in enumerate(items):
        if show:
            filled = width * done // total
            stream.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total}", ending="")
            stream.flush()
        yield item
    if show:
        stream.write(f"\r[{'#' * width}] {total}/{total}")
        stream.flush()
