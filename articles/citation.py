"""A citation line for an article in the form of GB/T 7714-2015 for newspaper articles ([N]).

    主要责任者. 题名[N]. 报纸名, 出版日期(版次).
    刘欣欣, 王芳. 朝阳区职工技能大赛开幕[N]. 首都工会新闻, 2024-04-02(2).

Up to three authors are named, then 等 (GB/T 7714-2015, 8.1.2). Only reporters, interns and
correspondents are authors; a photographer is credited for the picture, not the text, unless
the item is photo news, where the picture is the work. The paper is the one that printed the
page (Page.paper, from its banner), else the site's own (NEWSARCHIVE_NEWSPAPER_NAME).
"""

from __future__ import annotations

from articles.models import Article, Credit

MAX_AUTHORS = 3
_WRITERS = {Credit.Role.REPORTER, Credit.Role.INTERN, Credit.Role.CORRESPONDENT}


def authors(article: Article) -> list[str]:
    credits = list(article.credits.all())
    writers = [c for c in credits if c.role in _WRITERS]
    if article.kind == Article.Kind.PHOTO or not writers:
        writers = credits
    return list(dict.fromkeys(credit.person.name for credit in writers))


def citation(article: Article) -> str:
    names = authors(article)
    author = ", ".join(names[:MAX_AUTHORS]) + (", 等" if len(names) > MAX_AUTHORS else "")
    title = article.headline + (f"——{article.subheadline}" if article.subheadline else "")
    where = f"{article.page.newspaper}, {article.date:%Y-%m-%d}({article.page.number})."
    return f"{author}. {title}[N]. {where}" if author else f"{title}[N]. {where}"


DESCRIPTION_LENGTH = 120


def description(article: Article) -> str:
    """The opening of the text, for <meta name="description"> and og:description."""
    text = " ".join(article.body.split())
    return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 1] + "…"


def citation_meta(article: Article, url: str) -> list[tuple[str, str]]:
    """Highwire Press `citation_*` tags, as Google Scholar and Zotero's embedded-metadata
    translator read them: one citation_author per author, dates as YYYY/MM/DD."""
    title = article.headline + (f"——{article.subheadline}" if article.subheadline else "")
    tags = [("citation_title", title)]
    tags += [("citation_author", name) for name in authors(article)]
    tags += [
        ("citation_publication_date", f"{article.date:%Y/%m/%d}"),
        ("citation_date", f"{article.date:%Y/%m/%d}"),
        ("citation_journal_title", article.page.newspaper),
        ("citation_firstpage", str(article.page.number)),
        ("citation_language", "zh"),
        ("citation_public_url", url),
    ]
    return tags
