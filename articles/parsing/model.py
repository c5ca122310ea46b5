"""What the parser returns: plain frozen dataclasses, no Django."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field


class Role(enum.StrEnum):
    REPORTER = "reporter"  # 记者
    INTERN = "intern"  # 实习记者 / 实习生
    CORRESPONDENT = "correspondent"  # 通讯员
    PHOTOGRAPHER = "photographer"  # 摄影 / 摄


class Kind(enum.StrEnum):
    NEWS = "news"
    PHOTO = "photo"


@dataclass(frozen=True)
class Credit:
    name: str
    role: Role


@dataclass(frozen=True)
class OrganizationMention:
    """An organization named in an article; aliases are the other forms the article uses."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedArticle:
    headline: str
    paragraphs: tuple[str, ...]
    kicker: str | None = None
    subheadline: str | None = None
    kind: Kind = Kind.NEWS
    credits: tuple[Credit, ...] = ()
    organizations: tuple[OrganizationMention, ...] = ()


@dataclass(frozen=True)
class ParsedPage:
    banners: tuple[str, ...]
    articles: tuple[ParsedArticle, ...]
    warnings: tuple[str, ...] = field(default=())
    # What the page's own furniture prints (第04版, 2019年8月12日), to check against the upload.
    printed_page: int | None = None
    printed_date: datetime.date | None = None
    # The paper's name and the page's section when the banner prints them (劳动午报, 工会).
    paper: str | None = None
    section: str | None = None

    def to_dict(self) -> dict:
        """The schema ../shared/tools/check_parse.py scores (and `parse_page --json` prints)."""
        return {
            "banners": list(self.banners),
            "printed_page": self.printed_page,
            "printed_date": self.printed_date.isoformat() if self.printed_date else None,
            "paper": self.paper,
            "section": self.section,
            "warnings": list(self.warnings),
            "articles": [
                {
                    "kicker": a.kicker,
                    "headline": a.headline,
                    "subheadline": a.subheadline,
                    "kind": str(a.kind),
                    "credits": [{"name": c.name, "role": str(c.role)} for c in a.credits],
                    "paragraphs": list(a.paragraphs),
                    "organizations": [
                        {"name": o.name, "aliases": list(o.aliases)} for o in a.organizations
                    ],
                }
                for a in self.articles
            ],
        }
