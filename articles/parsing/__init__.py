"""Page text -> articles, with no Django: bytes are decoded by `decode_page`, and `parse_page`
returns frozen dataclasses (banners; articles with kicker, headline, subheadline, kind, credits,
paragraphs and organizations; warnings for staff to check).

Stages, one module each: text (decoding), blocks (lines), titles (line shapes), breaks (column
breaks), bylines (credits), organizations (union names), layout (the page as a whole).
"""

from .dictionary import Union, authority, tokenizer
from .errors import (
    BinaryContentError,
    EmptyPageError,
    NoArticlesError,
    ParseError,
    UndecodableTextError,
)
from .layout import parse_page
from .model import Credit, Kind, OrganizationMention, ParsedArticle, ParsedPage, Role
from .text import decode_page

__all__ = [
    "BinaryContentError",
    "Credit",
    "EmptyPageError",
    "Kind",
    "NoArticlesError",
    "OrganizationMention",
    "ParseError",
    "ParsedArticle",
    "ParsedPage",
    "Role",
    "UndecodableTextError",
    "Union",
    "authority",
    "decode_page",
    "parse_page",
    "tokenizer",
]
