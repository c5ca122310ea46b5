"""The page files (each PageScan's PDF or image) in a backup: read from the media storage into
the archive file after its rows, and written back through the storage on import, so that a
restore on a new machine shows the page images.

A file goes out as lines of base64 pieces ({"file": name, "sha256", "part", "last", "data"}),
so no line holds more than PIECE bytes of it. The images rendered from a file are not carried:
they are rendered again the first time a reader asks (articles.page_images).
"""

from __future__ import annotations

import base64
import hashlib
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

from articles.models import PageScan

PIECE = 1024 * 1024  # bytes of a file per line (1.4 MB of base64)
LINE_START = '{"file": '  # how a file's line begins; a row's begins with {"model": …


class ArchiveFileError(Exception):
    pass


def scan_file_names(using: str) -> list[str]:
    """The storage name of every page file the archive's rows name, each once."""
    names = PageScan.objects.using(using).order_by("file").values_list("file", flat=True)
    return list(dict.fromkeys(names))


def missing_files(names: list[str]) -> list[str]:
    return [name for name in names if not default_storage.exists(name)]


def write_files(stream: IO[str], names: list[str]) -> int:
    """Write each stored file to `stream` in pieces; the number written."""
    for name in names:
        digest = hashlib.sha256()
        with default_storage.open(name, "rb") as source:
            part, piece = 0, source.read(PIECE)
            while True:
                following = source.read(PIECE) if piece else b""
                digest.update(piece)
                record = {
                    "file": name,
                    "part": part,
                    "last": not following,
                    "data": base64.b64encode(piece).decode("ascii"),
                }
                if not following:
                    record["sha256"] = digest.hexdigest()
                stream.write(json.dumps(record) + "\n")
                if not following:
                    break
                part, piece = part + 1, following
    return len(names)


class FileLoader:
    """Puts the files of an archive back into the media storage as their lines come, each
    checked against its SHA-256; a file the storage holds already is kept as it is.
    `removed_on_failure` takes back the files it saved when the import fails after all."""

    def __init__(self) -> None:
        self.loaded = 0
        self.saved: list[str] = []
        self._name = ""
        self._part = 0
        self._digest = hashlib.sha256()
        self._data: IO[bytes] | None = None

    def load(self, line: str) -> None:
        try:
            record = json.loads(line)
            name, part, last = record["file"], record["part"], record["last"]
            piece = base64.b64decode(record["data"], validate=True)
            sha256 = record["sha256"] if last else ""
        except (ValueError, KeyError, TypeError) as error:
            raise ArchiveFileError(f"a page file's line is malformed ({error!r})") from None
        if part == 0:
            self._begin(name)
        elif self._data is None or (name, part) != (self._name, self._part + 1):
            raise ArchiveFileError(f"file {name}: piece {part} out of order")
        self._part = part
        self._digest.update(piece)
        self._data.write(piece)
        if last:
            self._finish(sha256)

    def _begin(self, name: str) -> None:
        if self._data is not None:
            raise ArchiveFileError(f"file {self._name}: cut short before {name}")
        self._name, self._digest = name, hashlib.sha256()
        self._data = tempfile.TemporaryFile()  # noqa: SIM115 (closed in _finish or close)

    def _finish(self, sha256: str) -> None:
        data, self._data = self._data, None
        with data:
            if self._digest.hexdigest() != sha256:
                raise ArchiveFileError(f"file {self._name}: its bytes do not match its SHA-256")
            self.loaded += 1
            if default_storage.exists(self._name):
                return
            data.seek(0)
            saved = default_storage.save(self._name, File(data))
            self.saved.append(saved)
            if saved != self._name:
                raise ArchiveFileError(f"file {self._name}: the storage saved it as {saved}")

    def check_complete(self) -> None:
        if self._data is not None:
            raise ArchiveFileError(f"file {self._name}: cut short at the end of the archive")

    @contextmanager
    def removed_on_failure(self) -> Iterator[FileLoader]:
        try:
            yield self
        except BaseException:
            for name in self.saved:
                default_storage.delete(name)
            raise
        finally:
            if self._data is not None:
                self._data.close()
