"""Citations as files reference managers import: RIS (Zotero, EndNote, Mendeley) and BibTeX
(biblatex `@article` with `journaltitle` and `date`, which Zotero and JabRef read), the
same authors and title as the GB/T 7714 line (articles.citation)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings

from articles.citation import authors
from articles.models import Article


def _title(article: Article) -> str:
    return article.headline + (f"——{article.subheadline}" if article.subheadline else "")


def _one_line(text: str) -> str:
    """RIS and BibTeX fields are one line each."""
    return " ".join(text.split())


def ris_record(article: Article, url: str) -> str:
    """One RIS record of type NEWS; tags two letters, two spaces, a dash, a space."""
    lines = [("TY", "NEWS")]
    lines += [("AU", name) for name in authors(article)]
    lines += [
        ("TI", _one_line(_title(article))),
        ("T2", settings.NEWSARCHIVE_NEWSPAPER_NAME),
        ("PY", f"{article.date:%Y}"),
        ("DA", f"{article.date:%Y/%m/%d}"),
        ("SP", str(article.page.number)),
        ("LA", "zh"),
        ("UR", url),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def as_ris(articles: Iterable[tuple[Article, str]]) -> str:
    """RIS records of (article, absolute URL) pairs, one file."""
    return "".join(ris_record(article, url) for article, url in articles)


# Characters BibTeX reads as markup, written as TeX escapes.
_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _bibtex_text(text: str) -> str:
    def escape(match: re.Match) -> str:
        char = match.group(1)
        if char == "\\":
            return r"\textbackslash{}"
        if char in "^~":
            return rf"\{char}{{}}"
        return "\\" + char

    return _BIBTEX_SPECIAL.sub(escape, _one_line(text))


def as_bibtex(article: Article, url: str) -> str:
    """One biblatex entry; its key is the archive's article number."""
    fields = [
        ("author", " and ".join(authors(article))),
        ("title", _bibtex_text(_title(article))),
        ("journaltitle", _bibtex_text(settings.NEWSARCHIVE_NEWSPAPER_NAME)),
        ("date", article.date.isoformat()),
        ("pages", str(article.page.number)),
        ("langid", "chinese"),
        ("url", url),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@article{{newsarchive{article.pk},\n{body}\n}}\n"
