"""A one-line progress bar for commands, drawn only when the stream is a terminal."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from django.core.management.base import OutputWrapper

T = TypeVar("T")


class ProgressBar:
    """Redraws `[#####     ] 12/274` in place on a terminal; silent otherwise."""

    def __init__(self, stream: OutputWrapper, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.show = stream.isatty()

    def draw(self, done: int, total: int) -> None:
        if not self.show or total <= 0:
            return
        filled = self.width * done // total
        bar = "#" * filled + " " * (self.width - filled)
        ending = "\n" if done >= total else ""
        # Plain text: Django paints a terminal's stderr in the error style.
        self.stream.write(f"\r[{bar}] {done}/{total}", style_func=str, ending=ending)
        self.stream.flush()


def progress(items: Sequence[T], stream: OutputWrapper, width: int = 30) -> Iterator[T]:
    """Yield `items`, drawing a ProgressBar on `stream` when it is a tty and there are several."""
    bar = ProgressBar(stream, width)
    bar.show = bar.show and len(items) > 1
    total = len(items)
    for done, item in enumerate(items):
        bar.draw(done, total)
        yield item
    bar.draw(total, total)
